import { and, asc, desc, eq, gte, inArray, isNull, lte } from "drizzle-orm";
import type { ConversationMessage, QaStratum } from "../engine/index.ts";
import type { Queryable } from "./database.ts";
import { qaConversations, qaRatings, qaReviews } from "./schema.ts";

/**
 * Quality review's records: the kept conversations the weekly sample picks from, the reviews it
 * assigns, and the ratings given. Writers run inside the caller's transaction.
 */

export interface QaCandidateRow {
  id: number;
  agentId: string;
  shopId: string;
  day: string;
  sampleKey: string;
  strata: QaStratum[];
}

/** Kept conversations of these days (inclusive) not yet picked for a review. */
export async function unreviewedConversations(
  db: Queryable,
  from: string,
  to: string,
): Promise<QaCandidateRow[]> {
  const rows = await db
    .select({
      id: qaConversations.id,
      agentId: qaConversations.agentId,
      shopId: qaConversations.shopId,
      day: qaConversations.day,
      sampleKey: qaConversations.sampleKey,
      strata: qaConversations.strata,
    })
    .from(qaConversations)
    .leftJoin(qaReviews, eq(qaReviews.conversationId, qaConversations.id))
    .where(
      and(gte(qaConversations.day, from), lte(qaConversations.day, to), isNull(qaReviews.conversationId)),
    )
    .orderBy(asc(qaConversations.sampleKey));
  return rows.map((r) => ({ ...r, strata: r.strata as QaStratum[] }));
}

/** Agents whose conversations were already picked for this week's batch. */
export async function agentsSampledIn(db: Queryable, week: string): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ agentId: qaReviews.agentId })
    .from(qaReviews)
    .where(eq(qaReviews.week, week));
  return new Set(rows.map((r) => r.agentId));
}

export type QaReviewRow = typeof qaReviews.$inferInsert;

/** Assigns reviews; a conversation already assigned keeps its review. Returns those assigned now. */
export async function assignReviews(tx: Queryable, rows: readonly QaReviewRow[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await tx
    .insert(qaReviews)
    .values([...rows])
    .onConflictDoNothing()
    .returning({ id: qaReviews.conversationId });
  return inserted.map((r) => r.id);
}

export interface QaReviewCase {
  id: number;
  shopId: string;
  agentId: string;
  day: string;
  session: string;
  customer: string;
  startedAt: Date;
  firstWaitSeconds: number | null;
  longestWaitSeconds: number | null;
  rating: number | null;
  transferred: boolean;
  phraseHits: string[];
  badReview: boolean;
  messages: ConversationMessage[];
  review: { reviewerId: string; week: string; stratum: string; dueAt: Date; assignedAt: Date } | null;
  rated: QaRatingRow | null;
}

export type QaRatingRow = typeof qaRatings.$inferSelect;

export async function reviewCases(db: Queryable, ids: readonly number[]): Promise<QaReviewCase[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ c: qaConversations, r: qaReviews, rated: qaRatings })
    .from(qaConversations)
    .leftJoin(qaReviews, eq(qaReviews.conversationId, qaConversations.id))
    .leftJoin(qaRatings, eq(qaRatings.conversationId, qaConversations.id))
    .where(inArray(qaConversations.id, [...ids]))
    .orderBy(asc(qaConversations.id));
  return rows.map(({ c, r, rated }) => ({
    id: c.id,
    shopId: c.shopId,
    agentId: c.agentId,
    day: c.day,
    session: c.session,
    customer: c.customer,
    startedAt: c.startedAt,
    firstWaitSeconds: c.firstWaitSeconds,
    longestWaitSeconds: c.longestWaitSeconds,
    rating: c.rating,
    transferred: c.transferred,
    phraseHits: c.phraseHits,
    badReview: c.badReview,
    messages: JSON.parse(c.transcript) as ConversationMessage[],
    review: r
      ? {
          reviewerId: r.reviewerId,
          week: r.week,
          stratum: r.stratum,
          dueAt: r.dueAt,
          assignedAt: r.assignedAt,
        }
      : null,
    rated: rated ?? null,
  }));
}

/** Stores a rating, replacing an earlier one; returns the earlier one (for the audit). */
export async function saveRating(tx: Queryable, rating: QaRatingRow): Promise<QaRatingRow | null> {
  const [before] = await tx
    .select()
    .from(qaRatings)
    .where(eq(qaRatings.conversationId, rating.conversationId));
  await tx
    .insert(qaRatings)
    .values(rating)
    .onConflictDoUpdate({
      target: qaRatings.conversationId,
      set: {
        reviewerId: rating.reviewerId,
        results: rating.results,
        score: rating.score,
        note: rating.note,
        ratedAt: rating.ratedAt,
      },
    });
  return before ?? null;
}

export interface QaReviewState {
  id: number;
  agentId: string;
  reviewerId: string;
  week: string;
  assignedAt: Date;
  dueAt: Date;
  day: string;
  ratedAt: Date | null;
}

const stateColumns = {
  id: qaReviews.conversationId,
  agentId: qaReviews.agentId,
  reviewerId: qaReviews.reviewerId,
  week: qaReviews.week,
  assignedAt: qaReviews.assignedAt,
  dueAt: qaReviews.dueAt,
  day: qaConversations.day,
  ratedAt: qaRatings.ratedAt,
};

/** Reviews not rated yet (of one reviewer, or everyone's), oldest due first. */
export async function openReviews(db: Queryable, reviewerId?: string): Promise<QaReviewState[]> {
  return db
    .select(stateColumns)
    .from(qaReviews)
    .innerJoin(qaConversations, eq(qaConversations.id, qaReviews.conversationId))
    .leftJoin(qaRatings, eq(qaRatings.conversationId, qaReviews.conversationId))
    .where(
      and(isNull(qaRatings.conversationId), reviewerId ? eq(qaReviews.reviewerId, reviewerId) : undefined),
    )
    .orderBy(asc(qaReviews.dueAt), asc(qaReviews.conversationId));
}

/** Every review of conversations from these days, rated or not (the 质检报告). */
export async function reviewsOfDays(
  db: Queryable,
  from: string,
  to: string,
): Promise<
  (QaReviewState & {
    results: Record<string, boolean | number> | null;
    score: number | null;
    note: string | null;
  })[]
> {
  return db
    .select({ ...stateColumns, results: qaRatings.results, score: qaRatings.score, note: qaRatings.note })
    .from(qaReviews)
    .innerJoin(qaConversations, eq(qaConversations.id, qaReviews.conversationId))
    .leftJoin(qaRatings, eq(qaRatings.conversationId, qaReviews.conversationId))
    .where(and(gte(qaConversations.day, from), lte(qaConversations.day, to)))
    .orderBy(asc(qaReviews.agentId), asc(qaConversations.day), asc(qaReviews.conversationId));
}

/** An agent's latest rated reviews. */
export async function recentRatingsOf(db: Queryable, agentId: string, limit = 10) {
  return db
    .select({
      id: qaRatings.conversationId,
      day: qaConversations.day,
      results: qaRatings.results,
      note: qaRatings.note,
    })
    .from(qaRatings)
    .innerJoin(qaConversations, eq(qaConversations.id, qaRatings.conversationId))
    .where(eq(qaConversations.agentId, agentId))
    .orderBy(desc(qaRatings.ratedAt))
    .limit(limit);
}

export interface QaRatedDay {
  agentId: string;
  day: string;
  results: Record<string, boolean | number>;
  score: number | null;
}

/** The ratings of conversations of these agents and days (inclusive): what scoring adds up. */
export async function ratingsOfDays(
  db: Queryable,
  agentIds: readonly string[],
  from: string,
  to: string,
): Promise<QaRatedDay[]> {
  if (agentIds.length === 0) return [];
  return db
    .select({
      agentId: qaConversations.agentId,
      day: qaConversations.day,
      results: qaRatings.results,
      score: qaRatings.score,
    })
    .from(qaRatings)
    .innerJoin(qaConversations, eq(qaConversations.id, qaRatings.conversationId))
    .where(
      and(
        inArray(qaConversations.agentId, [...new Set(agentIds)]),
        gte(qaConversations.day, from),
        lte(qaConversations.day, to),
      ),
    );
}
