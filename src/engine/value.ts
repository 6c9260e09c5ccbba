import type { MetricDef } from "./metrics.ts";

export interface Fraction {
  num: number;
  den: number;
}

/**
 * One metric's figures for one agent (or team) and one period.
 * `finished` marks a value that arrived as a ready-made ratio or mean (e.g. "18%" in a monthly
 * export): it scores fine, but two of them cannot be rolled up exactly, so roll-ups refuse.
 * `base` is the comparison period's numerator and denominator for `change` metrics.
 */
export interface MetricValue {
  num: number;
  den: number;
  base?: Fraction;
  finished?: boolean;
}

export type MetricValues = Record<string, MetricValue>;

/**
 * The metric's actual figure in engine units (fractions for percentages, seconds, yuan …),
 * or null when there is nothing to measure: a zero denominator, or a change against nothing.
 */
export function actualOf(metric: MetricDef, value: MetricValue): number | null {
  switch (metric.aggregation) {
    case "count":
    case "amount":
      return value.num;
    case "ratio":
    case "mean":
      return value.den === 0 ? null : value.num / value.den;
    case "change": {
      if (value.finished || !value.base) return value.den === 0 ? null : value.num / value.den;
      if (value.den === 0 || value.base.den === 0 || value.base.num === 0) return null;
      return value.num / value.den / (value.base.num / value.base.den) - 1;
    }
  }
}

/** A ready-made figure (e.g. 0.18 for 18%), as opposed to a numerator/denominator pair. */
export function finishedValue(actual: number): MetricValue {
  return { num: actual, den: 1, finished: true };
}
