/**
 * The first line of each shop, day and agent of a file, to name a second row for the same as
 * `has another row for 2026-11-22 on line 3`. A month of a big shop is 1.5 million rows: as maps
 * within maps they took 80 MB of V8's heap (and the collector's time); here a row is 12 bytes of
 * an open-addressing table in typed arrays, off the heap.
 */

/** Ids of shop-days and of agents each fit in 26 bits, so that a pair fits a double exactly. */
const ID_BITS = 2 ** 26;

export class FirstLines {
  private readonly slices = new Map<string, Map<string, number>>();
  private readonly agents = new Map<string, number>();
  private sliceCount = 0;
  /** Shop-day id × 2^26 + agent id + 1; 0 is an empty slot. */
  private keys = new Float64Array(1 << 12);
  private lines = new Int32Array(1 << 12);
  private count = 0;

  /** The line of an earlier row for the same shop, day and agent; when none, `line` is the first. */
  earlier(shop: string, day: string, agent: string, line: number): number | undefined {
    const key = this.sliceOf(shop, day) * ID_BITS + this.agentOf(agent) + 1;
    const slot = this.slotOf(key);
    const found = this.keys[slot];
    if (found === key) return this.lines[slot];
    this.keys[slot] = key;
    this.lines[slot] = line;
    if (++this.count * 4 > this.keys.length * 3) this.grow();
    return undefined;
  }

  private sliceOf(shop: string, day: string): number {
    let days = this.slices.get(shop);
    if (!days) {
      days = new Map();
      this.slices.set(shop, days);
    }
    let id = days.get(day);
    if (id === undefined) {
      id = checked(this.sliceCount++);
      days.set(day, id);
    }
    return id;
  }

  private agentOf(agent: string): number {
    let id = this.agents.get(agent);
    if (id === undefined) {
      id = checked(this.agents.size);
      this.agents.set(agent, id);
    }
    return id;
  }

  /** The key's slot, or the empty one where it goes (linear probing). */
  private slotOf(key: number): number {
    const mask = this.keys.length - 1;
    const low = (key - 1) % ID_BITS;
    const high = Math.floor((key - 1) / ID_BITS);
    let h = Math.imul(low, 0x9e3779b1) ^ Math.imul(high + 1, 0x85ebca77);
    h ^= h >>> 15;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const found = this.keys[slot];
      if (found === 0 || found === key) return slot;
    }
  }

  private grow(): void {
    const { keys, lines } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.lines = new Int32Array(lines.length * 2);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (key === 0) continue;
      const slot = this.slotOf(key);
      this.keys[slot] = key;
      this.lines[slot] = lines[i]!;
    }
  }
}

function checked(id: number): number {
  if (id >= ID_BITS) throw new Error("more than 67 million agents or shop-days in one file");
  return id;
}
