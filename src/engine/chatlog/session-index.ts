/**
 * Finding a line's session. Open sessions (tens of thousands at most) sit in a small table keyed
 * by their id bytes (open-sessions.ts), which stays in the processor's cache. A finished session leaves only a
 * 64-bit fingerprint of its id behind (16 bytes with what it points to), enough to notice a line
 * that comes back too late and to find a rated session; ids of a million finished sessions would
 * otherwise fill the memory and the cache.
 */

/**
 * The table hash, and half of the fingerprint: FNV-1a over words of four bytes (a quarter of the
 * multiplications of byte-wise FNV, which matters at one call per line), then over the rest.
 */
export function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = Math.imul(h ^ (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)), 0x01000193);
    h ^= h >>> 16;
  }
  for (; i < end; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h;
}

/** A second, independent hash (multiply–xorshift): the other half of the fingerprint. */
export function hashBytes2(b: Uint8Array, start: number, end: number): number {
  let h = 0x9747b28c ^ (end - start);
  for (let i = start; i < end; i++) {
    h = Math.imul(h ^ b[i]!, 0x5bd1e995);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export interface DoneDump {
  table: Int32Array;
  /** 2: fingerprints only; 3: each with the session's consultation row. */
  width: number;
  /** Entries in use (so that a receiver need not count them). */
  size: number;
}

/**
 * Finished sessions by fingerprint: enough to notice a line that comes back too late, and (with
 * rows) to find the consultation a rating names. 8 or 12 bytes an entry, at most half full.
 */
export class DoneSessions {
  private table: Int32Array;
  private mask: number;
  private readonly width: number;
  size = 0;

  constructor(rows: boolean, dump?: DoneDump) {
    this.width = dump?.width ?? (rows ? 3 : 2);
    this.table = dump?.table ?? new Int32Array(this.width << 12);
    this.mask = this.table.length / this.width - 1;
    this.size = dump?.size ?? 0;
  }

  add(h1: number, h2: number, row: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.rehash();
    // 0/0 marks an empty entry: nudge the (astronomically rare) real 0/0 fingerprint.
    if (h1 === 0 && h2 === 0) h2 = 1;
    const w = this.width;
    let at = (h1 & this.mask) * w;
    while (this.table[at] !== 0 || this.table[at + 1] !== 0) at = at + w === this.table.length ? 0 : at + w;
    this.table[at] = h1;
    this.table[at + 1] = h2;
    if (w === 3) this.table[at + 2] = row + 1;
    this.size++;
  }

  /** The entry of a fingerprint, or -1. */
  find(h1: number, h2: number): number {
    if (h1 === 0 && h2 === 0) h2 = 1;
    const w = this.width;
    let at = (h1 & this.mask) * w;
    for (;;) {
      const a = this.table[at]!;
      const b = this.table[at + 1]!;
      if (a === 0 && b === 0) return -1;
      if (a === h1 && b === h2) return at;
      at = at + w === this.table.length ? 0 : at + w;
    }
  }

  /** The consultation row of an entry (-1: none, or rows not kept). */
  rowAt(entry: number): number {
    return this.width === 3 ? this.table[entry + 2]! - 1 : -1;
  }

  /** Whether a session of this id finished here. */
  has(bytes: Uint8Array): boolean {
    return this.find(hashBytes(bytes, 0, bytes.length), hashBytes2(bytes, 0, bytes.length)) >= 0;
  }

  /** The consultation row of a session id, or -1 (unknown, or no consultation). */
  rowOf(bytes: Uint8Array): number {
    const entry = this.find(hashBytes(bytes, 0, bytes.length), hashBytes2(bytes, 0, bytes.length));
    return entry < 0 ? -1 : this.rowAt(entry);
  }

  dump(): DoneDump {
    return { table: this.table, width: this.width, size: this.size };
  }

  /** Doubles the table; entries move as they are (one probe loop, no checks per entry). */
  private rehash(): void {
    const old = this.table;
    const w = this.width;
    const table = new Int32Array(old.length * 2);
    const mask = table.length / w - 1;
    for (let from = 0; from < old.length; from += w) {
      const h1 = old[from]!;
      const h2 = old[from + 1]!;
      if (h1 === 0 && h2 === 0) continue;
      let at = (h1 & mask) * w;
      while (table[at] !== 0 || table[at + 1] !== 0) at = at + w === table.length ? 0 : at + w;
      table[at] = h1;
      table[at + 1] = h2;
      if (w === 3) table[at + 2] = old[from + 2]!;
    }
    this.table = table;
    this.mask = mask;
  }
}
