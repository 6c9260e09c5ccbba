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
  pay: (total: string, base: string, performance: string, bonus: string) => string;
  lift: (metric: string, from: string, to: string, grade: string, next: string) => string;
  noSingleLift: (next: string, gap: string) => string;
  topGrade: (grade: string) => string;
}
