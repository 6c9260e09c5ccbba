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

/** Finished sessions by fingerprint: what the session became (a consultation row, or -1) and its last line. */
export class DoneSessions {
  /** Entries of 4: fingerprint (two words, 0/0 = empty), row + 1, last line. */
  private table: Int32Array;
  private mask: number;
  size = 0;

  constructor(table?: Int32Array) {
    this.table = table ?? new Int32Array(4 << 12);
    this.mask = this.table.length / 4 - 1;
    if (table)
      for (let at = 0; at < table.length; at += 4) if (table[at] !== 0 || table[at + 1] !== 0) this.size++;
  }

  add(h1: number, h2: number, row: number, lastLine: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.rehash();
    // 0/0 marks an empty entry: nudge the (astronomically rare) real 0/0 fingerprint.
    if (h1 === 0 && h2 === 0) h2 = 1;
    let at = (h1 & this.mask) << 2;
    while (this.table[at] !== 0 || this.table[at + 1] !== 0) at = (at + 4) & (this.table.length - 1);
    this.table[at] = h1;
    this.table[at + 1] = h2;
    this.table[at + 2] = row + 1;
    this.table[at + 3] = lastLine;
    this.size++;
  }

  /** The entry of a fingerprint, or -1. */
  find(h1: number, h2: number): number {
    if (h1 === 0 && h2 === 0) h2 = 1;
    let at = (h1 & this.mask) << 2;
    for (;;) {
      const a = this.table[at]!;
      const b = this.table[at + 1]!;
      if (a === 0 && b === 0) return -1;
      if (a === h1 && b === h2) return at;
      at = (at + 4) & (this.table.length - 1);
    }
  }

  rowAt(entry: number): number {
    return this.table[entry + 2]! - 1;
  }

  lastLineAt(entry: number): number {
    return this.table[entry + 3]!;
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

  dump(): Int32Array {
    return this.table;
  }

  private rehash(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.mask = this.table.length / 4 - 1;
    this.size = 0;
    for (let at = 0; at < old.length; at += 4) {
      if (old[at] !== 0 || old[at + 1] !== 0)
        this.add(old[at]!, old[at + 1]!, old[at + 2]! - 1, old[at + 3]!);
    }
  }
}
