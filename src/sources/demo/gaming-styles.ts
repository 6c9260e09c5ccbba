/**
 * Gamer styles for the demo and bench/gaming: each planted kind of gaming at three strengths,
 * from subtle (a few cases a week, often below what the detectors may call) to blatant. A style
 * is a `ConversationStyle`: (shop, agent, day, index, random) → that agent-day's conversations.
 */
import { type ConversationStyle, HONEST, type StyleContext, type Tilt, talkDay } from "./agent-talk.ts";

export type { ConversationStyle, StyleContext, Tilt } from "./agent-talk.ts";

export const PLANTED_KINDS = [
  "split_answers",
  "invite_targeting",
  "invite_timing",
  "review_guidance",
  "first_reply_hold",
  "kept_open",
  "transfer_before_limit",
] as const;
export type PlantedKind = (typeof PLANTED_KINDS)[number];

export const INTENSITIES = ["subtle", "moderate", "blatant"] as const;
export type Intensity = (typeof INTENSITIES)[number];

/** The alert kind each planted kind should raise. */
export const ALERT_KIND_OF: Record<PlantedKind, string> = {
  split_answers: "split_answers",
  invite_targeting: "invite_targeting",
  invite_timing: "invite_timing",
  review_guidance: "review_guidance",
  first_reply_hold: "threshold_delay",
  kept_open: "threshold_delay",
  transfer_before_limit: "transfer_before_limit",
};

const at = <T>(values: [T, T, T], intensity: Intensity): T => values[INTENSITIES.indexOf(intensity)]!;

/** How far each kind departs from the honest agent, per strength. */
export function tiltOf(kind: PlantedKind, intensity: Intensity): Tilt {
  switch (kind) {
    case "split_answers":
      return { ...HONEST, splitRate: at([0.12, 0.3, 0.6], intensity) };
    case "invite_targeting":
      return {
        ...HONEST,
        happyInviteRate: at([0.75, 0.85, 0.95], intensity),
        otherInviteFactor: at([0.3, 0.15, 0.03], intensity),
      };
    case "invite_timing":
      return {
        ...HONEST,
        monthEnd: at(
          [
            { restFactor: 0.6, tailFactor: 1.5 },
            { restFactor: 0.35, tailFactor: 1.9 },
            { restFactor: 0.1, tailFactor: 2.4 },
          ],
          intensity,
        ),
      };
    case "review_guidance":
      return { ...HONEST, guidanceRate: at([0.008, 0.03, 0.12], intensity) };
    case "first_reply_hold":
      return { ...HONEST, firstReplyHoldRate: at([0.1, 0.25, 0.5], intensity) };
    case "kept_open":
      return { ...HONEST, keptOpenRate: at([0.08, 0.2, 0.4], intensity) };
    case "transfer_before_limit":
      return { ...HONEST, nearLimitTransferRate: at([0.02, 0.05, 0.1], intensity) };
  }
}

/** An honest agent's conversations. */
export const honestStyle: ConversationStyle = (ctx: StyleContext) => talkDay(ctx, HONEST);

/** A gamer's conversations: honest in every other way. */
export function gamingStyle(kind: PlantedKind, intensity: Intensity = "moderate"): ConversationStyle {
  const tilt = tiltOf(kind, intensity);
  return (ctx: StyleContext) => talkDay(ctx, tilt);
}

/**
 * A gamer who starts on `fromDay` (YYYY-MM-DD) and is honest before: the rules compare a week
 * with the agent's own past, so a demo gamer needs honest weeks before their gaming ones. The
 * month-end inviter is the exception: their whole month is the game (start on the 1st).
 */
export function gamingStyleFrom(kind: PlantedKind, intensity: Intensity, fromDay: string): ConversationStyle {
  const gaming = gamingStyle(kind, intensity);
  return (ctx: StyleContext) => (ctx.day >= fromDay ? gaming : honestStyle)(ctx);
}
