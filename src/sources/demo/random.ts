/**
 * A small seeded PRNG (mulberry32) and the few distributions the demo needs. Every stream is
 * keyed by (seed, agent, day …), so a day's figures do not depend on how many days came before.
 */

export type Random = () => number;

/** Mixes integers into one 32-bit seed (a murmur-style finaliser per part). */
export function seedOf(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function streamOf(...parts: number[]): Random {
  return mulberry32(seedOf(...parts));
}

export function uniform(rng: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

export function integer(rng: Random, lo: number, hi: number): number {
  return Math.floor(uniform(rng, lo, hi + 1));
}

export function pick<T>(rng: Random, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

/** Standard normal by Box–Muller. */
export function normal(rng: Random, mean = 0, sd = 1): number {
  const u = 1 - rng();
  const v = rng();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Successes in n trials of probability p: exact for small n, normal approximation above. */
export function binomial(rng: Random, n: number, p: number): number {
  const q = clamp(p, 0, 1);
  if (n <= 0 || q === 0) return 0;
  if (q === 1) return n;
  if (n <= 400) {
    let k = 0;
    for (let i = 0; i < n; i++) if (rng() < q) k++;
    return k;
  }
  return clamp(Math.round(normal(rng, n * q, Math.sqrt(n * q * (1 - q)))), 0, n);
}

/** Events with mean λ (Knuth's method; λ stays small here). */
export function poisson(rng: Random, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(normal(rng, lambda, Math.sqrt(lambda))));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng();
  while (p > limit) {
    k++;
    p *= rng();
  }
  return k;
}
