import type { PeriodKind } from "../engine/index.ts";

export type Lang = "zh-CN" | "en";

/** What the bot and the CLI say, per language. Figures arrive formatted; sentences are built here. */
export interface Messages {
  lang: Lang;
  columns: {
    metric: string;
    target: string;
    actual: string;
    score: string;
    weight: string;
    weighted: string;
  };
  status: { missing: string; "no-data": string; "not-combinable": string; "awaiting-rating": string };
  /** A supervisor-rated item on a watch card (a day, a week): rated per assessed period only. */
  ratedPerPeriod: (assessment: PeriodKind) => string;
  /** The card waits for the supervisor's rating of these items: no total or grade yet. */
  awaitingRating: (items: readonly string[]) => string;
  /** Others' cards waiting for it (`kpi score`, `/kpi team`, digests): named, or counted. */
  awaitingRatingOf: (agents: readonly string[], items: readonly string[]) => string;
  awaitingRatingCount: (count: number, items: readonly string[]) => string;
  /** A figure the platform has not counted yet (延迟统计): it will arrive with a later export. */
  pendingFigure: string;
  heading: (agent: string, role: string, period: string, scheme: string) => string;
  seasons: (names: readonly string[]) => string;
  summary: (total: string, grade: string, coefficient: string) => string;
  unscorable: string;
  /** A card of a period shorter than the one the agent is graded by: items against targets only. */
  watched: (assessment: PeriodKind) => string;
  /** Too little of the weight had figures to grade (percent of the weight, and the minimum). */
  belowCoverage: (coverage: string, minimum: string) => string;
  /** A total's change on the period before, in points; `previous` the earlier period's key. */
  change: (delta: number, kind: PeriodKind, previous?: string) => string;
  pay: (total: string, base: string, performance: string, bonus: string) => string;
  lift: (metric: string, from: string, to: string, grade: string, next: string) => string;
  noSingleLift: (next: string, gap: string) => string;
  /** No item alone lifts the grade; these together do (each "metric from→to"). */
  together: (lifts: readonly string[], grade: string, next: string) => string;
  /** Not even the best figures the items can take reach the next grade this period. */
  outOfReach: (next: string, gap: string) => string;
  topGrade: (grade: string) => string;
  /** A season's days within the period ("双11 11-01–11-11"). */
  seasonDays: (season: string, first: string, last: string) => string;
  /** An item scored stretch by stretch against each stretch's target, combined by volume. */
  split: (metric: string, parts: readonly string[], score: string) => string;
  splitPart: (
    days: string,
    seasons: string,
    target: string,
    actual: string,
    score: string,
    volume: string,
  ) => string;
  /** What a * after a figure means. */
  pendingNote: string;
  /** Items whose figure an accepted appeal corrected, marked † (docs/appeals.md). */
  correctedOnAppeal: (metrics: string) => string;
  /**
   * An item whose figures came finished (a rate without its count) and could not be combined
   * over the period; `needs` the header texts that would make it exact (none known: empty).
   */
  notCombinable: (metric: string, needs: readonly string[]) => string;
  /** An item weighed by a stand-in count (≈): what it stands on. */
  approximate: (metric: string, count: string) => string;
  /** The pay split's factors, when the card has no salary to turn them into yuan. */
  payFactors: (base: string, performance: string, bonus: string, extra: string) => string;
}
