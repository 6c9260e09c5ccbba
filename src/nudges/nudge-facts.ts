import { and, asc, eq, gte, inArray, isNotNull, isNull } from "drizzle-orm";
import { FOLLOW_UP_WINDOW_MS } from "../follow-ups/follow-up-outcomes.ts";
import type { Queryable } from "../store/database.ts";
import { facts, followUps, shops } from "../store/schema.ts";
import type { BadReviewFacts, LongWait } from "./nudge-items.ts";

/**
 * The facts nudges and escalations are made of, read from the `facts` table as the imports
 * stored them (src/engine/chatlog/facts.ts: long_wait {session, customer, waitSeconds},
 * low_rating {session, score}, bad_review {order, customer, text}).
 */

const text = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : fallback);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

export interface AgentFact<T> {
  agentId: string;
  day: string;
  fact: T;
}

/** Waits longer than `maxWaitSeconds` on the days given, of attributed agents. */
export async function longWaitsOn(
  db: Queryable,
  days: readonly string[],
  maxWaitSeconds: number,
): Promise<AgentFact<LongWait>[]> {
  if (days.length === 0) return [];
  const rows = await db
    .select({ agentId: facts.agentId, day: facts.day, at: facts.at, ref: facts.ref, detail: facts.detail })
    .from(facts)
    .where(and(eq(facts.kind, "long_wait"), inArray(facts.day, [...days]), isNotNull(facts.agentId)))
    .orderBy(asc(facts.at), asc(facts.id));
  return rows.flatMap((r) => {
    const d = (r.detail ?? {}) as Record<string, unknown>;
    const waitSeconds = num(d.waitSeconds);
    if (waitSeconds === undefined || waitSeconds <= maxWaitSeconds) return [];
    const customer = typeof d.customer === "string" ? d.customer : null;
    return [
      {
        agentId: r.agentId!,
        day: r.day,
        fact: { session: text(d.session, r.ref), customer, at: r.at, waitSeconds: Math.round(waitSeconds) },
      },
    ];
  });
}

export interface LowRating {
  factId: number;
  session: string;
  score: number;
  at: Date;
}

/** What a nudge tells of a fact. */
const factColumns = {
  id: facts.id,
  agentId: facts.agentId,
  day: facts.day,
  at: facts.at,
  ref: facts.ref,
  detail: facts.detail,
};

/** Ratings below `below` on the days given whose review is not recorded yet. */
export async function unreviewedRatingsOn(
  db: Queryable,
  days: readonly string[],
  below: number,
): Promise<AgentFact<LowRating>[]> {
  if (days.length === 0) return [];
  const rows = await db
    .select(factColumns)
    .from(facts)
    .leftJoin(followUps, eq(followUps.factId, facts.id))
    .where(
      and(
        eq(facts.kind, "low_rating"),
        inArray(facts.day, [...days]),
        isNotNull(facts.agentId),
        isNull(followUps.factId),
      ),
    )
    .orderBy(asc(facts.at), asc(facts.id));
  return rows.flatMap((r) => lowRatingOf(r, below));
}

/** Low ratings by id, whether reviewed or not (an escalation lists them). */
export async function ratingsByIds(db: Queryable, ids: readonly number[]): Promise<Map<number, LowRating>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select(factColumns)
    .from(facts)
    .where(and(eq(facts.kind, "low_rating"), inArray(facts.id, [...new Set(ids)])));
  return new Map(
    rows.flatMap((r) => lowRatingOf(r, Number.POSITIVE_INFINITY)).map((f) => [f.fact.factId, f.fact]),
  );
}

function lowRatingOf(
  r: { id: number; agentId: string | null; day: string; at: Date; ref: string; detail: unknown },
  below: number,
): AgentFact<LowRating>[] {
  const d = (r.detail ?? {}) as Record<string, unknown>;
  const score = num(d.score);
  if (score === undefined || score >= below || r.agentId === null) return [];
  return [
    {
      agentId: r.agentId,
      day: r.day,
      fact: { factId: r.id, session: text(d.session, r.ref), score, at: r.at },
    },
  ];
}

/**
 * Open bad reviews (nothing recorded) of attributed agents, reviewed from `since` on, oldest
 * first, with their deadline (review time + 24 h) and the shop's time zone.
 */
export async function openBadReviewsSince(
  db: Queryable,
  since: Date,
): Promise<(AgentFact<BadReviewFacts> & { timeZone: string })[]> {
  const rows = await db
    .select({ ...factColumns, timeZone: shops.timeZone })
    .from(facts)
    .innerJoin(shops, eq(facts.shopId, shops.id))
    .leftJoin(followUps, eq(followUps.factId, facts.id))
    .where(
      and(
        eq(facts.kind, "bad_review"),
        isNotNull(facts.agentId),
        isNull(followUps.factId),
        gte(facts.at, since),
      ),
    )
    .orderBy(asc(facts.at), asc(facts.id));
  return rows.map((r) => {
    const d = (r.detail ?? {}) as Record<string, unknown>;
    return {
      agentId: r.agentId!,
      day: r.day,
      timeZone: r.timeZone,
      fact: {
        factId: r.id,
        at: r.at,
        deadline: new Date(r.at.getTime() + FOLLOW_UP_WINDOW_MS),
        order: text(d.order, r.ref),
        customer: text(d.customer),
        text: text(d.text),
      },
    };
  });
}
