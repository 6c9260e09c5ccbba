import { InvalidInput } from "./errors.ts";
import { rawItemScore } from "./item-score.ts";
import { parsePeriod } from "./period.ts";
import { FULL_WEIGHT, type PlanItem, planRole, type RolePlan, targetFor } from "./plan.ts";
import type { GradeBand, Scheme } from "./scheme-types.ts";
import { seasonApplies } from "./season.ts";
import { roundTo } from "./units.ts";
import { actualOf, type MetricValues } from "./value.ts";

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

export interface Scorecard extends Subject {
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

const plans = new WeakMap<Scheme, Map<string, Map<string, RolePlan>>>();

/** The role's plan for the period, seasons applied; cached per scheme, role and period. */
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
    const period = parsePeriod(periodKey);
    plan = planRole(
      role,
      scheme.seasons.filter((s) => seasonApplies(s, period, roleId)),
    );
    byPeriod.set(periodKey, plan);
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
  const itemDecimals = scheme.rounding.itemScore;
  const totalDecimals = scheme.rounding.total;
  const planned = plan.items;
  const items: ItemScore[] = [];
  let weightedSum = 0;
  let presentBp = 0;
  let renormalise = false;
  for (let i = 0; i < planned.length; i++) {
    const item = planned[i]!;
    const spec = item.spec;
    const value = input.values[spec.metric.id];
    const actual = value === undefined ? null : actualOf(spec.metric, value);
    const t = item.target;
    const target =
      t.team === undefined && t.category === undefined ? t.default : targetFor(t, input.team, input.category);
    const nominal = item.weightBp / 100;
    let entry: ItemScore;
    if (actual !== null) {
      const score = roundTo(rawItemScore(spec.metric, spec.rule, target, actual, spec.cap), itemDecimals);
      weightedSum += score * item.weightBp;
      presentBp += item.weightBp;
      const weighted = roundTo((score * item.weightBp) / FULL_WEIGHT, totalDecimals);
      entry = itemScore(
        spec.metric.id,
        spec.dimension,
        target,
        actual,
        score,
        nominal,
        nominal,
        weighted,
        "scored",
      );
    } else {
      const status = value === undefined ? "missing" : "no-data";
      if (spec.missing === "renormalise") {
        renormalise = true;
        entry = itemScore(spec.metric.id, spec.dimension, target, null, null, 0, nominal, null, status);
      } else {
        presentBp += item.weightBp;
        entry = itemScore(spec.metric.id, spec.dimension, target, null, 0, nominal, nominal, 0, status);
      }
    }
    if (spec.label !== undefined) entry.label = spec.label;
    items.push(entry);
  }
  if (renormalise && presentBp > 0) reweigh(items, planned, presentBp, totalDecimals);
  const rawTotal = presentBp === 0 ? null : weightedSum / (renormalise ? presentBp : FULL_WEIGHT);
  const card: Scorecard = {
    agent: input.agent,
    role: input.role,
    period: input.period,
    scheme: scheme.id,
    seasons: plan.seasons,
    total: null,
    rawTotal,
    grade: null,
    coefficient: null,
    items,
  };
  if (input.team !== undefined) card.team = input.team;
  if (input.shop !== undefined) card.shop = input.shop;
  if (input.category !== undefined) card.category = input.category;
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

function itemScore(
  metric: string,
  dimension: string,
  target: number,
  actual: number | null,
  score: number | null,
  weight: number,
  nominalWeight: number,
  weighted: number | null,
  status: ItemStatus,
): ItemScore {
  return { metric, dimension, target, actual, score, weight, nominalWeight, weighted, status };
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
