import type { MetricValues } from "../engine/index.ts";
import type { QaCriterion } from "./qa-config.ts";

/**
 * How a rating becomes figures (docs/qa.md, "From rubric to metrics"), per agent-day:
 * - reply_completeness (完整回复率): conversations whose `complete` passed ÷ those rated on it;
 * - qa_script_compliance (质检话术规范率): the same for `script`;
 * - qa_score (质检得分, 0–100): each conversation's mean over its criteria, a pass 100 and a fail
 *   0, a 1–5 scale (s − 1) × 25; the agent-day's figure is the mean over its conversations.
 */

export type QaResults = Record<string, boolean | number>;

/** The criterion a pass/fail metric counts. */
export const METRIC_OF_CRITERION: Readonly<Record<string, string>> = {
  complete: "reply_completeness",
  script: "qa_script_compliance",
};

export const QA_METRICS = ["reply_completeness", "qa_script_compliance", "qa_score"] as const;

export function criterionScore(criterion: Pick<QaCriterion, "scale">, value: boolean | number): number {
  if (criterion.scale === "pass") return value === true ? 100 : 0;
  return (Math.min(5, Math.max(1, Number(value))) - 1) * 25;
}

/** A conversation's 0–100 score: the mean over the rubric's criteria it was rated on. */
export function conversationScore(rubric: readonly QaCriterion[], results: QaResults): number | null {
  const scores = rubric
    .filter((c) => results[c.id] !== undefined)
    .map((c) => criterionScore(c, results[c.id]!));
  return scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
}

/**
 * The figures of one agent-day's rated conversations, each with the score it was given when
 * rated (stored with the rating, so a later change of the rubric does not re-grade old ratings).
 */
export function qaFigures(ratings: readonly { results: QaResults; score: number | null }[]): MetricValues {
  const values: MetricValues = {};
  for (const [criterion, metric] of Object.entries(METRIC_OF_CRITERION)) {
    const rated = ratings.filter((r) => typeof r.results[criterion] === "boolean");
    if (rated.length > 0)
      values[metric] = { num: rated.filter((r) => r.results[criterion] === true).length, den: rated.length };
  }
  const scores = ratings.map((r) => r.score).filter((s): s is number => s !== null);
  if (scores.length > 0) values.qa_score = { num: scores.reduce((a, b) => a + b, 0), den: scores.length };
  return values;
}
