import { randomInt } from "node:crypto";

/**
 * The kill moments of a crash run come from a seed, printed with the run: KPI_CRASH_SEED=<seed>
 * draws the same moments again (the process is killed at the same offsets into the same steps;
 * what it was doing at that offset still depends on the machine's speed).
 */

export function crashSeed(env = process.env): number {
  const given = env.KPI_CRASH_SEED;
  if (given === undefined || given === "") return randomInt(2 ** 31);
  const seed = Number(given);
  if (!Number.isSafeInteger(seed)) throw new Error(`KPI_CRASH_SEED: "${given}" is not an integer`);
  return seed;
}

/** mulberry32: uniform numbers in [0, 1), the same for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
