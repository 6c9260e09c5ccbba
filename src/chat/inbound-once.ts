/**
 * A signed inbound request is taken only while its signature's time is fresh; a repeat of one
 * already acted on is recognised by its delivery id (ChatMemory.firstDelivery, adapter.ts).
 */

/** Slack's rule, used for every platform that signs a timestamp: at most 5 minutes either way. */
export const REPLAY_WINDOW_MS = 5 * 60_000;

/** Whether a signed request time (ms since the epoch) is close enough to now to be fresh. */
export function fresh(sentAtMs: number, nowMs: number, windowMs = REPLAY_WINDOW_MS): boolean {
  return Number.isFinite(sentAtMs) && Math.abs(nowMs - sentAtMs) <= windowMs;
}
