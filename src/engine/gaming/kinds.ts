/**
 * The kinds of gaming the detectors look for (seed 004: split answers to raise 问答比, invitations
 * only where they pay; seed 000: 强制好评; seed 001: 故意拖延 and figures that hold only on paper;
 * seed 002: 数据造假). One alert per agent, ISO week and kind at most.
 */
export const GAMING_KINDS = [
  "split_answers",
  "invite_targeting",
  "invite_timing",
  "review_guidance",
  "threshold_delay",
  "transfer_before_limit",
  "figure_jump",
] as const;

export type GamingKind = (typeof GAMING_KINDS)[number];

/** Kinds read from the conversations themselves (the rest from daily figures). */
export const CONVERSATION_KINDS = [
  "split_answers",
  "invite_targeting",
  "review_guidance",
  "threshold_delay",
  "transfer_before_limit",
] as const satisfies readonly GamingKind[];

export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

export function isGamingKind(value: string): value is GamingKind {
  return (GAMING_KINDS as readonly string[]).includes(value);
}
