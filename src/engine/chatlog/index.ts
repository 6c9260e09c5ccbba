/** Raw chat logs, orders, ratings and reviews → per-agent-day figures and the facts behind them. */
export { ChatlogAnalyzer, type ChatlogOptions, SideFiles } from "./analyzer.ts";
export type { ChatFact } from "./facts.ts";
export type { PhraseHit, WordSegmenter } from "./phrase-judge.ts";
export {
  DEFAULT_FORBIDDEN_PHRASES,
  DOCUMENT_PHRASE_RULES,
  type PhraseOrigin,
  type PhraseRule,
  SUGGESTED_PHRASE_RULES,
} from "./phrase-rules.ts";
export { PROFILES, type RuleProfile } from "./profiles.ts";
export type { AgentDayFigures, ChatlogResult, ChatlogStats, LineProblem } from "./result.ts";
export { METRIC_FAMILIES, type MetricFamily } from "./rules.ts";
