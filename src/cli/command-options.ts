import type { ParseArgsConfig } from "node:util";

/**
 * Each command's flags as `parseArgs` takes them, in a module that imports nothing: `kpi` checks
 * a command line against them (and the values below) before it loads the command, so a mistyped
 * flag is answered at once, not after the database has opened.
 */

export type CommandOptions = NonNullable<ParseArgsConfig["options"]>;

/** What a flag's value must be, checked up front (arg-check.ts): a day, a period, one of a list. */
export type ValueRule = "day" | "period" | "lang" | readonly string[];

export interface CommandSpec {
  options: CommandOptions;
  positionals: boolean;
  values?: Record<string, ValueRule>;
  /** The positionals name files to read: each must exist (a typo in a path is told at once). */
  positionalFiles?: boolean;
}

const CHATLOG_OPTIONS = {
  phrases: { type: "string" },
  profile: { type: "string" },
  window: { type: "string" },
  "time-zone": { type: "string" },
} as const;

export const scoreSpec = {
  options: {
    input: { type: "string" },
    scheme: { type: "string" },
    period: { type: "string" },
    format: { type: "string", default: "table" },
    explain: { type: "boolean", default: false },
    lang: { type: "string" },
    date: { type: "string" },
    agent: { type: "string" },
    config: { type: "string" },
  },
  positionals: false,
  values: { period: "period", date: "day", lang: "lang", format: ["table", "json"] },
} as const satisfies CommandSpec;

export const metricsSpec = {
  options: {
    messages: { type: "string" },
    orders: { type: "string" },
    ratings: { type: "string" },
    reviews: { type: "string" },
    ...CHATLOG_OPTIONS,
    "session-gap": { type: "string" },
    threads: { type: "string" },
    only: { type: "string" },
    format: { type: "string", default: "table" },
    lang: { type: "string" },
    config: { type: "string" },
  },
  positionals: false,
  values: { lang: "lang", format: ["table", "json", "csv"] },
} as const satisfies CommandSpec;

export const dbSpec = {
  options: { config: { type: "string" }, repair: { type: "boolean", default: false } },
  positionals: true,
} as const satisfies CommandSpec;

export const demoSpec = {
  options: {
    days: { type: "string", default: "90" },
    end: { type: "string" },
    seed: { type: "string", default: "1" },
    config: { type: "string" },
  },
  positionals: false,
  values: { end: "day" },
} as const satisfies CommandSpec;

export const chatSpec = {
  options: { as: { type: "string" }, lang: { type: "string" }, config: { type: "string" } },
  positionals: true,
  values: { lang: "lang" },
} as const satisfies CommandSpec;

export const digestSpec = {
  options: {
    team: { type: "string" },
    period: { type: "string" },
    kind: { type: "string" },
    date: { type: "string" },
    preview: { type: "boolean", default: false },
    platform: { type: "string" },
    chart: { type: "string" },
    lang: { type: "string" },
    config: { type: "string" },
  },
  positionals: false,
  values: {
    period: "period",
    date: "day",
    lang: "lang",
    kind: ["daily", "weekly", "monthly"],
    platform: ["console", "slack", "feishu", "dingtalk"],
  },
} as const satisfies CommandSpec;

export const qaSpec = {
  options: {
    period: { type: "string" },
    team: { type: "string" },
    agent: { type: "string" },
    format: { type: "string", default: "table" },
    export: { type: "string" },
    lang: { type: "string" },
    config: { type: "string" },
  },
  positionals: false,
  values: { period: "period", lang: "lang", format: ["table", "csv", "json"] },
} as const satisfies CommandSpec;

export const importSpec = {
  options: {
    source: { type: "string" },
    date: { type: "string" },
    shop: { type: "string" },
    orders: { type: "string" },
    ratings: { type: "string" },
    reviews: { type: "string" },
    config: { type: "string" },
    ...CHATLOG_OPTIONS,
    strict: { type: "boolean" },
  },
  positionals: true,
  values: { date: "day" },
  positionalFiles: true,
} as const satisfies CommandSpec;

export const pullSpec = {
  options: { date: { type: "string" }, source: { type: "string" }, config: { type: "string" } },
  positionals: false,
  values: { date: "day" },
} as const satisfies CommandSpec;

export const setupSpec = {
  options: {
    url: { type: "string" },
    mode: { type: "string" },
    name: { type: "string", default: "KPI bot" },
    format: { type: "string", default: "yaml" },
  },
  positionals: true,
  values: { format: ["yaml", "json"] },
} as const satisfies CommandSpec;

export const doctorSpec = {
  options: { config: { type: "string" } },
  positionals: true,
} as const satisfies CommandSpec;

export const initSpec = {
  options: {
    shop: { type: "string", multiple: true },
    team: { type: "string", multiple: true },
    platform: { type: "string" },
    roster: { type: "string" },
    channel: { type: "string", multiple: true },
    "time-zone": { type: "string" },
    config: { type: "string" },
    force: { type: "boolean" },
  },
  positionals: false,
  values: { platform: ["slack", "feishu", "dingtalk", "console"] },
} as const satisfies CommandSpec;

export const rosterSpec = {
  options: {
    from: { type: "string" },
    yes: { type: "boolean", short: "y" },
    "dry-run": { type: "boolean" },
    config: { type: "string" },
  },
  positionals: true,
  values: { from: ["slack", "feishu", "dingtalk"] },
} as const satisfies CommandSpec;
