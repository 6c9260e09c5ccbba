import {
  finishedValue,
  InvalidInput,
  type MetricCatalogue,
  type MetricDef,
  type MetricValue,
  parseQuantity,
} from "../../../engine/index.ts";
import { type FigureKind, markerReading, plainNumber, type Reading } from "../cell-values.ts";
import type { ExportColumn, ExportTable } from "../export-table.ts";
import { readFigure } from "../figure-cells.ts";
import type { TableCell } from "../table.ts";

/**
 * Our own template, as `kpi metrics --format csv` writes it and the per-agent figures file reads
 * it (README, "Input files"): agent, date, shop, and one column per metric named by its id,
 * Chinese name or alias. A cell is an exact fraction ("36/200") or a figure ("18%", "25秒").
 */

export const GENERIC_FIELDS: readonly ExportColumn[] = [
  {
    key: "agent",
    read: "text",
    headers: ["agent", "客服", "客服昵称", "客服名称", "客服账号", "姓名", "name"],
  },
  { key: "day", read: "day", headers: ["date", "day", "period", "日期", "统计日期"] },
  { key: "shop", read: "text", headers: ["shop", "店铺"] },
];

export function genericTable(catalogue: MetricCatalogue): ExportTable {
  const metrics: ExportColumn[] = [...catalogue.all()].map((m) => ({
    key: m.id,
    read: "metric",
    headers: [m.id, m.zh, m.en, ...(m.aliases ?? [])],
  }));
  return {
    kind: "generic",
    title: "the generic template (agent, date, shop, metric ids or names)",
    columns: [...GENERIC_FIELDS, ...metrics],
    recipes: [],
  };
}

/** How a figure of each unit is read when it is not a fraction; the rest go to parseQuantity. */
const FIGURE_KIND: Partial<Record<MetricDef["unit"], FigureKind>> = {
  percent: "ratio",
  seconds: "seconds",
  hours: "hours",
  yuan: "money",
};

const fraction = /^([^/]+)\/([^/]+)$/;

function figureOf(metric: MetricDef, cell: TableCell): Reading<number> {
  const kind = FIGURE_KIND[metric.unit];
  if (kind && metric.aggregation !== "change") return readFigure(cell, kind);
  const value = cell.value;
  if (typeof value === "number" && metric.unit === "percent" && cell.format?.includes("%"))
    return { state: "value", value };
  try {
    const raw = typeof value === "number" || typeof value === "string" ? value : String(value);
    return { state: "value", value: parseQuantity(metric, raw) };
  } catch (error) {
    if (!(error instanceof InvalidInput)) throw error;
    return { state: "bad", reason: /(is not .*)$/.exec(error.reason)?.[1] ?? error.reason };
  }
}

/** A metric column's cell: an exact fraction, or a figure that is exact only for counts and amounts. */
export function readMetricCell(cell: TableCell | undefined, metric: MetricDef): Reading<MetricValue> {
  const early = markerReading(cell, true);
  if (early) return early;
  const value = cell!.value;
  const parts = typeof value === "string" ? fraction.exec(value.normalize("NFKC").replace(/\s+/g, "")) : null;
  if (parts) {
    const [num, den] = [plainNumber(parts[1]!), plainNumber(parts[2]!)];
    if (num === undefined || den === undefined) return { state: "bad", reason: "is not a fraction" };
    if (den < 0 || (num < 0 && metric.aggregation !== "change"))
      return { state: "bad", reason: "cannot be negative" };
    return { state: "value", value: { num, den } };
  }
  const figure = figureOf(metric, cell!);
  if (figure.state !== "value") return figure;
  if (figure.value < 0 && metric.aggregation !== "change")
    return { state: "bad", reason: "cannot be negative" };
  // A day's record: a count of the day's sessions is exact as it stands (sessions ÷ 1 day).
  const exact = metric.aggregation === "count" || metric.aggregation === "amount" || metric.perDay === true;
  return { state: "value", value: exact ? { num: figure.value, den: 1 } : finishedValue(figure.value) };
}
