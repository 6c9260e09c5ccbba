import { bestScore, figureFor, withFigure } from "./coaching.ts";
import type { MetricDef } from "./metrics.ts";
import type { GradeBand, ItemSpec, Scheme } from "./scheme-types.ts";
import { type AgentPeriod, type ItemScore, planFor, type Scorecard, scoreAgent } from "./score.ts";
import { roundTo } from "./units.ts";

/**
 * "What it takes to reach the next grade": for each item, the figure that on its own would lift
 * the total into the next band, so /kpi me can coach and not only judge; when no item alone can,
 * the two or three that together would, or that the next grade is out of reach this period. Only
 * figures the metric can take are suggested (coaching.ts), and every suggestion is checked by
 * scoring the agent again with it.
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
  /** When no item alone is enough: two or three that together are, each to the figure given. */
  together?: Lift[];
  /** Not even the best figures the items can take would reach the next grade this period. */
  outOfReach?: true;
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

function nextBand(scheme: Scheme, total: number): GradeBand | null {
  let next: GradeBand | null = null;
  for (const band of scheme.grades) if (band.min > total) next = band;
  return next;
}

/** Items that may be raised (or lowered) to lift the grade, with how far each can still go. */
interface Candidate {
  index: number;
  metric: MetricDef;
  spec: ItemSpec;
  item: ItemScore;
  /** Total points the item adds at its best score. */
  headroom: number;
  best: number;
}

export function adviseNextGrade(
  scheme: Scheme,
  input: AgentPeriod,
  card: Scorecard = scoreAgent(scheme, input),
): NextGradeAdvice {
  const grade = card.grade ?? "";
  const next = card.total === null || card.rawTotal === null ? null : nextBand(scheme, card.total);
  if (!next || card.rawTotal === null) return { grade, next: null, gap: 0, lifts: [], notEnough: [] };
  const gap = roundTo(next.min - (card.total ?? 0), scheme.rounding.total);
  // The raw total that rounds into the next band.
  const threshold = next.min - 0.5 * 10 ** -scheme.rounding.total;
  const needed = threshold - card.rawTotal;
  const plan = planFor(scheme, input.role, input.period);
  const reaches = (figures: AgentPeriod) => {
    const total = scoreAgent(scheme, figures).total;
    return total !== null && total >= next.min;
  };
  const candidates: Candidate[] = [];
  card.items.forEach((item, index) => {
    if (item.status !== "scored" || item.actual === null || item.score === null || item.weight === 0) return;
    const spec = plan.items[index]!.spec;
    const metric = spec.metric;
    const rescore = (actual: number) =>
      scoreAgent(scheme, withFigure(input, metric, actual)).items[index]!.score;
    const best = bestScore(metric, spec, item, rescore);
    const headroom = ((best - item.score) * item.weight) / 100;
    if (headroom > 1e-9) candidates.push({ index, metric, spec, item, headroom, best });
  });
  const lifts: Lift[] = [];
  const notEnough: string[] = [];
  for (const item of card.items) {
    if (item.status !== "scored" || item.score === null) continue;
    const candidate = candidates.find((c) => c.item === item);
    const lift =
      candidate && candidate.headroom >= needed
        ? liftTo(scheme, input, candidate, needed / candidate.headroom)
        : undefined;
    if (lift && reaches(withFigure(input, candidate!.metric, lift.to))) lifts.push(lift);
    else notEnough.push(item.metric);
  }
  lifts.sort((a, b) => Math.abs(a.to / a.from - 1) - Math.abs(b.to / b.from - 1));
  const advice: NextGradeAdvice = { grade, next, gap, lifts, notEnough };
  if (lifts.length > 0) return advice;
  const together = liftTogether(scheme, input, candidates, needed, reaches);
  if (together) advice.together = together;
  else advice.outOfReach = true;
  return advice;
}

/** The item's figure that closes `share` of its headroom (1: its best), as a lift; undefined if none does. */
function liftTo(scheme: Scheme, input: AgentPeriod, c: Candidate, share: number): Lift | undefined {
  const wanted = c.item.score! + Math.min(1, share) * (c.best - c.item.score!);
  const rescore = (actual: number) =>
    scoreAgent(scheme, withFigure(input, c.metric, actual)).items[c.index]!.score;
  const to = figureFor(c.metric, c.spec, c.item, wanted, rescore);
  if (to === undefined) return undefined;
  return {
    metric: c.metric.id,
    ...(c.item.label ? { label: c.item.label } : {}),
    from: c.item.actual!,
    to,
    fromScore: c.item.score!,
    toScore: rescore(to)!,
  };
}

/**
 * When no item alone closes the gap: two items together (else three), each closing the same
 * share of its headroom, the pair or triple that needs the smallest share.
 */
function liftTogether(
  scheme: Scheme,
  input: AgentPeriod,
  candidates: readonly Candidate[],
  needed: number,
  reaches: (figures: AgentPeriod) => boolean,
): Lift[] | undefined {
  for (const size of [2, 3]) {
    const groups = combinations(candidates, size)
      .filter((g) => g.reduce((a, c) => a + c.headroom, 0) >= needed - 1e-9)
      .sort((a, b) => b.reduce((x, c) => x + c.headroom, 0) - a.reduce((x, c) => x + c.headroom, 0))
      // The roomiest few: each try scores the agent again, and a shop scores thousands at once.
      .slice(0, 4);
    for (const group of groups) {
      const headroom = group.reduce((a, c) => a + c.headroom, 0);
      // Figures are stated in steps; a share a little above the exact one absorbs the rounding.
      for (const share of [
        needed / headroom,
        ...[0.25, 0.5, 1].map((k) => needed / headroom + k * (1 - needed / headroom)),
      ]) {
        const lifts = group.map((c) => liftTo(scheme, input, c, share));
        if (lifts.some((l) => l === undefined)) continue;
        const figures = group.reduce((acc, c, k) => withFigure(acc, c.metric, lifts[k]!.to), input);
        if (reaches(figures)) return lifts as Lift[];
      }
    }
  }
  return undefined;
}

function combinations<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  return items.flatMap((item, i) =>
    combinations(items.slice(i + 1), size - 1).map((rest) => [item, ...rest]),
  );
}
