import { InvalidInput } from "./errors.ts";
import type { MetricDef, Unit } from "./metrics.ts";

/**
 * People write figures the way the documents do: "15%", "≤30秒", "+3%", "¥1,280", "7.5小时".
 * Inside the engine a percentage is a fraction (0.15) and a duration is seconds (or hours for
 * online time). A bare number is read in the metric's display unit: 15 for a percentage is 15%.
 */

const scale: Record<Unit, number> = {
  percent: 100,
  permille: 1000,
  seconds: 1,
  hours: 1,
  yuan: 1,
  count: 1,
  points: 1,
};

const unitWord: Record<Unit, string> = {
  percent: "a percentage",
  permille: "a per-mille figure",
  seconds: "a duration",
  hours: "a number of hours",
  yuan: "an amount of money",
  count: "a count",
  points: "a score",
};

/** Suffixes allowed after the number, with the factor that turns them into display units. */
const suffixes: Record<Unit, Record<string, number>> = {
  percent: { "": 1, "%": 1 },
  permille: { "": 1, "‰": 1 },
  seconds: { "": 1, s: 1, sec: 1, 秒: 1, m: 60, min: 60, 分钟: 60, 分: 60, h: 3600, 小时: 3600 },
  hours: { "": 1, h: 1, 小时: 1, min: 1 / 60, 分钟: 1 / 60 },
  yuan: { "": 1, 元: 1, 万: 10_000, 万元: 10_000 },
  count: { "": 1, 个: 1, 次: 1, 人: 1, 单: 1, 条: 1, 件: 1 },
  points: { "": 1, 分: 1 },
};

const numberPattern = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/;

export function toDisplay(metric: MetricDef, value: number): number {
  return tidy(value * scale[metric.unit]);
}

export function fromDisplay(metric: MetricDef, display: number): number {
  return display / scale[metric.unit];
}

/** Reads a figure written by a person into engine units; throws InvalidInput with the reason. */
export function parseQuantity(metric: MetricDef, raw: string | number): number {
  if (typeof raw === "number") {
    if (!Number.isFinite(raw)) throw new InvalidInput("", `${raw} is not ${unitWord[metric.unit]}`);
    return fromDisplay(metric, raw);
  }
  const text = raw
    .normalize("NFKC")
    .trim()
    .replace(/^[≥≤<>=]+/, "")
    .replace(/^[¥￥]/, "")
    .replace(/(\d),(?=\d{3})/g, "$1")
    .replace(/\s+/g, "");
  const match = numberPattern.exec(text);
  const factor = match ? suffixes[metric.unit][match[2]!.toLowerCase()] : undefined;
  if (!match || factor === undefined) {
    throw new InvalidInput("", `"${raw}" is not ${unitWord[metric.unit]}`);
  }
  return fromDisplay(metric, Number(match[1]) * factor);
}

const displayDecimals: Record<Unit, number> = {
  percent: 2,
  permille: 2,
  seconds: 1,
  hours: 2,
  yuan: 2,
  count: 2,
  points: 2,
};

const unitSuffix: Record<Unit, string> = {
  percent: "%",
  permille: "‰",
  seconds: " s",
  hours: " h",
  yuan: "",
  count: "",
  points: "",
};

/** "18%", "25 s", "¥1,280.00", "4.85"; `signed` puts a + on gains (AOV uplift +3%). */
export function formatQuantity(metric: MetricDef, value: number, signed = false): string {
  const display = toDisplay(metric, value);
  const decimals = displayDecimals[metric.unit];
  const sign = signed && display > 0 ? "+" : "";
  if (metric.unit === "yuan") {
    return `${sign}¥${display.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
  return `${sign}${roundTo(display, decimals)}${unitSuffix[metric.unit]}`;
}

/** Removes binary noise (0.18 × 100 = 18.000000000000004) without changing real digits. */
export function tidy(x: number): number {
  return Number.isFinite(x) ? Number.parseFloat(x.toPrecision(12)) : x;
}

/**
 * Half-up rounding to `decimals` places that is not fooled by binary noise: 1.005 is stored as
 * 1.00499999999999989…, and still becomes 1.01. The nudge is a few units in the last place.
 */
export function roundTo(x: number, decimals: number): number {
  const f = POW10[decimals] ?? 10 ** decimals;
  const y = Math.abs(x) * f;
  const r = Math.floor(y + 0.5 + y * 8 * Number.EPSILON) / f;
  return x < 0 ? -r : r;
}

const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];
