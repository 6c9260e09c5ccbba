import type { AgentPeriod, RankInput, Scheme, Scorecard } from "../engine/index.ts";
import type { AgentProfile } from "./agent-day-repo.ts";

/**
 * The engine's inputs from what the store keeps, built one way for scoring, the digests and the
 * commands: an agent-day's figures as an engine record, and which roles lead a team.
 */

export function recordOf(profile: AgentProfile, day: string, values: AgentPeriod["values"]): AgentPeriod {
  return {
    agent: profile.id,
    role: profile.role,
    period: day,
    values,
    ...(profile.teamId ? { team: profile.teamId } : {}),
    ...(profile.shopId ? { shop: profile.shopId } : {}),
    ...(profile.category ? { category: profile.category } : {}),
    ...(profile.traineeSince ? { traineeSince: profile.traineeSince } : {}),
  };
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
