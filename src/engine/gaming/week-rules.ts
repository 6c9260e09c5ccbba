/**
 * The weekly rules over an agent's conversation tallies: each compares the week with the agent's
 * own past (or a cautious base rate without one) and fires only with enough cases and a chance
 * of at most `maxChance` that an honest agent with that past would have had such a week.
 */

import { type KindTallies, sumKind } from "./day-tally.ts";
import type { ConversationKind, GamingKind } from "./kinds.ts";
import { binomialTail, rounded, twoProportionZ } from "./stats.ts";
import type { GamingThresholds } from "./thresholds.ts";

/** What fired and why: the numbers and examples a supervisor reads. */
export interface GamingFinding {
  kind: GamingKind;
  /** Which of the kind's rules fired (a kind may have two, e.g. first replies and kept-open). */
  rule: string;
  numbers: Record<string, number>;
  examples: Record<string, unknown>[];
}

/**
 * How likely `k` hits in `n` are for an honest agent: the base rate from the agent's past
 * (`pastHits` of `pastTotal`, at least `floor`) when there is enough of it, else the cautious
 * default `without`; and the binomial tail at that rate.
 */
function againstPast(
  k: number,
  n: number,
  pastHits: number,
  pastTotal: number,
  minTotal: number,
  floor: number,
  without: number,
): { base: number; chance: number } {
  const base = pastTotal >= minTotal ? Math.max(floor, pastHits / pastTotal) : without;
  return { base, chance: binomialTail(k, n, base) };
}

function splitAnswers(
  week: KindTallies["split_answers"],
  past: KindTallies["split_answers"],
  t: GamingThresholds["splitAnswers"],
): GamingFinding | undefined {
  const n = week.conversations;
  const k = week.withSplit;
  if (n < t.minConversations || k < t.minSplitConversations || k / n < t.minShare) return undefined;
  const { base, chance } = againstPast(
    k,
    n,
    past.withSplit,
    past.conversations,
    t.minHistoryConversations,
    t.baseFloor,
    t.baseWithoutHistory,
  );
  if (chance > t.maxChance) return undefined;
  const qa = week.customerMessages > 0 ? week.agentMessages / week.customerMessages : 0;
  const qaJoined =
    week.customerMessages > 0 ? (week.agentMessages - week.splitPairs) / week.customerMessages : 0;
  return {
    kind: "split_answers",
    rule: "split_answers",
    numbers: {
      conversations: n,
      withSplit: k,
      share: rounded(k / n),
      baseShare: rounded(base),
      chance,
      splitPairs: week.splitPairs,
      qaRatio: rounded(qa),
      qaRatioJoined: rounded(qaJoined),
    },
    examples: week.examples,
  };
}

function inviteTargeting(
  week: KindTallies["invite_targeting"],
  t: GamingThresholds["inviteTargeting"],
): GamingFinding | undefined {
  const invites = week.positiveInvited + week.otherInvited;
  if (invites < t.minInvites || week.positive < t.minPositive || week.other < t.minOther) return undefined;
  const ratePositive = week.positiveInvited / week.positive;
  const rateOther = week.otherInvited / week.other;
  const z = twoProportionZ(week.positiveInvited, week.positive, week.otherInvited, week.other);
  if (rateOther > t.maxRateRatio * ratePositive || z < t.minZ) return undefined;
  return {
    kind: "invite_targeting",
    rule: "invite_targeting",
    numbers: {
      positive: week.positive,
      positiveInvited: week.positiveInvited,
      other: week.other,
      otherInvited: week.otherInvited,
      ratePositive: rounded(ratePositive),
      rateOther: rounded(rateOther),
      z: rounded(z, 1),
    },
    examples: week.examples,
  };
}

function reviewGuidance(
  week: KindTallies["review_guidance"],
  t: GamingThresholds["reviewGuidance"],
): GamingFinding | undefined {
  if (week.withPhrase < t.minConversations) return undefined;
  return {
    kind: "review_guidance",
    rule: "review_guidance",
    numbers: { conversations: week.conversations, withPhrase: week.withPhrase },
    examples: week.examples,
  };
}

function thresholdDelay(
  week: KindTallies["threshold_delay"],
  past: KindTallies["threshold_delay"],
  t: GamingThresholds["thresholdDelay"],
): GamingFinding | undefined {
  const n = week.firstReplies;
  const k = week.nearLimit;
  if (
    n >= t.minFirstReplies &&
    k >= t.minNearLimit &&
    k / n >= t.minShare &&
    k >= t.minCliffRatio * (week.justOver + 1)
  ) {
    const { base, chance } = againstPast(
      k,
      n,
      past.nearLimit,
      past.firstReplies,
      t.minHistoryFirstReplies,
      t.baseFloor,
      t.baseWithoutHistory,
    );
    if (chance <= t.maxChance)
      return {
        kind: "threshold_delay",
        rule: "first_reply_spike",
        numbers: {
          firstReplies: n,
          nearLimit: k,
          justOver: week.justOver,
          share: rounded(k / n),
          baseShare: rounded(base),
          chance,
          limitSeconds: t.firstReplyLimitMs / 1000,
        },
        examples: week.examples.filter((e) => e.firstReplyMs !== undefined),
      };
  }
  const closed = week.closable;
  const kept = week.keptOpen;
  if (closed < t.minClosed || kept < t.minKeptOpen || kept / closed < t.keptOpenMinShare) return undefined;
  const { base, chance } = againstPast(
    kept,
    closed,
    past.keptOpen,
    past.closable,
    t.minHistoryFirstReplies,
    t.keptOpenBaseFloor,
    t.keptOpenBaseWithoutHistory,
  );
  if (chance > t.maxChance) return undefined;
  return {
    kind: "threshold_delay",
    rule: "kept_open",
    numbers: {
      conversations: closed,
      keptOpen: kept,
      share: rounded(kept / closed),
      baseShare: rounded(base),
      chance,
    },
    examples: week.examples.filter((e) => e.pings !== undefined),
  };
}

function transferBeforeLimit(
  week: KindTallies["transfer_before_limit"],
  t: GamingThresholds["transferBeforeLimit"],
): GamingFinding | undefined {
  const n = week.transfers;
  const k = week.nearLimit;
  if (k < t.minNearLimit || k / n < t.minShare) return undefined;
  const chance = binomialTail(k, n, t.base);
  if (chance > t.maxChance) return undefined;
  return {
    kind: "transfer_before_limit",
    rule: "transfer_before_limit",
    numbers: { transfers: n, nearLimit: k, share: rounded(k / n), baseShare: t.base, chance },
    examples: week.examples,
  };
}

/** One conversation kind's rule over a week's day tallies and the agent's past day tallies. */
export function judgeConversationKind<K extends ConversationKind>(
  kind: K,
  weekDays: readonly KindTallies[K][],
  pastDays: readonly KindTallies[K][],
  thresholds: GamingThresholds,
): GamingFinding | undefined {
  const week = sumKind(kind, weekDays);
  const past = sumKind(kind, pastDays, 0);
  switch (kind) {
    case "split_answers":
      return splitAnswers(
        week as KindTallies["split_answers"],
        past as KindTallies["split_answers"],
        thresholds.splitAnswers,
      );
    case "invite_targeting":
      return inviteTargeting(week as KindTallies["invite_targeting"], thresholds.inviteTargeting);
    case "review_guidance":
      return reviewGuidance(week as KindTallies["review_guidance"], thresholds.reviewGuidance);
    case "threshold_delay":
      return thresholdDelay(
        week as KindTallies["threshold_delay"],
        past as KindTallies["threshold_delay"],
        thresholds.thresholdDelay,
      );
    case "transfer_before_limit":
      return transferBeforeLimit(
        week as KindTallies["transfer_before_limit"],
        thresholds.transferBeforeLimit,
      );
  }
  return undefined;
}
