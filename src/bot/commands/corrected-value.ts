import type { MetricDef, Unit } from "../../engine/index.ts";
import type { FigureKind } from "../../sources/exports/cell-values.ts";
import { readFigure } from "../../sources/exports/figure-cells.ts";

/**
 * A decider's corrected value, read as an export's cell of the metric's unit is read ("28秒",
 * "1分05秒", "92%", "¥1,200", "3次"), or a fraction "45/50" (numerator and denominator, in the
 * metric's own terms: 45 of 50 sessions). In engine units (0.92 for 92 %, seconds, yuan …);
 * `den` null for a single value (appeal-corrections.ts keeps the period's denominator then).
 */

const KIND_OF_UNIT: Readonly<Record<Unit, FigureKind | undefined>> = {
  percent: "ratio",
  permille: undefined,
  seconds: "seconds",
  hours: "hours",
  yuan: "money",
  count: "count",
  points: undefined,
};

const FRACTION = /^(\d+(?:\.\d+)?)\s*[/／]\s*(\d+(?:\.\d+)?)$/;

export function readCorrectedValue(
  text: string,
  metric: MetricDef,
): { num: number; den: number | null } | undefined {
  const trimmed = text.trim().normalize("NFKC");
  const fraction = FRACTION.exec(trimmed);
  if (fraction) {
    if (metric.aggregation !== "ratio" && metric.aggregation !== "mean") return undefined;
    const num = Number(fraction[1]);
    const den = Number(fraction[2]);
    if (den <= 0 || (metric.aggregation === "ratio" && num > den && metric.unit === "percent"))
      return undefined;
    return { num, den };
  }
  const value = singleValue(trimmed, metric.unit);
  if (value === undefined || !Number.isFinite(value)) return undefined;
  if (value < 0 && metric.aggregation !== "change") return undefined;
  return { num: value, den: null };
}

function singleValue(text: string, unit: Unit): number | undefined {
  if (unit === "permille") {
    const n = Number(text.endsWith("‰") ? text.slice(0, -1) : text);
    return text === "" || Number.isNaN(n) ? undefined : n / 1000;
  }
  const kind = KIND_OF_UNIT[unit];
  if (kind === undefined) {
    const n = Number(text);
    return text === "" || Number.isNaN(n) ? undefined : n;
  }
  const reading = readFigure({ value: text }, kind);
  return reading.state === "value" ? reading.value : undefined;
}

/** How the decider is told to write a value of this unit. */
export const UNIT_HINT: Readonly<Record<Unit, { zh: string; en: string }>> = {
  percent: { zh: "百分比（如 92%）", en: "a percentage (92%)" },
  permille: { zh: "千分比（如 5‰）", en: "per mille (5‰)" },
  seconds: { zh: "时长（如 28秒、1分05秒）", en: "a duration (28s, 1:05)" },
  hours: { zh: "小时数（如 7.5）", en: "hours (7.5)" },
  yuan: { zh: "金额（如 ¥1,200）", en: "an amount (¥1,200)" },
  count: { zh: "次数（如 3）", en: "a count (3)" },
  points: { zh: "分数（如 4.8）", en: "points (4.8)" },
};
