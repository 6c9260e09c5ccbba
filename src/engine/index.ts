/**
 * The shared scoring engine: pure functions and types, no I/O. Everything here can be imported
 * by another program on its own (`import { buildScheme, scoreAgent } from "kpi-bot/engine"`).
 */

export * from "./batch.ts";
export * from "./chatlog/index.ts";
export * from "./coaching.ts";
export * from "./conversation.ts";
export * from "./conversation-facts.ts";
export * from "./conversation-grouping.ts";
export * from "./customer-mask.ts";
export * from "./errors.ts";
export * from "./explain.ts";
export * from "./gaming/index.ts";
export * from "./item-score.ts";
export * from "./metric-bounds.ts";
export * from "./metrics.ts";
export * from "./pay.ts";
export * from "./period.ts";
export * from "./plan.ts";
export * from "./qa-sample.ts";
export * from "./rank.ts";
export * from "./ratings.ts";
export * from "./rollup.ts";
export * from "./scheme.ts";
export * from "./score.ts";
export * from "./season.ts";
export * from "./season-calendar.ts";
export * from "./segments.ts";
export * from "./team.ts";
export * from "./units.ts";
export * from "./value.ts";
