import { InvalidInput } from "./errors.ts";
import { rawItemScore } from "./item-score.ts";
import { parsePeriod } from "./period.ts";
import { FULL_WEIGHT, type PlanItem, planRole, type RolePlan, targetFor } from "./plan.ts";
import type { GradeBand, Scheme } from "./scheme-types.ts";
import { seasonApplies } from "./season.ts";
import { roundTo } from "./units.ts";
import { actualOf, type MetricValues } from "./value.ts";

/** What is known of one agent (or one team, for a supervisor) for one period. */
export interface AgentPeriod {
  agent: string;
  role: string;
  /** "2026-11", "2026-W47", "2026-11-23", "2026-Q4" */
  period: string;
  team?: string;
  shop?: string;
  category?: string;
  /** Monthly pay the split applies to, if the scheme has one. */
  salary?: number;
  values: MetricValues;
}

/**
 * scored: figures present; missing: no figure at all; no-data: a zero denominator (no sessions,
 * no ratings). Missing and no-data items follow the item's missing-data rule.
 */
export type ItemStatus = "scored" | "missing" | "no-data";

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
}

export interface PayBreakdown {
  salary: number;
  base: number;
  performance: number;
  bonus: number;
  total: number;
}

export interface Scorecard {
  agent: string;
  role: string;
  period: string;
  team?: string;
  shop?: string;
  category?: string;
  scheme: string;
  seasons: readonly string[];
  /** Null only when nothing could be scored and missing items are left out. */
  total: number | null;
  /** The weighted sum before the total is rounded; explanations work from it. */
  rawTotal: number | null;
  grade: string | null;
  gradeLabel?: string;
  coefficient: number | null;
  pay?: PayBreakdown;
  items: ItemScore[];
}

const plans = new WeakMap<Scheme, Map<string, RolePlan>>();

/** The role's plan for the period, seasons applied; cached per scheme, role and period. */
export function planFor(scheme: Scheme, roleId: string, periodKey: string): RolePlan {
  let cache = plans.get(scheme);
  if (!cache) {
    cache = new Map();
    plans.set(scheme, cache);
  }
  const key = `${roleId}\u0000${periodKey}`;
  let plan = cache.get(key);
  if (!plan) {
    const role = scheme.roles.get(roleId);
    if (!role) {
      throw new InvalidInput(
        "role",
        `"${roleId}" is not a role of scheme ${scheme.id} (${[...scheme.roles.keys()].join(", ")})`,
      );
    }
    const period = parsePeriod(periodKey);
    plan = planRole(
      role,
      scheme.seasons.filter((s) => seasonApplies(s, period, roleId)),
    );
    cache.set(key, plan);
  }
  return plan;
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
  const { itemScore: itemDecimals, total: totalDecimals } = scheme.rounding;
  const items: ItemScore[] = new Array(plan.items.length);
  let weightedSum = 0;
  let presentBp = 0;
  let renormalise = false;
  for (let i = 0; i < plan.items.length; i++) {
    const item = plan.items[i]!;
    const spec = item.spec;
    const value = input.values[spec.metric.id];
    const actual = value === undefined ? null : actualOf(spec.metric, value);
    const target = targetFor(item.target, input.team, input.category);
    const nominal = item.weightBp / 100;
    if (actual === null) {
      const status = value === undefined ? "missing" : "no-data";
      if (spec.missing === "renormalise") {
        renormalise = true;
        items[i] = scored(spec, target, null, null, 0, nominal, null, status);
      } else {
        presentBp += item.weightBp;
        items[i] = scored(spec, target, null, 0, nominal, nominal, 0, status);
      }
      continue;
    }
    const score = roundTo(rawItemScore(spec.metric, spec.rule, target, actual, spec.cap), itemDecimals);
    weightedSum += score * item.weightBp;
    presentBp += item.weightBp;
    items[i] = scored(spec, target, actual, score, nominal, nominal, 0, "scored");
  }
  if (renormalise) reweigh(items, plan.items, presentBp);
  const scale = renormalise ? presentBp : FULL_WEIGHT;
  for (const item of items)
    if (item.score !== null) item.weighted = roundTo((item.score * item.weight) / 100, totalDecimals);
  const rawTotal = presentBp === 0 ? null : weightedSum / scale;
  const card: Scorecard = {
    agent: input.agent,
    role: input.role,
    period: input.period,
    ...(input.team !== undefined ? { team: input.team } : {}),
    ...(input.shop !== undefined ? { shop: input.shop } : {}),
    ...(input.category !== undefined ? { category: input.category } : {}),
    scheme: scheme.id,
    seasons: plan.seasons,
    total: null,
    rawTotal,
    grade: null,
    coefficient: null,
    items,
  };
  if (rawTotal === null) return card;
  const total = roundTo(rawTotal, totalDecimals);
  const band = gradeFor(scheme, total);
  card.total = total;
  card.grade = band.grade;
  if (band.label) card.gradeLabel = band.label;
  card.coefficient = coefficientFor(scheme, total, band);
  if (scheme.pay && input.salary !== undefined) card.pay = payFor(scheme, input.salary, card);
  return card;
}

function scored(
  spec: PlanItem["spec"],
  target: number,
  actual: number | null,
  score: number | null,
  weight: number,
  nominalWeight: number,
  weighted: number | null,
  status: ItemStatus,
): ItemScore {
  return {
    metric: spec.metric.id,
    ...(spec.label ? { label: spec.label } : {}),
    dimension: spec.dimension,
    target,
    actual,
    score,
    weight,
    nominalWeight,
    weighted,
    status,
  };
}

/** Missing items are left out and the others' weights scaled up so they still add up to 100%. */
function reweigh(items: ItemScore[], planned: readonly PlanItem[], presentBp: number): void {
  items.forEach((item, i) => {
    item.weight =
      item.score === null || presentBp === 0 ? 0 : roundTo((planned[i]!.weightBp / presentBp) * 100, 4);
  });
}

function payFor(scheme: Scheme, salary: number, card: Scorecard): PayBreakdown {
  const split = scheme.pay!;
  const coefficient = card.coefficient ?? 0;
  const bonusItems = card.items.filter((i) => split.bonusMetrics.includes(i.metric) && i.score !== null);
  const bonusFactor =
    split.bonusMetrics.length === 0
      ? coefficient
      : bonusItems.reduce((a, i) => a + (i.score ?? 0), 0) / Math.max(1, bonusItems.length) / 100;
  const base = roundTo((salary * split.baseBp) / FULL_WEIGHT, 2);
  const performance = roundTo(((salary * split.performanceBp) / FULL_WEIGHT) * coefficient, 2);
  const bonus = roundTo(((salary * split.bonusBp) / FULL_WEIGHT) * bonusFactor, 2);
  return { salary, base, performance, bonus, total: roundTo(base + performance + bonus, 2) };
}
