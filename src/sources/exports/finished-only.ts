import type { MetricCatalogue } from "../../engine/index.ts";
import { type ExportTable, type Recipe, recipeKeys } from "./export-table.ts";

/**
 * What an export's header says about its figures before a row is read: the metrics it can give
 * only as finished figures (a rate or a mean without the count under it). Such a figure scores a
 * day, but no week, month or team roll-up can combine it exactly (engine/rollup.ts), so `kpi
 * import` says so first and `--strict` refuses the file.
 */

export interface FinishedOnly {
  metric: string;
  /** Header texts that would make it exact (the fewest columns any of its better recipes lacks). */
  needs: string[];
}

/**
 * The header texts a metric's finished figure lacks: of its recipes before `finished`, the one
 * that misses the fewest columns, its missing keys by their preferred header. Undefined when one
 * has every column (the row's cells were blank, not the file's columns missing).
 */
export function needsOf(
  from: readonly Recipe[],
  hasColumn: (key: string) => boolean,
  table: ExportTable,
): string[] | undefined {
  let best: string[] | undefined;
  for (const recipe of from) {
    if ("finished" in recipe) continue;
    const lacking = [...new Set(recipeKeys(recipe).filter((key) => !hasColumn(key)))];
    if (lacking.length === 0) return undefined;
    if (!best || lacking.length < best.length) best = lacking;
  }
  return best?.map((key) => table.columns.find((c) => c.key === key)?.headers[0] ?? key);
}

/** The metrics whose best recipe the header allows is `finished`, for rates and means. */
export function finishedOnly(
  table: ExportTable,
  hasColumn: (key: string) => boolean,
  catalogue: MetricCatalogue,
): FinishedOnly[] {
  return table.recipes.flatMap(({ metric, from }) => {
    const aggregation = catalogue.get(metric)?.aggregation;
    if (aggregation === undefined || aggregation === "count" || aggregation === "amount") return [];
    const usable = from.find((recipe) => recipeKeys(recipe).every(hasColumn));
    if (!usable || !("finished" in usable)) return [];
    return [{ metric, needs: needsOf(from, hasColumn, table) ?? [] }];
  });
}
