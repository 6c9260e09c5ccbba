import { actualForScore, rawItemScore } from "./item-score.ts";
import { bestFigure, boundsOf } from "./metric-bounds.ts";
import type { MetricDef, Unit } from "./metrics.ts";
import type { ItemSpec } from "./scheme-types.ts";
import type { AgentPeriod, ItemScore } from "./score.ts";
import { finishedValue, type MetricValue } from "./value.ts";

/**
 * The figures coaching may suggest: stated in the steps people read them in, never outside what
 * the metric can be (coverage of at most 100%, no negative count), and for an item on stretches
 * with their own targets, the figure held on every stretch.
 */

/** Steps in which a suggested figure is stated: whole seconds and counts, tenths of a percent. */
export const STEP: Record<Unit, number> = {
  percent: 0.001,
  permille: 0.0001,
  seconds: 1,
  hours: 0.1,
  yuan: 0.01,
  count: 1,
  points: 0.01,
};

/**
 * The agent's figures with `metric` at `actual`: the whole period's, and each stretch's as if the
 * agent had held that figure there, with the stretch's own volume.
 */
export function withFigure(input: AgentPeriod, metric: MetricDef, actual: number): AgentPeriod {
  const values = { ...input.values, [metric.id]: finishedValue(actual) };
  if (!input.segments) return { ...input, values };
  const given = input.segments.map((s) => s.values[metric.id]);
  const totalNum = given.reduce((a, v) => a + (v?.num ?? 0), 0);
  const segments = input.segments.map((segment, s) => {
    const value = given[s];
    if (!value) return segment;
    let next: MetricValue;
    if (metric.aggregation === "ratio" || metric.aggregation === "mean")
      next = { num: actual * value.den, den: value.den };
    else if (metric.aggregation === "change") return segment;
    // A total is shared out as the stretches shared the figure (evenly when it was nothing).
    else
      next = {
        num: totalNum === 0 ? actual / given.filter(Boolean).length : (actual * value.num) / totalNum,
        den: value.den,
      };
    return { ...segment, values: { ...segment.values, [metric.id]: next } };
  });
  return { ...input, values, segments };
}

/** The highest score the item can reach: its cap, unless the metric's bounds stop it short. */
export function bestScore(
  metric: MetricDef,
  spec: ItemSpec,
  item: ItemScore,
  rescore: (actual: number) => number | null,
): number {
  const best = bestFigure(metric);
  if (!Number.isFinite(best)) return spec.rule.kind === "proportional" ? spec.cap : 100;
  if (item.segments) return rescore(best) ?? item.score!;
  return rawItemScore(metric, spec.rule, item.target, best, spec.cap);
}

/**
 * The figure, in stated steps and within bounds, that scores at least `wanted` on the item, or
 * undefined if none does. `rescore` gives the item's score with the figure put in.
 */
export function figureFor(
  metric: MetricDef,
  spec: ItemSpec,
  item: ItemScore,
  wanted: number,
  rescore: (actual: number) => number | null,
): number | undefined {
  const up = metric.direction === "up";
  const unit = STEP[metric.unit];
  const bounds = boundsOf(metric);
  const inBounds = (x: number) => x >= bounds.min - 1e-12 && x <= bounds.max + 1e-12;
  const stated = (x: number) => (up ? Math.ceil(x / unit - 1e-9) : Math.floor(x / unit + 1e-9)) * unit;
  const enough = (x: number) => (rescore(x) ?? Number.NEGATIVE_INFINITY) >= wanted - 1e-9;
  let guess: number | undefined;
  if (!item.segments) {
    const exact = actualForScore(metric, spec.rule, item.target, Math.max(wanted, 1e-9), spec.cap);
    if (exact !== undefined) guess = stated(exact);
  } else {
    // Stretches with their own targets have no closed form: halve the way to the best figure.
    const best = bestFigure(metric);
    // Where the metric has no ceiling, ten times the figure is as far as anyone would be asked.
    const far = Number.isFinite(best) ? best : Math.abs(item.actual!) * 10 + 1000;
    if (!enough(far)) return undefined;
    let lo = item.actual!;
    let hi = far;
    for (let i = 0; i < 60 && Math.abs(hi - lo) > unit / 4; i++) {
      const mid = (lo + hi) / 2;
      if (enough(mid)) hi = mid;
      else lo = mid;
    }
    guess = stated(hi);
  }
  for (let attempt = 0; guess !== undefined && attempt < 5; attempt++) {
    if (!inBounds(guess)) return undefined;
    if (enough(guess)) return roundFigure(guess);
    guess += up ? unit : -unit;
  }
  return undefined;
}

const roundFigure = (x: number) => Math.round(x * 1e6) / 1e6;
