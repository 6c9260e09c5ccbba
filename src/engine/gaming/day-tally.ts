/**
 * An agent-day's gaming tallies: per kind, counts that add up across days (so a week, or an
 * agent's past, is the sum of its days) and a few examples as evidence. The store keeps one row
 * per agent, day and kind; the weekly rules read the sums.
 */
import type { Conversation } from "../conversation.ts";
import { readConversation } from "./conversation-traits.ts";
import type { ConversationKind } from "./kinds.ts";
import type { GamingThresholds } from "./thresholds.ts";

export interface SplitTally {
  conversations: number;
  withSplit: number;
  splitPairs: number;
  agentMessages: number;
  customerMessages: number;
  examples: { session: string; at: number; gapMs: number; first: string; second: string }[];
}

export interface InviteTally {
  positive: number;
  positiveInvited: number;
  other: number;
  otherInvited: number;
  /** Unhappy customers not invited: what the supervisor may want to read. */
  examples: { session: string; mood: string; invited: boolean }[];
}

export interface GuidanceTally {
  conversations: number;
  withPhrase: number;
  examples: { session: string; at: number; phrase: string; text: string }[];
}

export interface DelayTally {
  firstReplies: number;
  nearLimit: number;
  justOver: number;
  closable: number;
  keptOpen: number;
  examples: { session: string; firstReplyMs?: number; pings?: number; tailMs?: number }[];
}

export interface TransferTally {
  transfers: number;
  nearLimit: number;
  examples: { session: string; at: number; waitMs: number; limitMs: number }[];
}

export interface KindTallies {
  split_answers: SplitTally;
  invite_targeting: InviteTally;
  review_guidance: GuidanceTally;
  threshold_delay: DelayTally;
  transfer_before_limit: TransferTally;
}

/** The figures the conversations give, for the history-jump rule when no agent-days are at hand. */
export interface DayFigures {
  sessions: number;
  invites: number;
  ratings: number;
  satisfied: number;
  agentMessages: number;
  customerMessages: number;
}

export interface AgentDayTally {
  shop: string;
  agent: string;
  day: string;
  kinds: KindTallies;
  figures: DayFigures;
}

export function emptyKindTallies(): KindTallies {
  return {
    split_answers: {
      conversations: 0,
      withSplit: 0,
      splitPairs: 0,
      agentMessages: 0,
      customerMessages: 0,
      examples: [],
    },
    invite_targeting: { positive: 0, positiveInvited: 0, other: 0, otherInvited: 0, examples: [] },
    review_guidance: { conversations: 0, withPhrase: 0, examples: [] },
    threshold_delay: { firstReplies: 0, nearLimit: 0, justOver: 0, closable: 0, keptOpen: 0, examples: [] },
    transfer_before_limit: { transfers: 0, nearLimit: 0, examples: [] },
  };
}

export const emptyFigures = (): DayFigures => ({
  sessions: 0,
  invites: 0,
  ratings: 0,
  satisfied: 0,
  agentMessages: 0,
  customerMessages: 0,
});

function keep<T>(list: T[], item: T, limit: number): void {
  if (list.length < limit) list.push(item);
}

/** Tallies per (shop, agent, day) of the given conversations, in first-seen order. */
export function tallyConversations(
  conversations: readonly Conversation[],
  thresholds: GamingThresholds,
): AgentDayTally[] {
  const tallies = new GamingTallies(thresholds);
  tallies.add(conversations);
  return tallies.tallies();
}

/**
 * Tallies per (shop, agent, day) added up as conversations come, a chunk at a time: an import
 * reads a chat log's conversations in chunks and never holds them all.
 */
export class GamingTallies {
  private readonly byKey = new Map<string, AgentDayTally>();

  constructor(private readonly thresholds: GamingThresholds) {}

  /** In first-seen order. */
  tallies(): AgentDayTally[] {
    return [...this.byKey.values()];
  }

  private tallyOf(shop: string, agent: string, day: string): AgentDayTally {
    const key = `${shop}\u0000${agent}\u0000${day}`;
    let tally = this.byKey.get(key);
    if (!tally) {
      tally = { shop, agent, day, kinds: emptyKindTallies(), figures: emptyFigures() };
      this.byKey.set(key, tally);
    }
    return tally;
  }

  add(conversations: readonly Conversation[]): void {
    for (const c of conversations) this.addOne(c);
  }

  private addOne(c: Conversation): void {
    const thresholds = this.thresholds;
    const limit = thresholds.examplesPerDay;
    const traits = readConversation(c, thresholds);
    const tally = this.tallyOf(c.shop, c.agent, c.day);
    const { kinds, figures } = tally;
    figures.sessions++;
    figures.agentMessages += traits.agentMessages;
    figures.customerMessages += traits.customerMessages;
    if (traits.invited) figures.invites++;
    if (traits.rating !== undefined) {
      figures.ratings++;
      if (traits.rating >= 4) figures.satisfied++;
    }

    const split = kinds.split_answers;
    if (traits.agentMessages > 0) split.conversations++;
    split.agentMessages += traits.agentMessages;
    split.customerMessages += traits.customerMessages;
    split.splitPairs += traits.splits.length;
    if (traits.splits.length > 0) {
      split.withSplit++;
      const pair = traits.splits[0]!;
      keep(split.examples, { session: c.session, ...pair }, limit);
    }

    const invite = kinds.invite_targeting;
    if (traits.customerMessages > 0) {
      if (traits.mood === "positive") {
        invite.positive++;
        if (traits.invited) invite.positiveInvited++;
      } else {
        invite.other++;
        if (traits.invited) invite.otherInvited++;
        if (traits.mood === "negative" && !traits.invited)
          keep(invite.examples, { session: c.session, mood: traits.mood, invited: false }, limit);
      }
    }

    const guidance = kinds.review_guidance;
    if (traits.agentMessages > 0) guidance.conversations++;
    if (traits.guidance.length > 0) {
      guidance.withPhrase++;
      const hit = traits.guidance[0]!;
      keep(guidance.examples, { session: c.session, ...hit }, limit);
    }

    const delay = kinds.threshold_delay;
    const d = thresholds.thresholdDelay;
    if (traits.firstReplyMs !== undefined) {
      delay.firstReplies++;
      const ms = traits.firstReplyMs;
      if (ms < d.firstReplyLimitMs && ms >= d.firstReplyLimitMs - d.windowMs) {
        delay.nearLimit++;
        keep(delay.examples, { session: c.session, firstReplyMs: ms }, limit);
      } else if (ms >= d.firstReplyLimitMs && ms < d.firstReplyLimitMs + d.windowMs) delay.justOver++;
    }
    if (traits.closable) delay.closable++;
    if (traits.keptOpen) {
      delay.keptOpen++;
      keep(delay.examples, { session: c.session, ...traits.keptOpen }, limit * 2);
    }

    for (const transfer of traits.transfers) {
      const by = transfer.by === c.agent ? tally : this.tallyOf(c.shop, transfer.by, c.day);
      const t = by.kinds.transfer_before_limit;
      t.transfers++;
      if (transfer.nearLimitMs !== undefined && transfer.waitMs !== undefined) {
        t.nearLimit++;
        keep(
          t.examples,
          { session: c.session, at: transfer.at, waitMs: transfer.waitMs, limitMs: transfer.nearLimitMs },
          limit,
        );
      }
    }
  }
}

/** The sum of one kind's tallies over days (examples: the first `maxExamples`). */
export function sumKind<K extends ConversationKind>(
  kind: K,
  days: readonly KindTallies[K][],
  maxExamples = 5,
): KindTallies[K] {
  const total = emptyKindTallies()[kind] as unknown as Record<string, unknown>;
  for (const day of days) {
    for (const [field, value] of Object.entries(day)) {
      if (typeof value === "number") total[field] = (total[field] as number) + value;
      else if (Array.isArray(value)) {
        const examples = total[field] as unknown[];
        for (const example of value) if (examples.length < maxExamples) examples.push(example);
      }
    }
  }
  return total as unknown as KindTallies[K];
}
