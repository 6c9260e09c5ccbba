/**
 * What the gaming rules need from one conversation, read once: split answers, the first reply's
 * wait, pings that keep a silent session open, transfers made while the customer waited, the
 * customer's mood where a rating invitation was (or would have been) sent, and guidance phrases.
 */
import type { Conversation, ConversationMessage } from "../conversation.ts";
import { endsSentence, guidancePhraseIn, type Mood, moodOfLine } from "./cues.ts";
import type { GamingThresholds } from "./thresholds.ts";

export interface SplitPair {
  at: number;
  gapMs: number;
  first: string;
  second: string;
}

export interface TransferRead {
  /** The agent who handed the session on. */
  by: string;
  at: number;
  /** How long the customer had waited for an answer then; undefined when nothing was unanswered. */
  waitMs?: number;
  /** The limit the transfer came just before, when it did. */
  nearLimitMs?: number;
}

export interface ConversationTraits {
  agentMessages: number;
  customerMessages: number;
  splits: SplitPair[];
  firstReplyMs?: number;
  /** Agent pings after the customer fell silent, and how long the session then stayed open. */
  keptOpen?: { pings: number; tailMs: number };
  /** The customer spoke and the session has an end (a close or a last line): kept-open can be judged. */
  closable: boolean;
  invited: boolean;
  /** The customer's last cue before the invitation, or before the end when none was sent. */
  mood: Mood;
  guidance: { at: number; phrase: string; text: string }[];
  transfers: TransferRead[];
  rating?: number;
}

const isAgentLine = (m: ConversationMessage) => m.from === "agent" && m.event === "message";
const isCustomerLine = (m: ConversationMessage) => m.from === "customer" && m.event === "message";

function splitsOf(
  messages: readonly ConversationMessage[],
  t: GamingThresholds["splitAnswers"],
): SplitPair[] {
  const pairs: SplitPair[] = [];
  let previous: ConversationMessage | undefined;
  for (const m of messages) {
    if (!isAgentLine(m)) {
      // A customer line, a transfer or an invitation between two agent lines ends the run.
      if (m.from !== "auto" && m.from !== "system") previous = undefined;
      else if (m.event !== "message") previous = undefined;
      continue;
    }
    if (previous) {
      const gapMs = m.at - previous.at;
      const first = previous.text.trim();
      const second = m.text.trim();
      const short = [...first].length <= t.maxFragmentChars || [...second].length <= t.maxFragmentChars;
      if (gapMs <= t.maxGapMs && !endsSentence(first) && second !== "" && short)
        pairs.push({ at: m.at, gapMs, first, second });
    }
    previous = m;
  }
  return pairs;
}

function firstReplyMsOf(messages: readonly ConversationMessage[]): number | undefined {
  const asked = messages.find(isCustomerLine);
  if (!asked) return undefined;
  for (const m of messages) {
    if (m.at < asked.at) continue;
    // Transferred or left as a message before any answer: not counted, as 30秒应答率 does not.
    if (m.event === "transfer" || m.event === "leave_message") return undefined;
    if (isAgentLine(m)) return m.at - asked.at;
  }
  return undefined;
}

function keptOpenOf(
  messages: readonly ConversationMessage[],
  t: GamingThresholds["thresholdDelay"],
): { closable: boolean; keptOpen?: { pings: number; tailMs: number } } {
  let lastCustomer = -1;
  messages.forEach((m, i) => {
    if (isCustomerLine(m)) lastCustomer = i;
  });
  if (lastCustomer < 0 || messages.some((m) => m.event === "transfer")) return { closable: false };
  const tail = messages.slice(lastCustomer + 1);
  const end = tail.findLast((m) => m.event === "close") ?? tail.at(-1) ?? messages[lastCustomer]!;
  let pings = 0;
  let before = messages[lastCustomer]!.at;
  for (const m of tail) {
    if (isAgentLine(m) && m.at - before >= t.keptOpenPingGapMs) pings++;
    if (m.from === "agent" || m.from === "customer") before = m.at;
  }
  const tailMs = end.at - messages[lastCustomer]!.at;
  if (pings >= t.keptOpenMinPings && tailMs >= t.keptOpenMinTailMs)
    return { closable: true, keptOpen: { pings, tailMs } };
  return { closable: true };
}

function transfersOf(conversation: Conversation, t: GamingThresholds["transferBeforeLimit"]): TransferRead[] {
  const reads: TransferRead[] = [];
  let waitingSince: number | undefined;
  for (const m of conversation.messages) {
    if (isCustomerLine(m)) waitingSince ??= m.at;
    else if (isAgentLine(m)) waitingSince = undefined;
    else if (m.event === "transfer" && !m.customerAsked) {
      const read: TransferRead = { by: m.agent ?? conversation.agent, at: m.at };
      if (waitingSince !== undefined) {
        const waitMs = m.at - waitingSince;
        read.waitMs = waitMs;
        const near = t.limits.find((l) => waitMs < l.limitMs && waitMs >= l.limitMs - l.windowMs);
        if (near) read.nearLimitMs = near.limitMs;
      }
      reads.push(read);
      waitingSince = undefined;
    }
  }
  return reads;
}

function moodBefore(messages: readonly ConversationMessage[], end: number): Mood {
  let mood: Mood = "neutral";
  for (const m of messages.slice(0, end)) {
    if (!isCustomerLine(m)) continue;
    const line = moodOfLine(m.text);
    if (line !== "neutral") mood = line;
  }
  return mood;
}

export function readConversation(
  conversation: Conversation,
  thresholds: GamingThresholds,
): ConversationTraits {
  const { messages } = conversation;
  const inviteAt = messages.findIndex((m) => m.event === "invite");
  const { closable, keptOpen } = keptOpenOf(messages, thresholds.thresholdDelay);
  const traits: ConversationTraits = {
    agentMessages: messages.filter(isAgentLine).length,
    customerMessages: messages.filter(isCustomerLine).length,
    splits: splitsOf(messages, thresholds.splitAnswers),
    closable,
    invited: inviteAt >= 0,
    mood: moodBefore(messages, inviteAt >= 0 ? inviteAt : messages.length),
    guidance: messages.filter(isAgentLine).flatMap((m) => {
      const phrase = guidancePhraseIn(m.text);
      return phrase ? [{ at: m.at, phrase, text: m.text }] : [];
    }),
    transfers: transfersOf(conversation, thresholds.transferBeforeLimit),
  };
  const firstReplyMs = firstReplyMsOf(messages);
  if (firstReplyMs !== undefined) traits.firstReplyMs = firstReplyMs;
  if (keptOpen) traits.keptOpen = keptOpen;
  if (conversation.rating) traits.rating = conversation.rating.score;
  return traits;
}
