import type { FollowUpOutcome } from "../../follow-ups/follow-up-outcomes.ts";
import {
  type AgentAsked,
  COMMAND_WORDS,
  type Command,
  type CommandName,
  OUTCOME_WORDS,
  PERIOD_WORDS,
  type PeriodAsked,
  type PeriodWord,
  type UsageProblem,
} from "./command.ts";

/**
 * The text after `/kpi` (or after @bot in a group) → a Command, the same for every platform.
 * Adapters hand over mentions as `<@USERID>` (Slack's own form; Feishu and DingTalk mentions
 * are rewritten to it). Words are matched without case; full-width spaces separate words too.
 */

export type ParsedCommand = { ok: true; command: Command } | { ok: false; usage: UsageProblem };

function lookup<K extends string>(table: Readonly<Record<K, readonly string[]>>): Map<string, K> {
  const map = new Map<string, K>();
  for (const key of Object.keys(table) as K[])
    for (const word of table[key]) map.set(word.toLowerCase(), key);
  return map;
}

const commandOf = lookup(COMMAND_WORDS);
const periodWordOf = lookup(PERIOD_WORDS);
const outcomeOf = lookup(OUTCOME_WORDS);

const MENTION = /^<@([A-Za-z0-9_.-]+)(?:\|[^>]*)?>$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;

/** A period word, a valid day or a valid month; undefined for anything else. */
function parsePeriodAsked(word: string): PeriodAsked | undefined {
  const named = periodWordOf.get(word.toLowerCase());
  if (named) return { word: named as PeriodWord };
  if (DAY.test(word)) {
    const [y, m, d] = word.split("-").map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? { key: word } : undefined;
  }
  if (MONTH.test(word)) {
    const month = Number(word.slice(5));
    return month >= 1 && month <= 12 ? { key: word } : undefined;
  }
  return undefined;
}

export function parseCommand(text: string): ParsedCommand {
  const words = text
    .trim()
    .split(/[\s\u3000]+/)
    .filter((w) => w !== "");
  if (words.length === 0) return { ok: false, usage: { problem: "empty" } };
  const name = commandOf.get(words[0]!.toLowerCase());
  if (!name) return { ok: false, usage: { problem: "unknown-command", word: words[0]! } };
  const rest = words.slice(1);
  switch (name) {
    case "me":
    case "team":
    case "top":
      return withPeriod(name, rest, (period) => ({ name, period }));
    case "agent": {
      const who = rest[0];
      if (who === undefined) return missing(name, "name|@user");
      const mention = MENTION.exec(who);
      const agent: AgentAsked = mention ? { userId: mention[1]! } : { name: who };
      return withPeriod(name, rest.slice(1), (period) => ({ name, agent, period }));
    }
    case "explain":
      if (rest.length === 0) return missing(name, "metric");
      // Metric names may hold spaces ("first response time").
      return { ok: true, command: { name, metric: rest.join(" ") } };
    case "done":
      return parseDone(rest);
    case "link":
      if (rest.length === 0) return missing(name, "account");
      return { ok: true, command: { name, account: rest.join(" ") } };
    case "targets":
    case "followups":
    case "help":
      return rest.length === 0 ? { ok: true, command: { name } } : extra(name, rest);
  }
}

function withPeriod(
  name: CommandName,
  rest: string[],
  make: (period: PeriodAsked) => Command,
): ParsedCommand {
  // Without a period: the month so far. Figures arrive the next morning, so "today" would be
  // empty all day, and the month is what grades and pay are decided on.
  if (rest.length === 0) return { ok: true, command: make({ word: "month" }) };
  const period = parsePeriodAsked(rest[0]!);
  if (!period) return { ok: false, usage: { problem: "bad-period", command: name, word: rest[0]! } };
  if (rest.length > 1) return extra(name, rest.slice(1));
  return { ok: true, command: make(period) };
}

function parseDone(rest: string[]): ParsedCommand {
  const [id, outcomeWord, ...note] = rest;
  if (id === undefined) return missing("done", "id");
  if (outcomeWord === undefined) return missing("done", "contacted|recovered|unreachable|reviewed");
  const outcome = outcomeOf.get(outcomeWord.toLowerCase()) as FollowUpOutcome | undefined;
  if (!outcome) return { ok: false, usage: { problem: "bad-outcome", command: "done", word: outcomeWord } };
  const command: Command = { name: "done", id, outcome, ...(note.length ? { note: note.join(" ") } : {}) };
  return { ok: true, command };
}

const missing = (command: CommandName, argument: string): ParsedCommand => ({
  ok: false,
  usage: { problem: "missing-argument", command, argument },
});

const extra = (command: CommandName, words: string[]): ParsedCommand => ({
  ok: false,
  usage: { problem: "extra-words", command, words: words.join(" ") },
});
