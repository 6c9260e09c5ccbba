import type { AgentPeriod, RankInput, Scheme, Scorecard } from "../engine/index.ts";
import type { AgentProfile } from "./agent-day-repo.ts";

/**
 * The engine's inputs from what the store keeps, built one way for scoring, the digests and the
 * commands: an agent-day's figures as an engine record, and which roles lead a team.
 */

export function recordOf(profile: AgentProfile, day: string, values: AgentPeriod["values"]): AgentPeriod {
  // Set one by one rather than spread from small objects: a month of a big shop is 310,000 records.
  const record: AgentPeriod = { agent: profile.id, role: profile.role, period: day, values };
  if (profile.teamId) record.team = profile.teamId;
  if (profile.shopId) record.shop = profile.shopId;
  if (profile.category) record.category = profile.category;
  if (profile.traineeSince) record.traineeSince = profile.traineeSince;
  return record;
}

/** Figures derived for one agent-day (from its reviews, its rated conversations), not from the source. */
export interface AgentDayFigures {
  agentId: string;
  day: string;
  values: AgentPeriod["values"];
}

/**
 * Adds figures derived per agent-day to the records, keyed `agentId\u0000day`: onto the first
 * record of the agent-day (an agent with figures from two shops on one day has two records; the
 * figures go on one), where that record does not give the figure itself (what the source gave
 * wins), else as a record of its own, which counts in the agent's week and month.
 */
export function addAgentDayFigures(
  records: AgentPeriod[],
  profiles: ReadonlyMap<string, AgentProfile>,
  byAgentDay: ReadonlyMap<string, AgentDayFigures>,
): void {
  const agents = new Set([...byAgentDay.values()].map((f) => f.agentId));
  const firstRecord = new Map<string, AgentPeriod>();
  for (const r of records) {
    if (!agents.has(r.agent)) continue;
    const key = `${r.agent}\u0000${r.period}`;
    if (byAgentDay.has(key) && !firstRecord.has(key)) firstRecord.set(key, r);
  }
  for (const [key, { agentId, day, values }] of byAgentDay) {
    const record = firstRecord.get(key);
    if (record) {
      const own = Object.fromEntries(
        Object.entries(values).filter(([id]) => record.values[id] === undefined),
      );
      record.values = { ...record.values, ...own };
    } else {
      const profile = profiles.get(agentId);
      if (profile) records.push(recordOf(profile, day, values));
    }
  }
}

/** A lead (a supervisor) is scored on the team's roll-up, not on figures of their own. */
export function isLead(role: string, schemes: ReadonlyMap<string, { scheme: Scheme }>): boolean {
  return schemes.get(role)?.scheme.roles.get(role)?.scope === "team";
}

/**
 * Who is ranked, as every surface ranks (engine/rank.ts): active agents, each with their current
 * team and role (a card scored before a move still counts where the agent is now).
 */
export function rankInputs(
  cards: readonly Pick<Scorecard, "agent" | "total" | "probation" | "teamLead">[],
  profiles: ReadonlyMap<string, Pick<AgentProfile, "active" | "teamId" | "role">>,
): RankInput[] {
  return cards.flatMap((card) => {
    const profile = profiles.get(card.agent);
    if (!profile?.active) return [];
    return [
      {
        agent: card.agent,
        role: profile.role,
        total: card.total,
        ...(profile.teamId ? { team: profile.teamId } : {}),
        ...(card.probation ? { probation: true } : {}),
        ...(card.teamLead ? { teamLead: true } : {}),
      },
    ];
  });
}
