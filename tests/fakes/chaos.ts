/**
 * Faults a fake injects into a share of calls: the same calls every run (a seeded generator), so
 * a failing test fails again when run again.
 */

/**
 * No answer at all, as when a call times out: it hung before the platform acted on it
 * ("unprocessed"), or the platform acted on it and the answer was lost on its way back
 * ("processed"). The fake never answers; the client's timeout (or the fake's close) ends it.
 */
export interface Hang {
  hang: "unprocessed" | "processed";
}

/** About `share` of the calls (chosen by xorshift32 from `seed`) get the next of `faults` in turn. */
export function seededPicks<T>(share: number, faults: readonly T[], seed = 1): () => T | undefined {
  let state = seed >>> 0 || 1;
  let turn = 0;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    if ((state >>> 0) / 2 ** 32 >= share) return undefined;
    return faults[turn++ % faults.length];
  };
}
