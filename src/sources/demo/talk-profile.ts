/**
 * An agent's habits in conversation, fixed per agent name so every day of theirs looks like them:
 * how fast they answer, how often they send a genuine two-part answer or an unpunctuated "亲"
 * before one, how often they invite a rating and whether they hesitate with unhappy customers,
 * how often they transfer or chase a silent customer. Honest agents differ in all of these.
 */
import { type Random, streamOf, uniform } from "./random.ts";

export interface TalkProfile {
  receptionsPerDay: number;
  /** Median first reply and later replies, seconds; spread of the lognormal. */
  firstReplyMedianS: number;
  replyMedianS: number;
  replySigma: number;
  /** Per answer: a genuine second message (both punctuated, typed: 5–20 s later). */
  multipartRate: number;
  /** Per answer: an unpunctuated opener ("亲", "稍等") a second or two before it. */
  openerRate: number;
  /** Per conversation: the rating invitation, and its factor with customers who end unhappy. */
  inviteRate: number;
  unhappyInviteFactor: number;
  /** Invitations in the month's last five days, against the rest (a little push is honest). */
  monthEndInviteFactor: number;
  transferRate: number;
  /** Per conversation whose customer falls silent: chasing them twice (催付). */
  pingRate: number;
  positiveEndings: number;
  negativeEndings: number;
}

/** FNV-1a: the agent's name as a seed. */
export function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function talkProfileOf(agent: string, seed = 1): TalkProfile {
  const rng: Random = streamOf(seed, hashOf(agent), 0x7a1c);
  return {
    receptionsPerDay: uniform(rng, 25, 55),
    firstReplyMedianS: uniform(rng, 5, 16),
    replyMedianS: uniform(rng, 10, 25),
    replySigma: uniform(rng, 0.45, 0.75),
    multipartRate: uniform(rng, 0.08, 0.25),
    openerRate: uniform(rng, 0.01, 0.05),
    inviteRate: uniform(rng, 0.3, 0.8),
    unhappyInviteFactor: uniform(rng, 0.45, 1),
    monthEndInviteFactor: uniform(rng, 1, 1.25),
    transferRate: uniform(rng, 0.02, 0.06),
    pingRate: uniform(rng, 0.01, 0.04),
    positiveEndings: uniform(rng, 0.5, 0.7),
    negativeEndings: uniform(rng, 0.06, 0.16),
  };
}
