/**
 * How long a failed send waits before its next attempt: doubling from `baseMs` up to `maxMs`,
 * spread by ±20% so messages that failed together do not come back together; never shorter than
 * what the platform asked for (Retry-After).
 */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 2_000, maxMs: 10 * 60_000 };

export function retryDelayMs(
  attempt: number,
  backoff: Backoff,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const doubled = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  const spread = doubled * (0.8 + 0.4 * random());
  return Math.max(Math.round(spread), retryAfterMs ?? 0);
}
