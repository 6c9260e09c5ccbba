import { and, eq, inArray, like, or } from "drizzle-orm";
import { containsPeriod, type Period, type PeriodRating, parsePeriod } from "../engine/index.ts";
import { recordAudit } from "./audit-repo.ts";
import type { Queryable } from "./database.ts";
import { owePeriods } from "./owed-scoring-repo.ts";
import { periodRatings } from "./schema.ts";

/**
 * The supervisors' ratings of rated items (docs/rules.md "Supervisor-rated items"). A rating is
 * written, audited (`rating.given`, with the level it replaces) and owes its period a re-score
 * in one transaction, so the card and the audit never disagree with the rating.
 */

export type StoredRating = typeof periodRatings.$inferSelect;

export interface GivenRating {
  agentId: string;
  metric: string;
  period: Period;
  level: string;
  score: number;
  ratedBy: string;
  note?: string;
}

/** Writes the rating (replacing the period's earlier one); returns the one it replaced, if any. */
export async function giveRating(
  db: Queryable,
  rating: GivenRating,
  actor: string,
  now: Date,
): Promise<{ previous?: StoredRating }> {
  return db.transaction(async (tx) => {
    const key = and(
      eq(periodRatings.agentId, rating.agentId),
      eq(periodRatings.metric, rating.metric),
      eq(periodRatings.periodKey, rating.period.key),
    );
    const [previous] = await tx.select().from(periodRatings).where(key).for("update");
    const row = {
      agentId: rating.agentId,
      metric: rating.metric,
      periodKind: rating.period.kind,
      periodKey: rating.period.key,
      level: rating.level,
      score: rating.score,
      ratedBy: rating.ratedBy,
      ratedAt: now,
      note: rating.note ?? null,
    };
    await tx
      .insert(periodRatings)
      .values(row)
      .onConflictDoUpdate({
        target: [periodRatings.agentId, periodRatings.metric, periodRatings.periodKey],
        set: { level: row.level, score: row.score, ratedBy: row.ratedBy, ratedAt: now, note: row.note },
      });
    await recordAudit(tx, {
      at: now,
      actor,
      action: "rating.given",
      subject: `rating:${rating.agentId}:${rating.metric}:${rating.period.key}`,
      detail: {
        agent: rating.agentId,
        metric: rating.metric,
        period: rating.period.key,
        old: previous ? { level: previous.level, score: previous.score, by: previous.ratedBy } : null,
        new: { level: row.level, score: row.score, by: row.ratedBy },
        note: row.note,
      },
    });
    await owePeriods(tx, [rating.period], "rating", now);
    return previous ? { previous } : {};
  });
}

/** The ratings given for exactly this period (the card's month), for these agents or all. */
export async function ratingsOfPeriod(
  db: Queryable,
  periodKey: string,
  agentIds?: readonly string[],
): Promise<StoredRating[]> {
  const where =
    agentIds === undefined
      ? eq(periodRatings.periodKey, periodKey)
      : agentIds.length === 0
        ? undefined
        : and(eq(periodRatings.periodKey, periodKey), inArray(periodRatings.agentId, [...agentIds]));
  if (agentIds !== undefined && !where) return [];
  return db.select().from(periodRatings).where(where);
}

/** The ratings of the periods inside `period` (a quarter's months), as the engine takes them. */
export async function ratingsWithin(db: Queryable, period: Period): Promise<PeriodRating[]> {
  // Every period key starts with its year; a rated period never crosses a year's end in practice
  // (months, quarters), and a week's key is its ISO year: the year before is read as well.
  const year = period.key.slice(0, 4);
  const rows = await db
    .select({
      agent: periodRatings.agentId,
      metric: periodRatings.metric,
      period: periodRatings.periodKey,
      score: periodRatings.score,
    })
    .from(periodRatings)
    .where(
      or(like(periodRatings.periodKey, `${year}%`), like(periodRatings.periodKey, `${Number(year) - 1}%`)),
    );
  return rows.filter((r) => containsPeriod(period, parsePeriod(r.period)));
}
