import type { FollowUpOutcome } from "../../follow-ups/follow-up-outcomes.ts";
import {
  type AgentAsked,
  APPEAL_DECISION_WORDS,
  COMMAND_WORDS,
  type Command,
  type CommandName,
  OUTCOME_WORDS,
  type PeriodAsked,
  QA_RATE_WORDS,
  type UsageProblem,
} from "./command.ts";
import { readPeriodAsked } from "./period-asked.ts";

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
const outcomeOf = lookup(OUTCOME_WORDS);
const decisionOf = lookup(APPEAL_DECISION_WORDS);

const MENTION = /^<@([A-Za-z0-9_.-]+)(?:\|[^>]*)?>$/;

/** Longer than any command and its note needs; a paste of a whole chat is refused, not parsed. */
export const MAX_COMMAND_LENGTH = 500;
// C0 controls but tab and line breaks, DEL, C1 controls: nothing a person types into a command,
// and NUL would reach the database (which refuses it).
const CONTROL = /(?![\t\n\r])\p{Cc}/u;

export function parseCommand(text: string): ParsedCommand {
  if (CONTROL.test(text)) {
    // The usage line of the command, when its name came before the stray character.
    const name = commandOf.get(
      text
        .trim()
        .split(/[\s\u3000]|\p{Cc}/u)[0]!
        .toLowerCase(),
    );
    return { ok: false, usage: { problem: "bad-characters", ...(name ? { command: name } : {}) } };
  }
  if (text.length > MAX_COMMAND_LENGTH)
    return { ok: false, usage: { problem: "too-long", limit: MAX_COMMAND_LENGTH } };
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
      {
        // Metric names may hold spaces ("first response time"); a period word or key may end them.
        const period = rest.length > 1 ? readPeriodAsked(rest.at(-1)!) : undefined;
        const metric = (period ? rest.slice(0, -1) : rest).join(" ");
        return { ok: true, command: { name, metric, ...(period ? { period } : {}) } };
      }
    case "done":
      return parseDone(rest);
    case "link":
      if (rest.length === 0) return missing(name, "account");
      return { ok: true, command: { name, account: rest.join(" ") } };
    case "appeal":
      return parseAppeal(text, rest);
    case "appeals":
      return rest.length === 0 ? { ok: true, command: { name } } : extra(name, rest);
    case "followups":
      if (rest.length === 1 && /^[1-9]\d{0,3}$/.test(rest[0]!))
        return { ok: true, command: { name, page: Number(rest[0]) } };
      return rest.length === 0 ? { ok: true, command: { name } } : extra(name, rest);
    case "alerts":
      return parseAlerts(rest);
    case "rate":
      // Agent, item and level are read against the roster and the scheme (rate-command.ts).
      return { ok: true, command: { name, words: rest } };
    case "qa":
      return parseQa(rest);
    case "targets":
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
  const period = readPeriodAsked(rest[0]!);
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

/**
 * `appeal <metric|#fact> [period] <reason>`, `appeal accept <id> <value|exclude>`,
 * `appeal reject <id> <reason>`. The target is one word (a metric's id or name, or a fact's
 * number); a reason keeps its line breaks and spaces as typed, only trimmed.
 */
function parseAppeal(text: string, rest: string[]): ParsedCommand {
  const first = rest[0];
  if (first === undefined) return missing("appeal", "metric|#fact");
  const decision = decisionOf.get(first.toLowerCase());
  if (decision) {
    const id = rest[1];
    if (id === undefined) return missing("appeal", "id");
    if (decision === "accept") {
      if (rest.length < 3) return missing("appeal", "value|exclude");
      if (rest.length > 3) return extra("appeal", rest.slice(3));
      return { ok: true, command: { name: "appeal", action: "accept", id, value: rest[2]! } };
    }
    const reason = textAfter(text, 3);
    if (reason === "") return missing("appeal", "reason");
    return { ok: true, command: { name: "appeal", action: "reject", id, reason } };
  }
  const period = rest.length > 2 ? readPeriodAsked(rest[1]!) : undefined;
  const reason = textAfter(text, period ? 3 : 2);
  if (reason === "") return missing("appeal", "reason");
  return {
    ok: true,
    command: { name: "appeal", action: "raise", target: first, reason, ...(period ? { period } : {}) },
  };
}

/** The text after its first `words` words, as typed (inner spaces and line breaks kept). */
function textAfter(text: string, words: number): string {
  let rest = text.trim();
  for (let i = 0; i < words; i++) rest = rest.replace(/^[^\s\u3000]+[\s\u3000]*/, "");
  return rest.trim();
}

/** The words that mark an alert fine, besides "fine". */
const FINE_WORDS = new Set(["fine", "ok", "没问题", "无问题"]);

function parseAlerts(rest: string[]): ParsedCommand {
  if (rest.length === 0) return { ok: true, command: { name: "alerts" } };
  const [word, id, ...note] = rest;
  if (!FINE_WORDS.has(word!.toLowerCase())) return extra("alerts", rest);
  if (id === undefined) return missing("alerts", "id");
  return {
    ok: true,
    command: { name: "alerts", fine: { id, ...(note.length ? { note: note.join(" ") } : {}) } },
  };
}

function parseQa(rest: string[]): ParsedCommand {
  if (rest.length === 0) return { ok: true, command: { name: "qa", action: "list" } };
  if (!QA_RATE_WORDS.includes(rest[0]!.toLowerCase())) return extra("qa", rest);
  const [id, ...words] = rest.slice(1);
  if (id === undefined) return missing("qa", "id");
  // The criteria are read against the configured rubric by the use-case (qa-command.ts).
  return { ok: true, command: { name: "qa", action: "rate", id, words } };
}

const missing = (command: CommandName, argument: string): ParsedCommand => ({
  ok: false,
  usage: { problem: "missing-argument", command, argument },
});

const extra = (command: CommandName, words: string[]): ParsedCommand => ({
  ok: false,
  usage: { problem: "extra-words", command, words: words.join(" ") },
});
