import { and, asc, eq, gte, inArray, lte, type SQL } from "drizzle-orm";
import type { MetricValues } from "../engine/index.ts";
import type { Queryable } from "./database.ts";
import { agentDays, agents, shops, teams } from "./schema.ts";

/** An agent's figures for one day, every source merged. */
export interface StoredAgentDay {
  agentId: string;
  shopId: string;
  day: string;
  values: MetricValues;
  /** Metrics not final yet. */
  pending: string[];
}

/**
 * The agent-days from `from` to `to` (inclusive, YYYY-MM-DD). Where two sources give the same
 * metric for the same agent-day (an export and the raw chat log), the later import wins.
 */
export async function agentDaysBetween(
  db: Queryable,
  from: string,
  to: string,
  shopId?: string,
): Promise<StoredAgentDay[]> {
  const range = and(gte(agentDays.day, from), lte(agentDays.day, to));
  return mergedDays(db, shopId === undefined ? range : and(range, eq(agentDays.shopId, shopId)));
}

/** One agent's agent-days from `from` to `to`, every source merged. */
export async function agentDaysOfAgent(
  db: Queryable,
  agentId: string,
  from: string,
  to: string,
): Promise<StoredAgentDay[]> {
  return mergedDays(
    db,
    and(gte(agentDays.day, from), lte(agentDays.day, to), eq(agentDays.agentId, agentId)),
  );
}

/** Some agents' agent-days (a team's) from `from` to `to`, every source merged. */
export async function agentDaysOfAgents(
  db: Queryable,
  agentIds: readonly string[],
  from: string,
  to: string,
): Promise<StoredAgentDay[]> {
  if (agentIds.length === 0) return [];
  return mergedDays(
    db,
    and(gte(agentDays.day, from), lte(agentDays.day, to), inArray(agentDays.agentId, [...agentIds])),
  );
}

async function mergedDays(db: Queryable, where: SQL | undefined): Promise<StoredAgentDay[]> {
  const rows = await db
    .select({
      agentId: agentDays.agentId,
      shopId: agentDays.shopId,
      day: agentDays.day,
      values: agentDays.values,
      pending: agentDays.pending,
    })
    .from(agentDays)
    .where(where)
    .orderBy(asc(agentDays.importRunId));
  const merged = new Map<string, StoredAgentDay>();
  for (const row of rows) {
    const key = `${row.shopId}\u0000${row.agentId}\u0000${row.day}`;
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, { ...row, values: { ...row.values }, pending: [...row.pending] });
      continue;
    }
    Object.assign(seen.values, row.values);
    seen.pending = [...new Set([...seen.pending.filter((id) => !(id in row.values)), ...row.pending])];
  }
  // In key order, not the scan's: PostgreSQL may hand one run's rows in any order (a parallel
  // scan), and the engine's sums of the same figures in another order differ in their last bits,
  // so the same figures would give cards that differ from one scoring to the next.
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, day]) => day);
}

export interface AgentProfile {
  id: string;
  name: string;
  role: string;
  teamId: string | null;
  /** The team's name as the teams table has it (config or demo). */
  teamName: string | null;
  supervisorId: string | null;
  /** YYYY-MM-DD a new hire started; their scheme's probation may grade them every fortnight. */
  traineeSince: string | null;
  /** Working hours in the shop's zone, when the roster gives them. */
  shift: { start: string; end: string } | null;
  active: boolean;
  shopId: string | null;
  timeZone: string | null;
  category: string | null;
}

/** Every agent, or one team's. */
export async function agentProfiles(db: Queryable, teamId?: string): Promise<AgentProfile[]> {
  return db
    .select({
      id: agents.id,
      name: agents.name,
      role: agents.role,
      teamId: agents.teamId,
      teamName: teams.name,
      supervisorId: agents.supervisorId,
      traineeSince: agents.traineeSince,
      shift: agents.shift,
      active: agents.active,
      shopId: teams.shopId,
      timeZone: shops.timeZone,
      category: shops.category,
    })
    .from(agents)
    .leftJoin(teams, eq(agents.teamId, teams.id))
    .leftJoin(shops, eq(teams.shopId, shops.id))
    .where(teamId === undefined ? undefined : eq(agents.teamId, teamId))
    .orderBy(asc(agents.id));
}
