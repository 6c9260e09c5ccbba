import { and, eq, gte, lte, sql } from "drizzle-orm";
import { excludedByAppeal } from "./appeal-repo.ts";
import type { Queryable } from "./database.ts";
import { facts, followUps } from "./schema.ts";

/**
 * 差评挽回率 (bad_review_recovery) as the follow-ups tell it: per agent-day, the agent's bad
 * reviews of that day and how many of them were recovered (changed or removed after a follow-up).
 */

export interface RecoveryCount {
  agentId: string;
  /** The review's shop-local day. */
  day: string;
  badReviews: number;
  recovered: number;
}

/**
 * The counts of these agents' bad reviews from `from` to `to` (inclusive, YYYY-MM-DD), one row
 * per agent-day that has any. One query for a whole period: the agents go as one array
 * parameter (a 10,000-agent shop would need 10,000 bind parameters with IN), and
 * `agent_id = ANY(…) AND day BETWEEN …` is what the facts_agent_day index (agent_id, day) answers;
 * a range of days alone cannot use it, the index leading with the agent. With 10,000 agents
 * PostgreSQL 15 still prefers a parallel scan of facts to 10,000 index descents (PGlite takes
 * the index): a partial index on (day, agent_id) WHERE kind = 'bad_review' would serve it better.
 */
export async function recoveryCounts(
  db: Queryable,
  agentIds: readonly string[],
  from: string,
  to: string,
): Promise<RecoveryCount[]> {
  if (agentIds.length === 0) return [];
  const rows = await db
    .select({
      agentId: facts.agentId,
      day: facts.day,
      badReviews: sql<number>`count(*)::int`,
      recovered: sql<number>`(count(*) FILTER (WHERE ${followUps.outcome} = 'recovered'))::int`,
    })
    .from(facts)
    .leftJoin(followUps, eq(followUps.factId, facts.id))
    .where(
      and(
        sql`${facts.agentId} = ANY(${sql.param([...new Set(agentIds)])}::text[])`,
        gte(facts.day, from),
        lte(facts.day, to),
        eq(facts.kind, "bad_review"),
        // An appeal accepted with the review excluded takes it out of the figure (docs/appeals.md).
        sql`NOT ${excludedByAppeal(facts.id)}`,
      ),
    )
    .groupBy(facts.agentId, facts.day);
  return rows.map((r) => ({
    agentId: r.agentId!,
    day: r.day,
    badReviews: Number(r.badReviews),
    recovered: Number(r.recovered),
  }));
}
