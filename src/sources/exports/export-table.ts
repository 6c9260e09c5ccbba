import type { CellKind } from "./cell-values.ts";

/**
 * What a platform export's columns mean, as data: which header texts name which key, how its
 * cells are read, and how each metric's numerator and denominator are made from the keys.
 * Keys are the record fields (`agent`, `day`, `shop`), metric ids (the column is that metric's
 * own figure, e.g. `reply_rate`), or counts the figures are built from (`inquiries`).
 */

export type ExportKindId = "chitu" | "jd" | "pdd" | "douyin" | "generic";

export const RECORD_FIELDS = ["agent", "day", "shop"] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];

export interface ExportColumn {
  key: string;
  /** Header texts, preferred first: when two columns name the same key, the earlier alias wins. */
  headers: readonly string[];
  /** How cells are read; `metric` (generic template) reads the metric's own unit or a fraction. */
  read: CellKind | "metric";
}

/** A sum of columns, each optionally times a factor (5 × 很满意 + 4 × 满意 …). */
export type Term = string | readonly [key: string, factor: number];

/**
 * One way to make a metric's value; a metric lists them best first and the first whose columns
 * all have a figure in the row is used.
 * - sums: exact counts, Σ num ÷ Σ den (satisfied ratings ÷ all ratings);
 * - rate: a percentage of a count: round(rate × count) ÷ count;
 * - mean: an average over a count: average × count ÷ count;
 * - figure: a count or amount, ÷ 1, or ÷ the days it covers (`per`);
 * - finished: the figure as it stands (a rate without its count; it cannot be rolled up).
 * A rate or mean weighed by a stand-in count the team chose (approximate.ts) names it in `approx`.
 */
export type Recipe =
  | { sums: { num: readonly Term[]; den: readonly Term[] } }
  | { rate: string; of: string; approx?: string }
  | { mean: string; of: string; approx?: string }
  | { figure: string; per?: string }
  | { finished: string };

export interface MetricRecipe {
  metric: string;
  from: readonly Recipe[];
}

export interface ExportTable {
  kind: ExportKindId;
  /** Named in messages: "a Chitu / Qianniu customer-service export". */
  title: string;
  columns: readonly ExportColumn[];
  recipes: readonly MetricRecipe[];
}

export function termKey(term: Term): string {
  return typeof term === "string" ? term : term[0];
}

/** Every key a recipe reads. */
export function recipeKeys(recipe: Recipe): string[] {
  if ("sums" in recipe) return [...recipe.sums.num, ...recipe.sums.den].map(termKey);
  if ("rate" in recipe) return [recipe.rate, recipe.of];
  if ("mean" in recipe) return [recipe.mean, recipe.of];
  if ("figure" in recipe) return recipe.per ? [recipe.figure, recipe.per] : [recipe.figure];
  return [recipe.finished];
}
