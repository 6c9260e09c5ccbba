import {
  type AgentPeriod,
  builtinCatalogue,
  dayKey,
  type MetricCatalogue,
  type MetricValue,
  type Period,
} from "../engine/index.ts";
import type { AgentProfile } from "../store/agent-day-repo.ts";
import { type AcceptedCorrection, acceptedCorrections } from "../store/appeal-repo.ts";
import type { Queryable } from "../store/database.ts";

/**
 * Accepted appeals applied at scoring (score-period.ts `cardsOfPeriod`, after the figures are
 * assembled): an item's corrected value replaces the agent's figure of that metric for exactly
 * that period; an excluded fact is taken out of the figures it counts in, on its day, as the
 * table below says per kind (docs/appeals.md says why each is exact or not). Returns the metrics
 * corrected per agent, which the card keeps (`corrected`) and every surface marks.
 */

/** What excluding a fact of each kind does to its day's figures; a kind not here changes nothing. */
export const EXCLUSIONS: Readonly<
  Record<
    string,
    {
      metrics: readonly string[];
      apply?: (values: AgentPeriod["values"], detail: Record<string, unknown>) => void;
    }
  >
> = {
  // One long wait fewer on its day.
  long_wait: {
    metrics: ["long_wait_count"],
    apply: (values) => adjust(values, "long_wait_count", (v) => ({ ...v, num: Math.max(0, v.num - 1) })),
  },
  // The session counts as free of forbidden phrases (exact when this was its one hit).
  forbidden_phrase: {
    metrics: ["script_compliance"],
    apply: (values) =>
      adjust(values, "script_compliance", (v) => ({ ...v, num: Math.min(v.den, v.num + 1) })),
  },
  // The rating is left out of the day's ratings: its score out of the mean, one rating fewer
  // among the satisfied-or-not (a low rating is never a satisfied one).
  low_rating: {
    metrics: ["csat_score", "csat_rate"],
    apply: (values, detail) => {
      const score = typeof detail.score === "number" ? detail.score : undefined;
      if (score !== undefined)
        adjust(values, "csat_score", (v) => (v.den >= 1 ? { ...v, num: v.num - score, den: v.den - 1 } : v));
      adjust(values, "csat_rate", (v) =>
        v.den >= 1 ? { ...v, den: v.den - 1, num: Math.min(v.num, v.den - 1) } : v,
      );
    },
  },
  // Out of 差评挽回率's denominator: recovery-repo.ts leaves it out when counting the day's reviews.
  bad_review: { metrics: ["bad_review_recovery"] },
};

/** The metric an appeal on a fact of this kind is about (its first figure). */
export const factMetric = (kind: string): string | undefined => EXCLUSIONS[kind]?.metrics[0];

/** A figure the source gave ready-made ("92%") cannot be adjusted exactly: it is left as it is. */
function adjust(
  values: AgentPeriod["values"],
  metric: string,
  change: (v: MetricValue) => MetricValue,
): boolean {
  const value = values[metric];
  if (!value || value.finished || value.notCombinable) return false;
  values[metric] = change(value);
  return true;
}

export async function applyAppealCorrections(
  db: Queryable,
  records: AgentPeriod[],
  profiles: ReadonlyMap<string, AgentProfile>,
  period: Period,
  catalogue: MetricCatalogue = builtinCatalogue,
): Promise<Map<string, Set<string>>> {
  const first = dayKey(period.first);
  const last = dayKey(period.last);
  const corrected = new Map<string, Set<string>>();
  const mark = (agent: string, metric: string) => {
    const set = corrected.get(agent) ?? new Set<string>();
    corrected.set(agent, set);
    set.add(metric);
  };
  const accepted = await acceptedCorrections(db, { kind: period.kind, key: period.key, first, last });
  if (accepted.length === 0) return corrected;
  for (const correction of accepted) {
    if (!profiles.has(correction.agentId)) continue;
    if (correction.fact) excludeFact(records, correction, mark);
    else if (correction.period) replaceFigure(records, correction, first, catalogue, mark);
  }
  return corrected;
}

function excludeFact(
  records: AgentPeriod[],
  { agentId, fact }: AcceptedCorrection,
  mark: (agent: string, metric: string) => void,
): void {
  const rule = EXCLUSIONS[fact!.kind];
  if (!rule) return;
  // An agent with figures from two shops on one day has two records; the fact goes from the first.
  const record = records.find((r) => r.agent === agentId && r.period === fact!.day);
  if (!record) return;
  const values = { ...record.values };
  rule.apply?.(values, fact!.detail);
  record.values = values;
  for (const metric of rule.metrics) {
    const value = values[metric];
    if (value && !value.finished) mark(agentId, metric);
  }
}

/**
 * The corrected figure stands for the whole period: the metric goes from each of the agent's
 * days and the figure is put on the first. A fraction (45/50) is used as given; a single value of
 * a rate or a mean keeps the period's denominator (28 s over the same 40 sessions), so a team's
 * roll-up weighs it as before; a count or an amount is the value itself.
 */
function replaceFigure(
  records: AgentPeriod[],
  { agentId, metric, period: corrected }: AcceptedCorrection,
  first: string,
  catalogue: MetricCatalogue,
  mark: (agent: string, metric: string) => void,
): void {
  const def = catalogue.get(metric);
  if (!def || !corrected) return;
  const own = records.filter((r) => r.agent === agentId && r.period >= first);
  let den = 0;
  let exact = true;
  for (const r of own) {
    const value = r.values[metric];
    if (!value) continue;
    if (value.finished) exact = false;
    den += value.den;
  }
  let value: MetricValue;
  if (corrected.den !== null) value = { num: corrected.num, den: corrected.den };
  else if (def.aggregation === "count" || def.aggregation === "amount")
    value = { num: corrected.num, den: Math.max(1, den) };
  else if ((def.aggregation === "ratio" || def.aggregation === "mean") && exact && den > 0)
    value = { num: corrected.num * den, den };
  else value = { num: corrected.num, den: 1, finished: true };
  for (const r of own) {
    if (r.values[metric] === undefined) continue;
    const { [metric]: _, ...rest } = r.values;
    r.values = rest;
  }
  const earliest = own.reduce<AgentPeriod | undefined>(
    (a, r) => (a && a.period <= r.period ? a : r),
    undefined,
  );
  // No figures of the agent in the period: no card to correct.
  if (!earliest) return;
  earliest.values = { ...earliest.values, [metric]: value };
  mark(agentId, metric);
}
