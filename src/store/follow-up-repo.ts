import { and, asc, eq, gte, inArray, isNotNull, isNull } from "drizzle-orm";
import type { Queryable } from "./database.ts";
import { facts, followUps, shops } from "./schema.ts";

/**
 * Bad reviews and low ratings, and what was done about them. A bad review is open until a
 * follow_ups row names its outcome (contacted, recovered, unreachable); a rating below 4 until
 * its cause is reviewed (outcome "reviewed"). The fact's id is the id in chat (`done 12 recovered`).
 */

export interface BadReview {
  id: number;
  agentId: string | null;
  at: Date;
  ref: string;
  detail: Record<string, unknown>;
  /** The shop's time zone: due times are shown as the shop's staff read their clocks. */
  timeZone: string;
}

export interface FollowUpRecord {
  factId: number;
  outcome: string;
  note: string | null;
  doneBy: string;
  doneAt: Date;
}

const badReviewColumns = {
  id: facts.id,
  agentId: facts.agentId,
  at: facts.at,
  ref: facts.ref,
  detail: facts.detail,
  timeZone: shops.timeZone,
};

const asBadReview = (row: { detail: unknown } & Omit<BadReview, "detail">): BadReview => ({
  ...row,
  detail: (row.detail ?? {}) as Record<string, unknown>,
});

/**
 * Open bad reviews, oldest first (so the soonest due first). `agentIds` undefined: everyone's,
 * unattributed ones included (an admin's view).
 */
export async function openBadReviews(db: Queryable, agentIds?: readonly string[]): Promise<BadReview[]> {
  if (agentIds?.length === 0) return [];
  const rows = await db
    .select(badReviewColumns)
    .from(facts)
    .innerJoin(shops, eq(facts.shopId, shops.id))
    .leftJoin(followUps, eq(followUps.factId, facts.id))
    .where(
      and(
        eq(facts.kind, "bad_review"),
        isNull(followUps.factId),
        agentIds === undefined ? undefined : inArray(facts.agentId, [...agentIds]),
      ),
    )
    .orderBy(asc(facts.at), asc(facts.id));
  return rows.map(asBadReview);
}

/** One bad review by id, with its follow-up when one is recorded. */
export async function badReviewById(
  db: Queryable,
  id: number,
): Promise<{ review: BadReview; followUp: FollowUpRecord | null } | undefined> {
  const found = await followUpFactById(db, id);
  if (found?.fact.kind !== "bad_review") return undefined;
  const { kind: _, ...review } = found.fact;
  return { review, followUp: found.followUp };
}

/** The facts something is recorded about: bad reviews (followed up) and low ratings (reviewed). */
export type FollowUpKind = "bad_review" | "low_rating";

export interface FollowUpFact extends BadReview {
  kind: FollowUpKind;
}

/** A bad review or a low rating by id, with what is recorded about it. */
export async function followUpFactById(
  db: Queryable,
  id: number,
): Promise<{ fact: FollowUpFact; followUp: FollowUpRecord | null } | undefined> {
  const [row] = await db
    .select({ ...badReviewColumns, kind: facts.kind, followUp: followUps })
    .from(facts)
    .innerJoin(shops, eq(facts.shopId, shops.id))
    .leftJoin(followUps, eq(followUps.factId, facts.id))
    .where(and(eq(facts.id, id), inArray(facts.kind, ["bad_review", "low_rating"])));
  if (!row) return undefined;
  const { followUp, kind, ...fact } = row;
  return { fact: { ...asBadReview(fact), kind: kind as FollowUpKind }, followUp };
}

/** Which of these facts have something recorded (an outcome or a review). */
export async function recordedFactIds(db: Queryable, factIds: readonly number[]): Promise<Set<number>> {
  if (factIds.length === 0) return new Set();
  const rows = await db
    .select({ factId: followUps.factId })
    .from(followUps)
    .where(inArray(followUps.factId, [...new Set(factIds)]));
  return new Set(rows.map((r) => r.factId));
}

/**
 * Records the outcome unless one is already recorded: the first write wins, also when two
 * people press a button at the same moment. Returns the row that stands.
 */
export async function recordFollowUp(
  db: Queryable,
  record: FollowUpRecord,
): Promise<{ recorded: boolean; followUp: FollowUpRecord }> {
  const [inserted] = await db.insert(followUps).values(record).onConflictDoNothing().returning();
  if (inserted) return { recorded: true, followUp: inserted };
  const [standing] = await db.select().from(followUps).where(eq(followUps.factId, record.factId));
  return { recorded: false, followUp: standing! };
}

/**
 * The days of attributed bad reviews marked recovered at or after `since`: the agent-days whose
 * 差评挽回率 changed. Other outcomes (contacted, unreachable) change no figure, since every bad
 * review counts in the denominator whatever was done about it (score-period.ts). Inclusive, so
 * an outcome recorded in the same millisecond as the last look is not missed; re-scoring a
 * period twice changes nothing.
 */
export async function recoveredReviewDaysSince(db: Queryable, since: Date): Promise<string[]> {
  const rows = await db
    .selectDistinct({ day: facts.day })
    .from(followUps)
    .innerJoin(facts, eq(facts.id, followUps.factId))
    .where(
      and(
        gte(followUps.doneAt, since),
        eq(followUps.outcome, "recovered"),
        eq(facts.kind, "bad_review"),
        isNotNull(facts.agentId),
      ),
    )
    .orderBy(asc(facts.day));
  return rows.map((r) => r.day);
}
