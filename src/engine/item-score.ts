import type { MetricDef } from "./metrics.ts";
import type { ItemRule } from "./scheme-types.ts";
import { toDisplay } from "./units.ts";

/**
 * One item's score, before rounding, always within [0, cap] and never NaN.
 *
 * proportional [002]: ↑ actual ÷ target × 100, ↓ target ÷ actual × 100. A ↓ actual of zero beats
 * any positive target (cap). Proportion means nothing against a target of zero or below, so
 * there meeting the target scores 100 and missing it 0 (a ↓ target of 0 long waits: 0 → 100).
 * pass-fail: 100 if the target is met, else 0.
 * deduct: 100 less pointsPerUnit for each display unit short of the target (per long wait,
 * per percentage point, per second).
 */
export function rawItemScore(
  metric: MetricDef,
  rule: ItemRule,
  target: number,
  actual: number,
  cap: number,
): number {
  const up = metric.direction === "up";
  const meets = up ? actual >= target : actual <= target;
  let score: number;
  switch (rule.kind) {
    case "proportional":
      if (target <= 0) score = meets ? 100 : 0;
      else if (up) score = (actual / target) * 100;
      else score = actual <= 0 ? cap : (target / actual) * 100;
      break;
    case "pass-fail":
      return meets ? 100 : 0;
    case "rated":
      // The level's score (or the mean of the periods' scores), within the item's cap.
      score = actual;
      break;
    case "deduct": {
      const shortfall = meets ? 0 : toDisplay(metric, Math.abs(actual - target));
      score = 100 - shortfall * rule.pointsPerUnit;
      cap = 100;
      break;
    }
  }
  if (!(score > 0)) return 0;
  return Math.min(score, cap);
}

/**
 * The actual figure that scores exactly `score` (the inverse of rawItemScore), or undefined if
 * no figure reaches it. Used to coach: "what would it take to score 110 here?".
 */
export function actualForScore(
  metric: MetricDef,
  rule: ItemRule,
  target: number,
  score: number,
  cap: number,
): number | undefined {
  const up = metric.direction === "up";
  if (score <= 0) return undefined;
  switch (rule.kind) {
    case "proportional":
      if (score > cap) return undefined;
      if (target <= 0) return score <= 100 ? target : undefined;
      return up ? (score / 100) * target : (target * 100) / score;
    case "pass-fail":
      return score <= 100 ? target : undefined;
    case "rated":
      // No figure to coach towards: the supervisor's level decides.
      return undefined;
    case "deduct": {
      if (score > 100) return undefined;
      const shortfall = (100 - score) / rule.pointsPerUnit / toDisplay(metric, 1);
      return up ? target - shortfall : target + shortfall;
    }
  }
}
