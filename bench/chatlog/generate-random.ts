/**
 * The chat-log generator's random numbers: mulberry32, seeded, so the same options give the same
 * bytes on every run and platform (Math.random can't be seeded). Distributions use only
 * arithmetic and Math.log, which V8 computes identically everywhere.
 */
export class Random {
  private state: number;

  /** `stream` picks an independent sequence for the same seed (e.g. one that only reorders lines). */
  constructor(seed: number, stream = 0) {
    this.state = mixSeed(seed, stream);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }
}

/** splitmix32-style scrambling, so nearby seeds (1, 2, 3 …) start far apart. */
function mixSeed(seed: number, stream: number): number {
  let h = (Math.floor(Math.abs(seed)) % 4294967296) ^ Math.imul(stream + 1, 0x9e3779b9);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** Picks among values with fixed relative weights. */
export class WeightedChoice<T> {
  private readonly values: T[];
  private readonly cumulative: number[];

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.values = entries.map(([value]) => value);
    let total = 0;
    this.cumulative = entries.map(([, weight]) => (total += weight));
    this.cumulative = this.cumulative.map((sum) => sum / total);
  }

  pick(random: Random): T {
    const u = random.next();
    for (let i = 0; i < this.cumulative.length - 1; i++) if (u < this.cumulative[i]!) return this.values[i]!;
    return this.values[this.values.length - 1]!;
  }
}
