import { eq, max, sql } from "drizzle-orm";
import type { Queryable } from "./database.ts";
import { agentDays, agents, scorecards } from "./schema.ts";

/** What a database holds, in three figures: `kpi start` says it when nothing was loaded. */
export interface DataSummary {
  /** Active agents on the roster. */
  agents: number;
  /** The last day with figures, or null when none came in yet. */
  lastDay: string | null;
  scorecards: number;
}

export async function dataSummary(db: Queryable): Promise<DataSummary> {
  const [roster] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(agents)
    .where(eq(agents.active, true));
  const [days] = await db.select({ last: max(agentDays.day) }).from(agentDays);
  const [cards] = await db.select({ n: sql<number>`count(*)::int` }).from(scorecards);
  return {
    agents: Number(roster?.n ?? 0),
    lastDay: days?.last ?? null,
    scorecards: Number(cards?.n ?? 0),
  };
}
