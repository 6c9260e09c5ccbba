import { InvalidInput } from "./errors.ts";
import { sumValues } from "./rollup.ts";
import type { Scheme } from "./scheme-types.ts";
import { type AgentPeriod, type Scorecard, scoreAgent } from "./score.ts";

/**
 * A supervisor (a role with scope: team) is scored on the roll-up of the team's agents for the
 * same period, plus the figures only the supervisor has (training, attrition), which win where
 * both give one.
 */
export function scoreTeamLead(scheme: Scheme, lead: AgentPeriod, members: readonly AgentPeriod[]): Scorecard {
  const stray = members.find((m) => m.period !== lead.period);
  if (stray) {
    throw new InvalidInput(
      `${lead.agent} ${lead.period}`,
      `team member ${stray.agent} has figures for ${stray.period}, not ${lead.period}; roll members up to the supervisor's period first`,
    );
  }
  const team = sumValues(
    members.map((m) => m.values),
    scheme.catalogue,
  );
  const card = scoreAgent(scheme, { ...lead, values: { ...team, ...lead.values } });
  card.teamLead = true;
  return card;
}
