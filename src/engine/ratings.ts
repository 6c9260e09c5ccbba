import { containsPeriod, parsePeriod } from "./period.ts";
import type { RatingLevel, Scheme } from "./scheme-types.ts";
import type { AgentPeriod } from "./score.ts";
import type { MetricValues } from "./value.ts";

/**
 * Supervisor-rated items (docs/rules.md "Supervisor-rated items"). A rating is given for one
 * period (the scheme's assessed period, a month by default) and never summed with anything: a
 * card of that period holds the rating's score as its figure ({num: score, den: 1}); a card of a
 * longer period (a quarter of monthly ratings) the mean of the ratings of the periods inside it;
 * a card of a shorter one (a week, a day) none. Figures of a rated metric that came in any other
 * way (an input file) are dropped: only the supervisor's rating scores a rated item.
 */

export interface PeriodRating {
  agent: string;
  metric: string;
  /** The period rated: "2026-11". */
  period: string;
  /** The level's item score, as the scale gave it when rated. */
  score: number;
}

/** The metrics a role rates, by role (empty for a role with no rated item). */
export function ratedMetricsOf(scheme: Scheme, roleId: string): string[] {
  const role = scheme.roles.get(roleId);
  if (!role) return [];
  return role.items.filter((i) => i.rule.kind === "rated").map((i) => i.metric.id);
}

/** The level a supervisor typed (优秀, excellent, case aside), or undefined. */
export function findLevel(scale: readonly RatingLevel[], word: string): RatingLevel | undefined {
  const key = word.trim().toLowerCase();
  return scale.find((l) => l.level.toLowerCase() === key || l.en?.toLowerCase() === key);
}

/**
 * Sets each record's rated figures from the ratings of the periods inside its own; `ratedOf`
 * names the metrics the record's role rates.
 */
export function applyRatings(
  records: AgentPeriod[],
  ratings: readonly PeriodRating[],
  ratedOf: (record: AgentPeriod) => readonly string[],
): void {
  const byAgent = new Map<string, PeriodRating[]>();
  for (const r of ratings) {
    const list = byAgent.get(r.agent);
    if (list) list.push(r);
    else byAgent.set(r.agent, [r]);
  }
  for (const record of records) {
    const rated = ratedOf(record);
    if (rated.length === 0) continue;
    const outer = parsePeriod(record.period);
    const own = (byAgent.get(record.agent) ?? []).filter((r) => containsPeriod(outer, parsePeriod(r.period)));
    const values: MetricValues = { ...record.values };
    for (const metric of rated) {
      delete values[metric];
      const given = own.filter((r) => r.metric === metric);
      if (given.length === 0) continue;
      values[metric] = { num: given.reduce((sum, r) => sum + r.score, 0), den: given.length };
    }
    record.values = values;
  }
}
