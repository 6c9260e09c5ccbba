import { actualForScore } from "./item-score.ts";
import type { MetricDef, Unit } from "./metrics.ts";
import type { GradeBand, Scheme } from "./scheme-types.ts";
import { type AgentPeriod, planFor, type Scorecard, scoreAgent } from "./score.ts";
import { roundTo } from "./units.ts";
import { finishedValue } from "./value.ts";

/**
 * "What it takes to reach the next grade": for each item, the figure that on its own would lift
 * the total into the next band, so /kpi me can coach and not only judge. Every suggestion is
 * checked by scoring the agent again with it.
 */

export interface Lift {
  metric: string;
  label?: string;
  from: number;
  to: number;
  fromScore: number;
  toScore: number;
}

export interface NextGradeAdvice {
  grade: string;
  /** The band just above, or null at the top grade (or with no total). */
  next: GradeBand | null;
  /** Points the total is short of the next band. */
  gap: number;
  /** Items that alone would lift the grade, the smallest relative change first. */
  lifts: Lift[];
  /** Scored items that cannot lift the grade alone (already at their cap, or too little weight). */
  notEnough: string[];
}

/** One row of the worked-example table, with the metric's definition for naming and formatting. */
export interface BreakdownRow {
  metric: MetricDef;
  item: Scorecard["items"][number];
}

/** The scorecard as the worked example's table: item, target, actual, score, weight, weighted. */
export function breakdown(scheme: Scheme, card: Scorecard): BreakdownRow[] {
  return card.items.map((item) => ({ metric: scheme.catalogue.get(item.metric)!, item }));
}

/** Steps in which a suggested figure is stated: whole seconds and counts, tenths of a percent. */
const step: Record<Unit, number> = {
  percent: 0.001,
  permille: 0.0001,
  seconds: 1,
  hours: 0.1,
  yuan: 0.01,
  count: 1,
  points: 0.01,
};

function nextBand(scheme: Scheme, total: number): GradeBand | null {
  let next: GradeBand | null = null;
  for (const band of scheme.grades) if (band.min > total) next = band;
  return next;
}

export function adviseNextGrade(
  scheme: Scheme,
  input: AgentPeriod,
  card: Scorecard = scoreAgent(scheme, input),
): NextGradeAdvice {
  const grade = card.grade ?? "";
  const next = card.total === null || card.rawTotal === null ? null : nextBand(scheme, card.total);
  if (!next || card.rawTotal === null) return { grade, next: null, gap: 0, lifts: [], notEnough: [] };
  const threshold = next.min - 0.5 * 10 ** -scheme.rounding.total;
  const plan = planFor(scheme, input.role, input.period);
  const lifts: Lift[] = [];
  const notEnough: string[] = [];
  card.items.forEach((item, i) => {
    if (item.status !== "scored" || item.actual === null || item.score === null) return;
    const spec = plan.items[i]!.spec;
    const lift = liftFor(scheme, input, card, i, spec.metric, threshold, next);
    if (lift) lifts.push({ ...lift, ...(item.label ? { label: item.label } : {}) });
    else notEnough.push(item.metric);
  });
  lifts.sort((a, b) => Math.abs(a.to / a.from - 1) - Math.abs(b.to / b.from - 1));
  return { grade, next, gap: roundTo(next.min - (card.total ?? 0), scheme.rounding.total), lifts, notEnough };
}

function liftFor(
  scheme: Scheme,
  input: AgentPeriod,
  card: Scorecard,
  index: number,
  metric: MetricDef,
  threshold: number,
  next: GradeBand,
): Lift | undefined {
  const item = card.items[index]!;
  const spec = planFor(scheme, input.role, input.period).items[index]!.spec;
  const decimals = scheme.rounding.itemScore;
  const needed = item.score! + ((threshold - card.rawTotal!) * 100) / item.weight;
  const rounded = Math.ceil(needed * 10 ** decimals - 1e-9) / 10 ** decimals;
  if (rounded > spec.cap || item.weight === 0) return undefined;
  const exact = actualForScore(
    metric,
    spec.rule,
    item.target,
    Math.max(rounded - 0.5 * 10 ** -decimals, 1e-9),
    spec.cap,
  );
  if (exact === undefined) return undefined;
  const unit = step[metric.unit];
  const up = metric.direction === "up";
  let candidate = (up ? Math.ceil(exact / unit - 1e-9) : Math.floor(exact / unit + 1e-9)) * unit;
  for (let attempt = 0; attempt < 5; attempt++) {
    const rescored = scoreAgent(scheme, {
      ...input,
      values: { ...input.values, [metric.id]: finishedValue(candidate) },
    });
    if (rescored.total !== null && rescored.total >= next.min) {
      return {
        metric: metric.id,
        from: item.actual!,
        to: roundTo(candidate, 6),
        fromScore: item.score!,
        toScore: rescored.items[index]!.score!,
      };
    }
    candidate += up ? unit : -unit;
    if (!up && candidate < 0) return undefined;
  }
  return undefined;
}
