import { InvalidInput, type MetricCatalogue } from "../../engine/index.ts";
import type { ExportTable, MetricRecipe, Recipe } from "./export-table.ts";
import { headerKey } from "./header.ts";

/**
 * A team's explicit choice, per metric, of a count to weigh a finished figure by when the export
 * lacks the metric's own (咨询转化率 over 接待人数 when 询单人数 is absent): such figures add up
 * over weeks and months, each marked approximate (≈) with the count it stands on. Off unless a
 * source names one; the exact recipes still win whenever the file has their columns.
 */

/** Metric (id or any of its names) → the count's header text (or key) in the export. */
export type Approximations = Readonly<Record<string, string>>;

/**
 * The table with each named approximation as a recipe just before the metric's `finished` one;
 * throws InvalidInput naming the setting when the metric or the count is not in this table.
 */
export function withApproximations(
  table: ExportTable,
  approximations: Approximations,
  catalogue: MetricCatalogue,
): ExportTable {
  const entries = Object.entries(approximations);
  if (entries.length === 0) return table;
  const added = new Map<string, Recipe>();
  for (const [name, by] of entries) {
    const where = `approximate: ${name}: ${by}`;
    const metric = catalogue.find(name);
    if (!metric) throw new InvalidInput(where, `"${name}" is not a metric`);
    if (metric.aggregation !== "ratio" && metric.aggregation !== "mean")
      throw new InvalidInput(
        where,
        `${metric.id} is a ${metric.aggregation}: only rates and means need a count`,
      );
    const recipes = table.recipes.find((r) => r.metric === metric.id);
    if (!recipes?.from.some((r) => "finished" in r))
      throw new InvalidInput(where, `${table.title} does not give ${metric.id} as a finished figure`);
    const wanted = headerKey(by);
    const count = table.columns.find(
      (c) => c.read === "count" && (c.key === by || c.headers.some((h) => headerKey(h) === wanted)),
    );
    if (!count)
      throw new InvalidInput(
        where,
        `${table.title} has no count column named "${by}" (counts: ${table.columns
          .filter((c) => c.read === "count")
          .map((c) => c.headers[0])
          .join(", ")})`,
      );
    const approx = count.headers[0]!;
    added.set(
      metric.id,
      metric.aggregation === "ratio"
        ? { rate: metric.id, of: count.key, approx }
        : { mean: metric.id, of: count.key, approx },
    );
  }
  return {
    ...table,
    recipes: table.recipes.map((r): MetricRecipe => {
      const recipe = added.get(r.metric);
      if (!recipe) return r;
      const at = r.from.findIndex((x) => "finished" in x);
      return { metric: r.metric, from: [...r.from.slice(0, at), recipe, ...r.from.slice(at)] };
    }),
  };
}
