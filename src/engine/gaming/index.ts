/** Gaming detectors: pure rules over conversations and daily figures (docs/gaming.md). */
export * from "./agent-week.ts";
export * from "./conversation-traits.ts";
export * from "./cues.ts";
export * from "./day-tally.ts";
export * from "./figure-rules.ts";
export * from "./kinds.ts";
export { binomialTail } from "./stats.ts";
export * from "./thresholds.ts";
export * from "./week-rules.ts";
