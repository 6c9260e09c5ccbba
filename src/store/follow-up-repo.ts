import { and, asc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { dayKey, type Period } from "../engine/index.ts";
import type { Queryable } from "./database.ts";
import { owePeriods, periodsOfDay } from "./owed-scoring-repo.ts";
import { facts, followUps, notices, shops } from "./schema.ts";
import { schemesInForce, scoresRecovery } from "./scheme-repo.ts";

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

/**
 * Low ratings the bot asked an agent to review (a nudge told them: a `low_rating:<id>` notice)
 * whose review is not recorded yet, oldest first. `agentIds` as for openBadReviews.
 */
export async function openAskedRatings(db: Queryable, agentIds?: readonly string[]): Promise<BadReview[]> {
  if (agentIds?.length === 0) return [];
  const rows = await db
    .select(badReviewColumns)
    .from(facts)
    .innerJoin(shops, eq(facts.shopId, shops.id))
    .innerJoin(notices, eq(notices.subject, sql`'low_rating:' || ${facts.id}`))
    .leftJoin(followUps, eq(followUps.factId, facts.id))
    .where(
      and(
        eq(facts.kind, "low_rating"),
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
 * people press a button at the same moment. Returns the row that stands. A recovered bad review
 * changes its agent's 差评挽回率: its day, week and month are owed a re-score in the same
 * transaction (score-period.ts counts every bad review, so no other outcome changes a figure).
 */
export async function recordFollowUp(
  db: Queryable,
  record: FollowUpRecord,
): Promise<{ recorded: boolean; followUp: FollowUpRecord }> {
  return db.transaction(async (tx) => {
    const [inserted] = await tx.insert(followUps).values(record).onConflictDoNothing().returning();
    if (inserted) {
      if (inserted.outcome === "recovered") await oweRecovery(tx, [inserted.factId], inserted.doneAt);
      return { recorded: true, followUp: inserted };
    }
    const [standing] = await tx.select().from(followUps).where(eq(followUps.factId, record.factId));
    return { recorded: false, followUp: standing! };
  });
}

/**
 * The periods whose cards these recovered bad reviews change: their days, weeks and months, where
 * a scheme in force then scores 差评挽回率 (elsewhere the cards would come out the same).
 */
export async function oweRecovery(db: Queryable, factIds: readonly number[], now: Date): Promise<void> {
  if (factIds.length === 0) return;
  const rows = await db
    .selectDistinct({ day: facts.day })
    .from(facts)
    .where(and(inArray(facts.id, [...factIds]), eq(facts.kind, "bad_review"), isNotNull(facts.agentId)));
  const periods = new Map<string, Period>();
  for (const { day } of rows) for (const period of periodsOfDay(day)) periods.set(period.key, period);
  const owed: Period[] = [];
  for (const period of periods.values())
    if (scoresRecovery(await schemesInForce(db, dayKey(period.first)))) owed.push(period);
  await owePeriods(db, owed, `follow-up:${factIds[0]}`, now);
}
