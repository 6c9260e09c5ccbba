import { and, asc, eq, gte, inArray, lte, type SQL, sql } from "drizzle-orm";
import type { MetricValues } from "../engine/index.ts";
import { type Queryable, rowsOf } from "./database.ts";
import { figuresOfText } from "./figures-text.ts";
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
  // Plain rows, not drizzle's mapping, and no ORDER BY: a month of a big shop is 300,000 rows,
  // which the server sorted on disk and drizzle mapped row by row, for a few keys held twice.
  const rows = rowsOf<StoredRow>(
    await db.execute(sql`SELECT shop_id, agent_id, day::text AS day, values, pending::text AS pending,
        import_run_id AS run
      FROM ${agentDays} WHERE ${where ?? sql`true`}`),
  );
  // In key order (shop, agent, day), not the scan's: PostgreSQL may hand one run's rows in any
  // order (a parallel scan), and the engine's sums of the same figures in another order differ in
  // their last bits, so the same figures would give cards that differ from one scoring to the
  // next. Sorted part by part (shops, each shop's agents, each agent's days) rather than as one
  // list of joined keys: the same order (ids hold no NUL), a fraction of the comparisons.
  const byAgent = new Map<string, Map<string, StoredRow[]>>();
  for (const row of rows) {
    let agentsOfShop = byAgent.get(row.shop_id);
    if (agentsOfShop === undefined) {
      agentsOfShop = new Map();
      byAgent.set(row.shop_id, agentsOfShop);
    }
    const list = agentsOfShop.get(row.agent_id);
    if (list === undefined) agentsOfShop.set(row.agent_id, [row]);
    else list.push(row);
  }
  const days: StoredAgentDay[] = [];
  // Each row brings its own copy of its shop's, agent's and day's names; the days keep one of each
  // (a month of a big shop is 310,000 rows of 10,000 agents and 31 days, held while it is scored).
  const dayNames = new Map<string, string>();
  for (const shop of [...byAgent.keys()].sort()) {
    const agentsOfShop = byAgent.get(shop)!;
    for (const agent of [...agentsOfShop.keys()].sort()) {
      // Where sources overlap, the later import wins: merged in the order they were imported.
      const list = agentsOfShop.get(agent)!.sort((a, b) => byText(a.day, b.day) || a.run - b.run);
      for (let i = 0; i < list.length; ) {
        let day = dayNames.get(list[i]!.day);
        if (day === undefined) {
          day = list[i]!.day;
          dayNames.set(day, day);
        }
        const merged = dayOf(list[i]!, shop, agent, day);
        for (i++; i < list.length && list[i]!.day === merged.day; i++) {
          const row = list[i]!;
          const values = figuresOfText(row.values);
          const pending = pendingOf(row.pending);
          Object.assign(merged.values, values);
          merged.pending = [...new Set([...merged.pending.filter((id) => !(id in values)), ...pending])];
        }
        days.push(merged);
      }
    }
  }
  return days;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface StoredRow {
  shop_id: string;
  agent_id: string;
  day: string;
  values: string;
  pending: string;
  run: number;
}

/** The pending metrics of the many agent-days with none: one array, never changed (a merge makes a new one). */
const NO_PENDING: string[] = Object.freeze([]) as unknown as string[];

const pendingOf = (text: string): string[] => (text === "[]" ? NO_PENDING : (JSON.parse(text) as string[]));

function dayOf(row: StoredRow, shopId: string, agentId: string, day: string): StoredAgentDay {
  return { agentId, shopId, day, values: figuresOfText(row.values), pending: pendingOf(row.pending) };
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
