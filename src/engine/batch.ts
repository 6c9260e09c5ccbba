import { InvalidInput } from "./errors.ts";
import type { MetricCatalogue } from "./metrics.ts";
import type { Period } from "./period.ts";
import { rollUpPeriods } from "./rollup.ts";
import type { Scheme } from "./scheme-types.ts";
import { type AgentPeriod, type Scorecard, scoreAgent } from "./score.ts";
import { scoreTeamLead } from "./team.ts";

/**
 * Several schemes used together, one per role: pre-sales agents by `presales`, their supervisor
 * by `supervisor`, so a whole team is scored in one go.
 */
export interface SchemeSet {
  readonly schemes: readonly Scheme[];
  readonly byRole: ReadonlyMap<string, Scheme>;
  /** Every metric any of the schemes knows. */
  readonly catalogue: MetricCatalogue;
}

export function schemeSet(schemes: readonly Scheme[]): SchemeSet {
  const byRole = new Map<string, Scheme>();
  let catalogue = schemes[0]?.catalogue;
  for (const scheme of schemes) {
    for (const role of scheme.roles.keys()) {
      const other = byRole.get(role);
      if (other)
        throw new InvalidInput("--scheme", `role ${role} is defined by both ${other.id} and ${scheme.id}`);
      byRole.set(role, scheme);
    }
    if (catalogue && scheme.catalogue !== catalogue) {
      catalogue = catalogue.extend([...scheme.catalogue.all()].filter((m) => !catalogue!.get(m.id)));
    }
  }
  if (!catalogue) throw new InvalidInput("--scheme", "no scheme given");
  return { schemes, byRole, catalogue };
}

function schemeFor(set: SchemeSet, record: AgentPeriod): Scheme {
  const scheme = set.byRole.get(record.role);
  if (!scheme) {
    throw new InvalidInput(
      `${record.agent} ${record.period}`,
      `role "${record.role}" is in no scheme given (roles: ${[...set.byRole.keys()].join(", ")})`,
    );
  }
  return scheme;
}

/**
 * Scores every record: rolled up into `period` first if one is given (days into a month …),
 * supervisors (scope: team) from their team's agents of the same period.
 */
export function scoreRecords(set: SchemeSet, records: readonly AgentPeriod[], period?: Period): Scorecard[] {
  const rolled = period ? rollUpPeriods(records, period, set.catalogue) : records;
  if (period && rolled.length === 0) throw new InvalidInput("--period", `no figures fall in ${period.key}`);
  const isLead = (r: AgentPeriod) => schemeFor(set, r).roles.get(r.role)?.scope === "team";
  return rolled.map((record) => {
    const scheme = schemeFor(set, record);
    if (!isLead(record)) return scoreAgent(scheme, record);
    if (record.team === undefined) {
      throw new InvalidInput(
        `${record.agent} ${record.period}`,
        `role ${record.role} is scored on a team: give the record a team`,
      );
    }
    const members = rolled.filter((m) => m.team === record.team && m.period === record.period && !isLead(m));
    if (members.length === 0) {
      throw new InvalidInput(
        `${record.agent} ${record.period}`,
        `team ${record.team} has no agents' figures for ${record.period}`,
      );
    }
    return scoreTeamLead(scheme, record, members);
  });
}
