import type { MetricDef } from "./metrics.ts";

/**
 * The figures a metric can take, so coaching never asks for the impossible: a share of sessions
 * above 100%, a count below zero, more than 24 hours online a day, a rating above 5.
 */
export interface FigureBounds {
  min: number;
  max: number;
}

/** Ratios that are not shares of a whole (an agent may send more messages than the customer). */
const UNBOUNDED_RATIOS = new Set(["qa_ratio"]);

/** Ratings on the platforms' 1–5 scale. */
const FIVE_POINT_SCALES = new Set(["csat_score", "dsr_service"]);

export function boundsOf(metric: MetricDef): FigureBounds {
  if (metric.aggregation === "change") return { min: -1, max: Number.POSITIVE_INFINITY };
  if (FIVE_POINT_SCALES.has(metric.id)) return { min: 1, max: 5 };
  switch (metric.unit) {
    case "percent":
    case "permille":
      return { min: 0, max: UNBOUNDED_RATIOS.has(metric.id) ? Number.POSITIVE_INFINITY : 1 };
    case "hours":
      return { min: 0, max: metric.perDay ? 24 : Number.POSITIVE_INFINITY };
    default:
      return { min: 0, max: Number.POSITIVE_INFINITY };
  }
}

/** The best figure a metric can take: its ceiling if higher is better, else its floor. */
export function bestFigure(metric: MetricDef): number {
  const bounds = boundsOf(metric);
  return metric.direction === "up" ? bounds.max : bounds.min;
}
