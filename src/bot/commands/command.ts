import type { FollowUpOutcome } from "../../follow-ups/follow-up-outcomes.ts";

/**
 * What people can ask the bot, as data: the words (English and Chinese) of each command, period
 * and follow-up outcome. The parser reads text against these tables; help is written from them.
 * PERIOD_WORDS is the one table of period words: `kpi score`, `kpi digest` and `kpi chat` read
 * their periods with it too (period-asked.ts).
 */

export type PeriodWord = "today" | "yesterday" | "week" | "last-week" | "month" | "last-month";

/** A period as asked: a word relative to today, or a period key (2026-11-23, 2026-W47, 2026-11, 2026-Q4). */
export type PeriodAsked = { word: PeriodWord } | { key: string };

/** Someone named in a command: a chat mention (`<@U123>`) or a name / account / agent id. */
export type AgentAsked = { userId: string } | { name: string };

export type Command =
  | { name: "me"; period: PeriodAsked }
  | { name: "team"; period: PeriodAsked }
  | { name: "top"; period: PeriodAsked }
  | { name: "agent"; agent: AgentAsked; period: PeriodAsked }
  | { name: "explain"; metric: string; period?: PeriodAsked }
  | { name: "targets" }
  /** `page`: 1 when not given; each page lists 20 bad reviews and 20 ratings. */
  | { name: "followups"; page?: number }
  | { name: "done"; id: string; outcome: FollowUpOutcome; note?: string }
  | { name: "link"; account: string }
  /** An agent's appeal of an item of their card (metric, period) or of a fact (`#12`); docs/appeals.md. */
  | { name: "appeal"; action: "raise"; target: string; period?: PeriodAsked; reason: string }
  /** The decider's: a corrected value in the metric's unit ("28秒", "92%", "45/50") or `exclude` (a fact). */
  | { name: "appeal"; action: "accept"; id: string; value: string }
  | { name: "appeal"; action: "reject"; id: string; reason: string }
  | { name: "appeals" }
  /** Gaming alerts: the open ones (`alerts`), or one marked fine (`alerts fine <id> [note]`). */
  | { name: "alerts"; fine?: { id: string; note?: string } }
  /** `rate` alone: what is still to rate; else agent, item, level and a note (rate-command.ts). */
  | { name: "rate"; words: string[] }
  /** `qa`: my reviews waiting (reviewer) or my latest results (agent); `qa rate <id> …` rates one. */
  | { name: "qa"; action: "list" }
  | { name: "qa"; action: "rate"; id: string; words: string[] }
  | { name: "help" };

export type CommandName = Command["name"];

export const COMMAND_WORDS: Readonly<Record<CommandName, readonly string[]>> = {
  me: ["me", "我", "我的"],
  team: ["team", "团队", "本组", "小组"],
  top: ["top", "rank", "排行", "排名", "排行榜"],
  agent: ["agent", "客服", "查看"],
  explain: ["explain", "解释", "说明"],
  targets: ["targets", "目标", "考核标准"],
  followups: ["followups", "follow-ups", "跟进", "待跟进"],
  done: ["done", "完成", "已跟进"],
  link: ["link", "绑定"],
  appeal: ["appeal", "申诉"],
  appeals: ["appeals", "申诉列表"],
  alerts: ["alerts", "预警", "刷指标"],
  rate: ["rate", "评分", "评定"],
  qa: ["qa", "质检"],
  help: ["help", "?", "？", "帮助"],
};

/** `qa rate …`: the word for rating after `qa`. */
export const QA_RATE_WORDS: readonly string[] = ["rate", "评分", "打分"];

export const PERIOD_WORDS: Readonly<Record<PeriodWord, readonly string[]>> = {
  today: ["today", "今天", "今日"],
  yesterday: ["yesterday", "昨天", "昨日"],
  week: ["week", "this-week", "本周", "这周"],
  "last-week": ["last-week", "上周"],
  month: ["month", "this-month", "本月", "这个月"],
  "last-month": ["last-month", "上月", "上个月"],
};

export const OUTCOME_WORDS: Readonly<Record<FollowUpOutcome, readonly string[]>> = {
  contacted: ["contacted", "已联系"],
  recovered: ["recovered", "已挽回", "挽回"],
  unreachable: ["unreachable", "联系不上", "未联系上"],
  reviewed: ["reviewed", "已复盘", "复盘"],
};

/** The decider's words after `appeal`: accept (同意) or reject (驳回), and the exclusion of a fact. */
export const APPEAL_DECISION_WORDS: Readonly<Record<"accept" | "reject", readonly string[]>> = {
  accept: ["accept", "同意", "通过"],
  reject: ["reject", "驳回", "拒绝"],
};
export const EXCLUDE_WORDS: readonly string[] = ["exclude", "排除", "剔除"];

/** The arguments each command takes, as its usage line shows them. */
export const USAGE: Readonly<Record<CommandName, string>> = {
  me: "me [period]",
  team: "team [period]",
  top: "top [period]",
  agent: "agent <name|@user> [period]",
  explain: "explain <metric> [period]",
  targets: "targets",
  followups: "followups [page]",
  done: "done <id> contacted|recovered|unreachable|reviewed [note]",
  link: "link <account>",
  appeal:
    "appeal <metric|#fact> [period] <reason> · appeal accept <id> <value|exclude> · appeal reject <id> <reason>",
  appeals: "appeals",
  alerts: "alerts [fine <id> [note]]",
  rate: "rate [<agent> <item> <level> [note]]",
  qa: "qa [rate <id> complete=yes|no script=yes|no attitude=1-5 solved=yes|no [note]]",
  help: "help",
};

/** Why a text is not a command; the renderer turns it into a usage message in the user's language. */
export type UsageProblem =
  | { problem: "empty" }
  | { problem: "bad-characters"; command?: CommandName }
  | { problem: "too-long"; limit: number }
  | { problem: "unknown-command"; word: string }
  | { problem: "bad-period"; command: CommandName; word: string }
  | { problem: "missing-argument"; command: CommandName; argument: string }
  | { problem: "bad-outcome"; command: CommandName; word: string }
  | { problem: "extra-words"; command: CommandName; words: string };
