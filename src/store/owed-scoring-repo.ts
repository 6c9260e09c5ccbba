import { and, eq, sql } from "drizzle-orm";
import { PERIOD_KINDS, type Period, type PeriodKind, parseDay, periodOfDay } from "../engine/index.ts";
import type { Queryable } from "./database.ts";
import { owedScoring } from "./schema.ts";

/**
 * The periods whose scorecards are owed a re-score (see `owedScoring` in schema.ts). Writers
 * call `owePeriodsOfDays` inside the transaction that changes the figures; drainers read,
 * score, and `settleOwed` with the generation they read.
 */

/** The period kinds the bot keeps scorecards for, in the order they are scored. */
export const SCORED_PERIOD_KINDS: PeriodKind[] = ["day", "week", "fortnight", "month"];

/** The periods a day belongs to that the bot keeps scorecards for. */
export function periodsOfDay(day: string, kinds: PeriodKind[] = SCORED_PERIOD_KINDS): Period[] {
  const n = parseDay(day);
  return kinds.map((kind) => periodOfDay(n, kind));
}

/** Days first, then weeks …: a digest reads the day's card before the month's. */
export function scoringOrder(a: Period, b: Period): number {
  return PERIOD_KINDS.indexOf(a.kind) - PERIOD_KINDS.indexOf(b.kind) || a.first - b.first;
}

export interface OwedPeriod {
  periodKey: string;
  periodKind: string;
  generation: number;
  owedSince: Date;
  reason: string;
}

/** Records that the periods of these days owe a re-score; one statement, whatever the count. */
export async function owePeriodsOfDays(
  db: Queryable,
  days: Iterable<string>,
  reason: string,
  now: Date,
): Promise<number> {
  const periods = new Map<string, Period>();
  for (const day of new Set(days)) for (const period of periodsOfDay(day)) periods.set(period.key, period);
  return owePeriods(db, [...periods.values()], reason, now);
}

export async function owePeriods(
  db: Queryable,
  periods: Period[],
  reason: string,
  now: Date,
): Promise<number> {
  if (periods.length === 0) return 0;
  await db
    .insert(owedScoring)
    .values(periods.map((p) => ({ periodKey: p.key, periodKind: p.kind, owedSince: now, reason })))
    .onConflictDoUpdate({
      target: owedScoring.periodKey,
      // A fresh generation, never one of the period's earlier ones (schema.ts, owedGenerations).
      set: { generation: sql`nextval('owed_scoring_generation')`, reason: sql`excluded.reason` },
    });
  return periods.length;
}

/** Everything owed, in scoring order. */
export async function owedPeriods(db: Queryable): Promise<OwedPeriod[]> {
  const rows = await db.select().from(owedScoring);
  const rank = (kind: string) => PERIOD_KINDS.indexOf(kind as PeriodKind);
  return rows.sort(
    (a, b) => rank(a.periodKind) - rank(b.periodKind) || a.periodKey.localeCompare(b.periodKey),
  );
}

export async function owedPeriod(db: Queryable, periodKey: string): Promise<OwedPeriod | undefined> {
  const [row] = await db.select().from(owedScoring).where(eq(owedScoring.periodKey, periodKey));
  return row;
}

/**
 * The period is scored as of `generation`: its row goes, unless something owed it again since
 * (then the row stays for the next drain). True when the debt is settled.
 */
export async function settleOwed(db: Queryable, periodKey: string, generation: number): Promise<boolean> {
  const deleted = await db
    .delete(owedScoring)
    .where(and(eq(owedScoring.periodKey, periodKey), eq(owedScoring.generation, generation)))
    .returning({ periodKey: owedScoring.periodKey });
  return deleted.length === 1;
}
