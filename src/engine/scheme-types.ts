import type { MetricCatalogue, MetricDef } from "./metrics.ts";
import type { PeriodKind } from "./period.ts";

/** Kinds of period a scheme may grade by. */
export type AssessedKind = Exclude<PeriodKind, "day" | "year">;

/** A validated scheme, figures in engine units, weights in basis points (1% = 100). */

export type MissingRule = "renormalise" | "zero";

export type ItemRule =
  | { kind: "proportional" }
  | { kind: "pass-fail" }
  | { kind: "deduct"; pointsPerUnit: number }
  /** The supervisor rates a level each assessed period; the level's score is the item's (capped). */
  | { kind: "rated"; scale: readonly RatingLevel[] };

/** One level of a rated item's scale: what the supervisor picks, and the item score it gives. */
export interface RatingLevel {
  /** The word the supervisor picks (优秀); unique within the scale. */
  level: string;
  /** Its English word (excellent), also accepted when rating. */
  en?: string;
  score: number;
}

/**
 * The default scale (docs/rules.md "Supervisor-rated items"): each level scores the floor of the
 * grade band of the same name [002]. 优秀 is the 优秀标准 of 团队协作/学习成长 [002], and an item
 * meeting its standard scores 100; 良好 is B (90–99), 待改进 C (80–89), 不合格 D (<80, scored 60
 * as the D coefficient is 0.6).
 */
export const DEFAULT_RATING_SCALE: readonly RatingLevel[] = [
  { level: "优秀", en: "excellent", score: 100 },
  { level: "良好", en: "good", score: 90 },
  { level: "待改进", en: "needs-improvement", score: 80 },
  { level: "不合格", en: "unsatisfactory", score: 60 },
];

/** The target a rated item is shown against: the score of meeting the standard. */
export const RATED_TARGET = 100;

/** Targets may differ by shop category (apparel, appliances …) and by team; team wins. */
export interface TargetSpec {
  default: number;
  category?: Readonly<Record<string, number>>;
  team?: Readonly<Record<string, number>>;
}

export interface ItemSpec {
  metric: MetricDef;
  label?: string;
  target: TargetSpec;
  /** Weight mode: the item's share of the total. */
  weightBp?: number;
  /** Dimension mode: the item's share of its dimension, relative to its siblings. */
  share: number;
  dimension: string;
  rule: ItemRule;
  cap: number;
  missing: MissingRule;
}

export interface RoleSpec {
  id: string;
  name: string;
  scope: "agent" | "team";
  dimensionsBp?: Readonly<Record<string, number>>;
  items: readonly ItemSpec[];
}

/** A calendar date, or a month-day that recurs every year (Double 11 is 11-11 every year). */
export interface SeasonDate {
  year?: number;
  month: number;
  day: number;
}

export interface SeasonSpec {
  name: string;
  from: SeasonDate;
  to: SeasonDate;
  roles?: readonly string[];
  targets: Readonly<Record<string, TargetSpec>>;
  weightsBp: Readonly<Record<string, number>>;
  dimensionsBp: Readonly<Record<string, number>>;
  addItems: readonly ItemSpec[];
  removeItems: readonly string[];
  rescale: boolean;
}

export interface GradeBand {
  grade: string;
  /** Lowest total of the band; -Infinity for the bottom band. */
  min: number;
  coefficient: number;
  label?: string;
}

export type CoefficientRule = { mode: "bands" } | { mode: "linear"; min?: number; max?: number };

export interface PaySplit {
  baseBp: number;
  performanceBp: number;
  bonusBp: number;
  /** The figure the base part is paid in proportion to (attendance [002]). */
  baseFollows: string;
  /** Items whose scores pay the bonus part; without them the bonus follows the coefficient. */
  bonusMetrics: readonly string[];
  /** 超额奖励 [000]: `amount` yuan when the item beats its target by `over` (0.2: by a fifth). */
  extraRewards: readonly { metric: string; over: number; amount: number }[];
}

export interface Scheme {
  id: string;
  name: string;
  description?: string;
  itemCap: number;
  rounding: { itemScore: number; total: number };
  missing: MissingRule;
  /** A card whose items with figures carry less of the weight than this gets no grade (basis points). */
  minCoverageBp: number;
  /** The period a grade is given for; a card of a shorter one is a watch card (no total or grade). */
  assessment: AssessedKind;
  /** New hires within `weeks` of their traineeSince are graded per `assessment` as well. */
  probation?: { weeks: number; assessment: AssessedKind };
  grades: readonly GradeBand[];
  coefficient: CoefficientRule;
  pay?: PaySplit;
  catalogue: MetricCatalogue;
  roles: ReadonlyMap<string, RoleSpec>;
  seasons: readonly SeasonSpec[];
}

/** The documents' grade bands [002]: S ≥110 ×1.3, A ≥100 ×1.1, B ≥90 ×1.0, C ≥80 ×0.8, D ×0.6. */
export const DEFAULT_GRADES: readonly GradeBand[] = [
  { grade: "S", min: 110, coefficient: 1.3, label: "卓越" },
  { grade: "A", min: 100, coefficient: 1.1, label: "优秀" },
  { grade: "B", min: 90, coefficient: 1.0, label: "良好" },
  { grade: "C", min: 80, coefficient: 0.8, label: "待改进" },
  { grade: "D", min: Number.NEGATIVE_INFINITY, coefficient: 0.6, label: "不合格" },
];

/**
 * No document says how much of a scheme must be measured before a grade means anything; ours: a
 * grade needs figures behind at least 70% of the weight (below it a missing item would decide
 * more than a third of the pay).
 */
export const DEFAULT_MIN_COVERAGE_BP = 7_000;
