/**
 * Every number the gaming rules use, as data: docs/gaming.md explains each and why. A rule fires
 * only with enough cases in the week (a single coincidence never alerts) and only when the week
 * is very unlikely for an honest agent with the same past (false alerts on honest agents are held
 * to ≤ 1 per 100 agent-weeks by bench/gaming).
 */
export interface GamingThresholds {
  splitAnswers: {
    /** Two agent messages this close (no customer line between) may be one sentence cut in two. */
    maxGapMs: number;
    /** …when the first ends without sentence-final punctuation and one of them is this short. */
    maxFragmentChars: number;
    minConversations: number;
    minSplitConversations: number;
    minShare: number;
    /** The base rate of conversations with a split when the agent has too little past. */
    baseWithoutHistory: number;
    /** The base rate never goes below this, however tidy the agent's past. */
    baseFloor: number;
    minHistoryConversations: number;
    maxChance: number;
  };
  inviteTargeting: {
    minInvites: number;
    minPositive: number;
    minOther: number;
    /** Invitations to other customers at most this share of the rate to happy ones… */
    maxRateRatio: number;
    /** …and the difference this many standard errors. */
    minZ: number;
  };
  inviteTiming: {
    /** The period's last days. */
    tailDays: number;
    minTailReceptions: number;
    minRestReceptions: number;
    minTailInvites: number;
    minRateRatio: number;
    minZ: number;
  };
  reviewGuidance: {
    minConversations: number;
  };
  thresholdDelay: {
    /** First replies in [limit − window, limit) are "just under" the limit. */
    firstReplyLimitMs: number;
    windowMs: number;
    minFirstReplies: number;
    minNearLimit: number;
    minShare: number;
    /** Just under must outnumber just over (the same width past the limit) this many times. */
    minCliffRatio: number;
    baseWithoutHistory: number;
    baseFloor: number;
    minHistoryFirstReplies: number;
    maxChance: number;
    /** A session kept open: this many agent pings after the customer fell silent… */
    keptOpenMinPings: number;
    /** …each this long after the line before it… */
    keptOpenPingGapMs: number;
    /** …and the session closed (or last spoken) this long after the customer's last line. */
    keptOpenMinTailMs: number;
    minClosed: number;
    minKeptOpen: number;
    keptOpenMinShare: number;
    keptOpenBaseWithoutHistory: number;
    keptOpenBaseFloor: number;
  };
  transferBeforeLimit: {
    /** Response-time limits a transfer can dodge, with the window before each. */
    limits: { limitMs: number; windowMs: number }[];
    minNearLimit: number;
    minShare: number;
    /** The chance an honest transfer lands in one of the windows. */
    base: number;
    maxChance: number;
  };
  figureJump: {
    /** Days of the agent's past the median and MAD come from, and the fewest usable ones. */
    historyDays: number;
    minHistoryDays: number;
    minDenominator: number;
    /** The week's pooled figure at least this many robust SDs better than the past… */
    minWeekZ: number;
    /** …and at least this share of its days (and 2) beyond dayZ. */
    dayZ: number;
    minDayShare: number;
    /**
     * The figures watched, the direction gaming pushes them, the smallest MAD believed, and
     * whether the figure is a share of cases (its day-to-day chance spread then bounds the scale).
     */
    metrics: { metric: string; direction: "up" | "down"; madFloor: number; proportion: boolean }[];
  };
  /** Examples kept as evidence per kind and agent-day. */
  examplesPerDay: number;
}

export const DEFAULT_GAMING_THRESHOLDS: GamingThresholds = {
  splitAnswers: {
    maxGapMs: 6_000,
    maxFragmentChars: 12,
    minConversations: 30,
    minSplitConversations: 8,
    minShare: 0.12,
    baseWithoutHistory: 0.1,
    baseFloor: 0.04,
    minHistoryConversations: 60,
    maxChance: 1e-6,
  },
  inviteTargeting: {
    minInvites: 12,
    minPositive: 10,
    minOther: 10,
    maxRateRatio: 0.3,
    minZ: 4,
  },
  inviteTiming: {
    tailDays: 5,
    minTailReceptions: 30,
    minRestReceptions: 100,
    minTailInvites: 10,
    minRateRatio: 2,
    minZ: 6,
  },
  reviewGuidance: { minConversations: 2 },
  thresholdDelay: {
    firstReplyLimitMs: 30_000,
    windowMs: 5_000,
    minFirstReplies: 30,
    minNearLimit: 8,
    minShare: 0.15,
    minCliffRatio: 2,
    baseWithoutHistory: 0.12,
    baseFloor: 0.05,
    minHistoryFirstReplies: 60,
    maxChance: 1e-6,
    keptOpenMinPings: 2,
    keptOpenPingGapMs: 60_000,
    keptOpenMinTailMs: 5 * 60_000,
    minClosed: 30,
    minKeptOpen: 8,
    keptOpenMinShare: 0.12,
    keptOpenBaseWithoutHistory: 0.08,
    keptOpenBaseFloor: 0.03,
  },
  transferBeforeLimit: {
    limits: [
      { limitMs: 30_000, windowMs: 5_000 },
      { limitMs: 180_000, windowMs: 15_000 },
    ],
    minNearLimit: 4,
    minShare: 0.35,
    base: 0.12,
    maxChance: 1e-4,
  },
  figureJump: {
    historyDays: 28,
    minHistoryDays: 10,
    minDenominator: 10,
    minWeekZ: 4,
    dayZ: 3,
    minDayShare: 0.5,
    metrics: [
      { metric: "qa_ratio", direction: "up", madFloor: 0.03, proportion: false },
      { metric: "invite_rate", direction: "up", madFloor: 0.02, proportion: true },
      { metric: "csat_rate", direction: "up", madFloor: 0.02, proportion: true },
    ],
  },
  examplesPerDay: 3,
};
