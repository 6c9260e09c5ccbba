import { rawItemScore } from "./item-score.ts";
import type { MetricDef } from "./metrics.ts";
import { dayKey } from "./period.ts";
import { apportion, FULL_WEIGHT, type PlanItem, planRole, type RolePlan, targetFor } from "./plan.ts";
import type { RoleSpec } from "./scheme-types.ts";
import { type Segment, segmentDays } from "./season.ts";
import { actualOf, type MetricValue, type MetricValues } from "./value.ts";

/**
 * A period that a season covers only in part (November, when Double 11 ends on the 11th) is
 * scored with each day's own rules:
 * - an item's weight is the days-weighted mean of its weight in each stretch (an item a season
 *   adds weighs in proportion to the season's days, one it removes likewise the less);
 * - an item whose target changes across the stretches scores each stretch against its own
 *   target, and the stretches' scores are combined weighted by the volume each measured (its
 *   denominator: sessions, ratings, inquiries). Totals and changes (counts, amounts, AOV uplift)
 *   have no per-stretch volume: the whole figure is held against the days-weighted target.
 * An item with one target throughout is scored on the whole period's figure, as any other.
 */

/** An agent's figures for one stretch of the period (rolled up from its days). */
export interface SegmentValues {
  first: number;
  last: number;
  values: MetricValues;
}

/** One stretch of an item, as `explain` shows the split. */
export interface ItemSegment {
  first: string;
  last: string;
  seasons: readonly string[];
  target: number;
  actual: number | null;
  score: number | null;
  /** What the stretch's score weighs: its denominator (sessions …), or its days for totals. */
  volume: number;
}

/** The plan of a period cut into segments (season.ts). */
export function segmentedPlan(role: RoleSpec, segments: readonly Segment[]): RolePlan {
  const plans = segments.map((segment) => planRole(role, segment.seasons));
  const first = new Map<string, PlanItem>();
  for (const plan of plans)
    for (const item of plan.items) if (!first.has(item.spec.metric.id)) first.set(item.spec.metric.id, item);
  const ids = [...first.keys()];
  const bySegment = plans.map((plan) => ids.map((id) => plan.items.find((i) => i.spec.metric.id === id)));
  const dayWeights = ids.map((_, k) =>
    segments.reduce((sum, segment, s) => sum + segmentDays(segment) * (bySegment[s]![k]?.weightBp ?? 0), 0),
  );
  const weights = apportion(FULL_WEIGHT, dayWeights);
  const everyday = plans.find((_, s) => segments[s]!.seasons.length === 0);
  const items = ids.map((id, k) => {
    const item = first.get(id)!;
    const target = everyday?.items.find((i) => i.spec.metric.id === id)?.target ?? item.target;
    return { spec: item.spec, target, weightBp: weights[k]! };
  });
  const seasons = [...new Set(segments.flatMap((s) => s.seasons.map((season) => season.name)))];
  return {
    role,
    seasons,
    items,
    segments: segments.map((segment, s) => ({
      first: segment.first,
      last: segment.last,
      plan: plans[s]!,
      items: bySegment[s]!,
    })),
  };
}

export interface SegmentedItem {
  target: number;
  actual: number | null;
  /** Unrounded, within [0, cap]; null with nothing to measure. */
  score: number | null;
  /** No figure in any stretch (as opposed to a zero denominator). */
  missing: boolean;
  segments: ItemSegment[];
}

interface Who {
  team?: string | undefined;
  category?: string | undefined;
  segments?: readonly SegmentValues[] | undefined;
  values: MetricValues;
}

/**
 * Item `k` of a segmented plan, or undefined when one target holds on every day (the caller
 * scores the whole period's figure then).
 */
export function scoreOverSegments(plan: RolePlan, k: number, who: Who): SegmentedItem | undefined {
  const stretches = plan.segments!;
  const planned = stretches.flatMap((segment, s) => {
    const item = segment.items[k];
    return item ? [{ segment, item, s, target: targetFor(item.target, who.team, who.category) }] : [];
  });
  const metric = plan.items[k]!.spec.metric;
  const same = planned.every((p) => p.target === planned[0]!.target && p.item.spec === planned[0]!.item.spec);
  if (planned.length === stretches.length && same) return undefined;
  const values = alignedValues(plan, who.segments);
  const measured = metric.aggregation === "ratio" || metric.aggregation === "mean";
  const rows = planned.map(({ segment, item, s, target }) => {
    const value = values?.[s]?.values[metric.id];
    const actual = value === undefined ? null : actualOf(metric, value);
    const score =
      actual === null ? null : rawItemScore(metric, item.spec.rule, target, actual, item.spec.cap);
    const volume = measured ? (value?.den ?? 0) : segmentDays(segment);
    return { segment, target, value, actual, score, volume };
  });
  const segments = rows.map(
    (r): ItemSegment => ({
      first: dayKey(r.segment.first),
      last: dayKey(r.segment.last),
      seasons: r.segment.plan.seasons,
      target: r.target,
      actual: r.actual,
      score: r.score,
      volume: r.volume,
    }),
  );
  const days = rows.reduce((sum, r) => sum + segmentDays(r.segment), 0);
  const daysTarget = rows.reduce((sum, r) => sum + r.target * segmentDays(r.segment), 0) / days;
  if (measured && values) {
    const scored = rows.filter((r) => r.score !== null && r.volume > 0);
    const volume = scored.reduce((sum, r) => sum + r.volume, 0);
    if (volume === 0)
      return {
        target: daysTarget,
        actual: null,
        score: null,
        missing: rows.every((r) => !r.value),
        segments,
      };
    const pooled = pool(scored.map((r) => r.value!));
    return {
      target: scored.reduce((sum, r) => sum + r.target * r.volume, 0) / volume,
      actual: actualOf(metric, pooled),
      score: scored.reduce((sum, r) => sum + r.score! * r.volume, 0) / volume,
      missing: false,
      segments,
    };
  }
  const whole = wholeFigure(metric, who, values, rows);
  const actual = whole === undefined ? null : actualOf(metric, whole);
  const spec = planned[0]!.item.spec;
  return {
    target: daysTarget,
    actual,
    score: actual === null ? null : rawItemScore(metric, spec.rule, daysTarget, actual, spec.cap),
    missing: whole === undefined,
    segments,
  };
}

/** The agent's stretches, if they were cut where the plan's were (else the whole figure serves). */
function alignedValues(plan: RolePlan, segments: readonly SegmentValues[] | undefined) {
  const stretches = plan.segments!;
  if (!segments || segments.length !== stretches.length) return undefined;
  return segments.every((v, s) => v.first === stretches[s]!.first && v.last === stretches[s]!.last)
    ? segments
    : undefined;
}

/** A total over the stretches the item is weighed in; a change metric's whole-period figure. */
function wholeFigure(
  metric: MetricDef,
  who: Who,
  values: readonly SegmentValues[] | undefined,
  rows: { value: MetricValue | undefined }[],
): MetricValue | undefined {
  if (metric.aggregation === "change" || !values) return who.values[metric.id];
  const given = rows.flatMap((r) => (r.value ? [r.value] : []));
  return given.length === 0 ? undefined : pool(given);
}

function pool(values: readonly MetricValue[]): MetricValue {
  return values.reduce((sum, v) => ({ num: sum.num + v.num, den: sum.den + v.den }), { num: 0, den: 0 });
}
