import type { MetricDef } from "./metrics.ts";

export interface Fraction {
  num: number;
  den: number;
}

/**
 * One metric's figures for one agent (or team) and one period.
 * `finished` marks a value that arrived as a ready-made ratio or mean (e.g. "18%" in a monthly
 * export): it scores fine on its own, but a roll-up cannot combine it with another figure of a
 * rate or a mean exactly, so the combined value is `notCombinable` instead: it scores nothing,
 * and the rest of the card is scored without it (rollup.ts).
 * `base` is the comparison period's numerator and denominator for `change` metrics.
 */
export interface MetricValue {
  num: number;
  den: number;
  base?: Fraction;
  finished?: boolean;
  /**
   * With `finished`: the header texts an export lacks for this figure to be exact (["询单人数"]),
   * as the import worked them out; shown where the figure cannot be combined.
   */
  needs?: readonly string[];
  /** Finished figures that a roll-up had to combine: no figure for the period (status not-combinable). */
  notCombinable?: true;
  /**
   * A finished figure weighed by a count the team chose to stand in for the missing one
   * (conversion × 接待人数 when 询单人数 is absent): combinable, but approximate (≈); names the count.
   */
  approx?: string;
}

export type MetricValues = Record<string, MetricValue>;

/**
 * The metric's actual figure in engine units (fractions for percentages, seconds, yuan …),
 * or null when there is nothing to measure: a zero denominator, or a change against nothing.
 */
export function actualOf(metric: MetricDef, value: MetricValue): number | null {
  if (value.notCombinable) return null;
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
