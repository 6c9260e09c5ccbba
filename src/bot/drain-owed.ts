import { parsePeriod } from "../engine/index.ts";
import { withClaim } from "../store/claims.ts";
import type { Db } from "../store/database.ts";
import { owedPeriod, owedPeriods, settleOwed } from "../store/owed-scoring-repo.ts";
import { type ScoreOutcome, scorePeriod } from "./score-period.ts";

/**
 * Pays the scoring owed (owed_scoring): after every import, at the bot's start and on its
 * follow-up watch, and by `kpi db check --repair`. Safe to run anywhere at any time: a period
 * is scored from stored figures only, so scoring it again writes the same cards, and a period
 * owed again while it was being scored stays owed.
 */

export interface DrainOptions {
  actor: string;
  now: Date;
  /**
   * Wait for a period another process is scoring (then find it settled), rather than leave it
   * to that process: an import waits, so that what it reports is scored; the bot's watch does not.
   */
  wait: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface DrainOutcome {
  scored: ScoreOutcome[];
  /** Left to the process scoring them now. */
  busy: string[];
  /** Periods whose scoring failed; they stay owed, and the next drain tries again. */
  failed: { periodKey: string; error: unknown }[];
}

export async function drainOwed(db: Db, options: DrainOptions): Promise<DrainOutcome> {
  const outcome: DrainOutcome = { scored: [], busy: [], failed: [] };
  const passed = new Set<string>();
  let done = 0;
  // Owed again while this drain ran (an import committing meanwhile): another round.
  for (;;) {
    const owed = (await owedPeriods(db)).filter((o) => !passed.has(o.periodKey));
    if (owed.length === 0) return outcome;
    const total = done + owed.length;
    for (const { periodKey } of owed) {
      try {
        const claim = await withClaim(db, `period:${periodKey}`, options.wait, () =>
          scoreOwed(db, periodKey, options),
        );
        if (!claim.claimed) outcome.busy.push(periodKey);
        else if (claim.value.scored) outcome.scored.push(claim.value.scored);
        // Settled, or still owed because figures came in while it was scored: either way, next.
        if (!claim.claimed || !claim.value.owedAgain) passed.add(periodKey);
      } catch (error) {
        outcome.failed.push({ periodKey, error });
        passed.add(periodKey);
      }
      options.onProgress?.(++done, total);
    }
  }
}

async function scoreOwed(
  db: Db,
  periodKey: string,
  options: DrainOptions,
): Promise<{ scored?: ScoreOutcome; owedAgain: boolean }> {
  // Read under the claim: another drainer may have settled it since the list was read.
  const owed = await owedPeriod(db, periodKey);
  if (!owed) return { owedAgain: false };
  const scored = await scorePeriod(db, parsePeriod(periodKey), { actor: options.actor, now: options.now });
  const settled = await settleOwed(db, periodKey, owed.generation);
  return { scored, owedAgain: !settled };
}
