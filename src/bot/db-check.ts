import { dayKey, parsePeriod } from "../engine/index.ts";
import { type PeriodMismatch, periodMismatches } from "../store/consistency-repo.ts";
import type { Db } from "../store/database.ts";
import { type OwedPeriod, owedPeriods, owePeriods } from "../store/owed-scoring-repo.ts";
import { schemesInForce } from "../store/scheme-repo.ts";
import { type DrainOutcome, drainOwed } from "./drain-owed.ts";

/**
 * `kpi db check`: what is owed a re-score, and which cards do not match their figures. With
 * `--repair`, the mismatched periods are owed too, and everything owed is scored.
 */

export interface DbCheck {
  owed: OwedPeriod[];
  /** Cards missing or older than their figures, for roles a scheme in force scores. */
  mismatches: PeriodMismatch[];
  /** Agents with figures whose role no scheme in force scores: never carded, and not a fault here. */
  unscorable: PeriodMismatch[];
}

export async function checkDb(db: Db): Promise<DbCheck> {
  const owed = await owedPeriods(db);
  const found = await periodMismatches(db);
  const rolesByPeriod = new Map<string, Set<string>>();
  const mismatches: PeriodMismatch[] = [];
  const unscorable: PeriodMismatch[] = [];
  for (const mismatch of found) {
    let roles = rolesByPeriod.get(mismatch.periodKey);
    if (!roles) {
      const first = dayKey(parsePeriod(mismatch.periodKey).first);
      roles = new Set((await schemesInForce(db, first)).keys());
      rolesByPeriod.set(mismatch.periodKey, roles);
    }
    (roles.has(mismatch.role) ? mismatches : unscorable).push(mismatch);
  }
  return { owed, mismatches, unscorable };
}

export interface DbRepair {
  before: DbCheck;
  drained: DrainOutcome;
  after: DbCheck;
}

export async function repairDb(
  db: Db,
  options: { actor: string; now: Date; onProgress?: (done: number, total: number) => void },
): Promise<DbRepair> {
  const before = await checkDb(db);
  const periods = new Map(before.mismatches.map((m) => [m.periodKey, parsePeriod(m.periodKey)]));
  await owePeriods(db, [...periods.values()], "repair", options.now);
  const drained = await drainOwed(db, { ...options, wait: true });
  return { before, drained, after: await checkDb(db) };
}
