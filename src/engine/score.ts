import { InvalidInput } from "./errors.ts";
import { rawItemScore } from "./item-score.ts";
import { type PayBreakdown, payFor } from "./pay.ts";
import { PERIOD_KINDS, type Period, type PeriodKind, parseDay, parsePeriod } from "./period.ts";
import { FULL_WEIGHT, type PlanItem, planRole, type RolePlan, targetFor } from "./plan.ts";
import type { GradeBand, Scheme } from "./scheme-types.ts";
import { type SeasonDays, seasonDaysOf, seasonSegments } from "./season.ts";
import { type ItemSegment, type SegmentValues, scoreOverSegments, segmentedPlan } from "./segments.ts";
import { roundTo } from "./units.ts";
import { actualOf, type MetricValue, type MetricValues } from "./value.ts";

/** Who and when a set of figures or a scorecard is about. */
export interface Subject {
  agent: string;
  role: string;
  /** "2026-11", "2026-W47", "2026-11-23", "2026-Q4" */
  period: string;
  team?: string;
  shop?: string;
  category?: string;
}

/** What is known of one agent (or one team, for a supervisor) for one period. */
export interface AgentPeriod extends Subject {
  /** Monthly pay the split applies to, if the scheme has one. */
  salary?: number;
  /** YYYY-MM-DD: a new hire within the scheme's probation is graded per its shorter period. */
  traineeSince?: string;
  values: MetricValues;
  /**
   * The same figures cut where the scheme's seasons begin and end within the period (batch.ts
   * fills them in from the days), so each stretch is judged by its own targets (segments.ts).
   */
  segments?: readonly SegmentValues[];
}

/**
 * scored: figures present; missing: no figure at all; no-data: a zero denominator (no sessions,
 * no ratings). Missing and no-data items follow the item's missing-data rule.
 * not-combinable: the period combines figures that arrived finished (a rate without its count),
 * which no sum makes exact. The export's gap is not the agent's doing: the item is left out
 * whatever the missing-data rule says, its weight shared by the others, and the coverage rule
 * decides whether the card is graded.
 * awaiting-rating: a supervisor-rated item with no rating for the period (ratings.ts). On a card of
 * the assessed period it holds the whole card back (`awaitingRating`); on a watch card it is
 * simply not rated for so short a period.
 */
export type ItemStatus = "scored" | "missing" | "no-data" | "not-combinable" | "awaiting-rating";

export interface ItemScore {
  metric: string;
  label?: string;
  dimension: string;
  /** Engine units: fractions for percentages, seconds, yuan … */
  target: number;
  actual: number | null;
  score: number | null;
  /** Percent of the total this item carries after any renormalisation, and as the scheme set it. */
  weight: number;
  nominalWeight: number;
  weighted: number | null;
  status: ItemStatus;
  /** Where the period crosses a season's edge and the target changes: each stretch's part. */
  segments?: ItemSegment[];
  /** not-combinable: the header texts the export lacked for the figure to be exact (["询单人数"]). */
  needs?: readonly string[];
  /** The figure was weighed by this count in place of its own (value.ts `approx`): shown ≈. */
  approx?: string;
}

export interface Scorecard extends Subject {
  scheme: string;
  /** The seasons whose rules hold on some day of the period … */
  seasons: readonly string[];
  /** … and on which days. */
  seasonDays?: readonly SeasonDays[];
  /**
   * Null when nothing could be scored, or when too little of the weight had figures to grade
   * (`coverage` below the scheme's minimum): then there is no grade, coefficient or rank either.
   */
  total: number | null;
  /** Percent of the scheme's weight whose items had figures this period. */
  coverage: number;
  /** Set when `coverage` is below the scheme's minimum: 不足以评级. */
  belowCoverage?: { minCoverage: number };
  /**
   * Set when the period is shorter than the one the agent is graded by (a day of a monthly
   * scheme): its items are watched against their targets, with no total, grade or coefficient.
   */
  watch?: { assessment: PeriodKind };
  /**
   * The rated items (metric ids) still awaiting the supervisor's rating: the card of the assessed
   * period then has no total, grade, coefficient or pay yet, only the other items' scores.
   */
  awaitingRating?: readonly string[];
  /** The agent was a new hire on probation in this period (graded, and ranked, apart). */
  probation?: true;
  /** A supervisor scored on their team's roll-up (team.ts): ranked against no one. */
  teamLead?: true;
  /** The weighted sum before the total is rounded; explanations work from it. */
  rawTotal: number | null;
  grade: string | null;
  gradeLabel?: string;
  coefficient: number | null;
  pay?: PayBreakdown;
  items: ItemScore[];
}

const plans = new WeakMap<Scheme, Map<string, Map<string, RolePlan>>>();

/** The role's plan for the period, seasons applied day by day; cached per scheme, role and period. */
export function planFor(scheme: Scheme, roleId: string, periodKey: string): RolePlan {
  let byRole = plans.get(scheme);
  if (!byRole) {
    byRole = new Map();
    plans.set(scheme, byRole);
  }
  let byPeriod = byRole.get(roleId);
  if (!byPeriod) {
    byPeriod = new Map();
    byRole.set(roleId, byPeriod);
  }
  let plan = byPeriod.get(periodKey);
  if (!plan) {
    const role = scheme.roles.get(roleId);
    if (!role) {
      throw new InvalidInput(
        "role",
        `"${roleId}" is not a role of scheme ${scheme.id} (${[...scheme.roles.keys()].join(", ")})`,
      );
    }
    const segments = seasonSegments(scheme, roleId, parsePeriod(periodKey));
    plan = segments.length === 1 ? planRole(role, segments[0]!.seasons) : segmentedPlan(role, segments);
    byPeriod.set(periodKey, plan);
  }
  return plan;
}

/**
 * The period the agent is graded by: the scheme's (a month by default), or the probation's for a
 * new hire whose traineeSince falls within `probation.weeks` before the period's end.
 */
export function assessmentFor(scheme: Scheme, who: { traineeSince?: string }, period: Period): PeriodKind {
  const probation = scheme.probation;
  if (!probation || who.traineeSince === undefined) return scheme.assessment;
  const since = parseDay(who.traineeSince);
  const inProbation = since <= period.last && period.first < since + probation.weeks * 7;
  return inProbation ? probation.assessment : scheme.assessment;
}

export function gradeFor(scheme: Scheme, total: number): GradeBand {
  for (const band of scheme.grades) if (total >= band.min) return band;
  return scheme.grades[scheme.grades.length - 1]!;
}

function coefficientFor(scheme: Scheme, total: number, band: GradeBand): number {
  const rule = scheme.coefficient;
  if (rule.mode === "bands") return band.coefficient;
  const linear = roundTo(total / 100, 4);
  return Math.min(rule.max ?? Number.POSITIVE_INFINITY, Math.max(rule.min ?? 0, linear));
}

/** Scores one agent-period against the scheme: item scores, total, grade, coefficient, pay. */
export function scoreAgent(scheme: Scheme, input: AgentPeriod): Scorecard {
  const plan = planFor(scheme, input.role, input.period);
  const itemDecimals = scheme.rounding.itemScore;
  const totalDecimals = scheme.rounding.total;
  const planned = plan.items;
  const items: ItemScore[] = [];
  let weightedSum = 0;
  let presentBp = 0;
  let measuredBp = 0;
  let renormalise = false;
  const awaiting: string[] = [];
  for (let i = 0; i < planned.length; i++) {
    const item = planned[i]!;
    const spec = item.spec;
    const figure = itemFigure(plan, i, input);
    const { target, actual } = figure;
    const nominal = item.weightBp / 100;
    let entry: ItemScore;
    if (spec.rule.kind === "rated" && (actual === null || figure.score === null)) {
      // Not left out and not zero: the card waits for the rating (its weight stays as set).
      awaiting.push(spec.metric.id);
      entry = itemScore(item, target, "awaiting-rating", nominal);
    } else if (actual !== null && figure.score !== null) {
      const score = roundTo(figure.score, itemDecimals);
      weightedSum += score * item.weightBp;
      presentBp += item.weightBp;
      measuredBp += item.weightBp;
      const weighted = roundTo((score * item.weightBp) / FULL_WEIGHT, totalDecimals);
      entry = itemScore(item, target, "scored", nominal, actual, score, weighted);
    } else if (figure.notCombinable) {
      renormalise = true;
      entry = itemScore(item, target, "not-combinable", 0);
      if (figure.needs?.length) entry.needs = figure.needs;
    } else {
      const status = figure.missing ? "missing" : "no-data";
      if (spec.missing === "renormalise") {
        renormalise = true;
        entry = itemScore(item, target, status, 0);
      } else {
        presentBp += item.weightBp;
        entry = itemScore(item, target, status, nominal, null, 0);
      }
    }
    if (spec.label !== undefined) entry.label = spec.label;
    if (figure.segments) entry.segments = figure.segments;
    const approx = input.values[spec.metric.id]?.approx;
    if (approx !== undefined && entry.actual !== null) entry.approx = approx;
    items.push(entry);
  }
  if (renormalise && presentBp > 0) reweigh(items, planned, presentBp, totalDecimals);
  const period = parsePeriod(input.period);
  const assessment = assessmentFor(scheme, input, period);
  const assessed = PERIOD_KINDS.indexOf(period.kind) >= PERIOD_KINDS.indexOf(assessment);
  const rated = awaiting.length === 0;
  const graded = assessed && rated && measuredBp >= scheme.minCoverageBp && measuredBp > 0;
  const rawTotal = presentBp === 0 || !graded ? null : weightedSum / (renormalise ? presentBp : FULL_WEIGHT);
  const card: Scorecard = {
    agent: input.agent,
    role: input.role,
    period: input.period,
    scheme: scheme.id,
    seasons: plan.seasons,
    ...(plan.seasons.length
      ? { seasonDays: seasonDaysOf(seasonSegments(scheme, input.role, parsePeriod(input.period))) }
      : {}),
    total: null,
    coverage: measuredBp / 100,
    rawTotal,
    grade: null,
    coefficient: null,
    items,
  };
  if (input.team !== undefined) card.team = input.team;
  if (input.shop !== undefined) card.shop = input.shop;
  if (input.category !== undefined) card.category = input.category;
  if (assessment !== scheme.assessment) card.probation = true;
  if (!assessed) card.watch = { assessment };
  else if (!rated) card.awaitingRating = awaiting;
  else if (!graded && measuredBp > 0) card.belowCoverage = { minCoverage: scheme.minCoverageBp / 100 };
  if (rawTotal === null) return card;
  const total = roundTo(rawTotal, totalDecimals);
  const band = gradeFor(scheme, total);
  card.total = total;
  card.grade = band.grade;
  if (band.label) card.gradeLabel = band.label;
  card.coefficient = coefficientFor(scheme, total, band);
  // Pay is monthly (月度考核 sets 绩效工资 [002]).
  if (scheme.pay && period.kind === "month") {
    const pay = payFor(scheme, items, card.coefficient, input.salary);
    if (pay) card.pay = pay;
  }
  return card;
}

interface ItemFigure {
  target: number;
  actual: number | null;
  /** Unrounded. */
  score: number | null;
  missing: boolean;
  segments?: ItemSegment[];
  notCombinable?: true;
  needs?: readonly string[];
}

/** Item `i`'s target, figure and score: over the season's stretches where its target changes. */
function itemFigure(plan: RolePlan, i: number, input: AgentPeriod): ItemFigure {
  const own = input.values[plan.items[i]!.spec.metric.id];
  // A rating is the period's, never cut at a season's edge.
  if (plan.items[i]!.spec.rule.kind === "rated") return ratedFigure(plan.items[i]!, own);
  if (own?.notCombinable) {
    const target = plan.items[i]!.target;
    return {
      target: targetFor(target, input.team, input.category),
      actual: null,
      score: null,
      missing: false,
      notCombinable: true,
      ...(own.needs ? { needs: own.needs } : {}),
    };
  }
  if (plan.segments) {
    const over = scoreOverSegments(plan, i, input);
    if (over) return over;
  }
  const item = plan.segments?.find((s) => s.items[i])?.items[i] ?? plan.items[i]!;
  const spec = item.spec;
  const value = input.values[spec.metric.id];
  const actual = value === undefined ? null : actualOf(spec.metric, value);
  const t = item.target;
  const target =
    t.team === undefined && t.category === undefined ? t.default : targetFor(t, input.team, input.category);
  const score = actual === null ? null : rawItemScore(spec.metric, spec.rule, target, actual, spec.cap);
  return { target, actual, score, missing: value === undefined };
}

function ratedFigure(item: PlanItem, value: MetricValue | undefined): ItemFigure {
  const target = item.target.default;
  const actual = value === undefined ? null : actualOf(item.spec.metric, value);
  const score =
    actual === null ? null : rawItemScore(item.spec.metric, item.spec.rule, target, actual, item.spec.cap);
  return { target, actual, score, missing: value === undefined };
}

/**
 * An item's line on the card. `weight` is what it counts for (0 when left out, its nominal weight
 * otherwise); `weighted` is the score's share, the score itself by default (null or a zero).
 */
function itemScore(
  item: PlanItem,
  target: number,
  status: ItemStatus,
  weight: number,
  actual: number | null = null,
  score: number | null = null,
  weighted: number | null = score,
): ItemScore {
  const { metric, dimension } = item.spec;
  const nominalWeight = item.weightBp / 100;
  return { metric: metric.id, dimension, target, actual, score, weight, nominalWeight, weighted, status };
}

/** Missing items are left out and the others' weights scaled up so they still add up to 100%. */
function reweigh(
  items: ItemScore[],
  planned: readonly PlanItem[],
  presentBp: number,
  decimals: number,
): void {
  items.forEach((item, i) => {
    if (item.score === null) return;
    const share = planned[i]!.weightBp / presentBp;
    item.weight = roundTo(share * 100, 4);
    item.weighted = roundTo(item.score * share, decimals);
  });
}
