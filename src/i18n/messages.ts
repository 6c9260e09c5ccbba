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
  status: { missing: string; "no-data": string };
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
  topGrade: (grade: string) => string;
}
