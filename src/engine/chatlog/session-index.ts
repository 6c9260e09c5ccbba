import { decodeUtf8, grow } from "./bytes.ts";

/**
 * Finding a line's session. Open sessions (tens of thousands at most) sit in a small table keyed
 * by their id bytes, which stays in the processor's cache. A finished session leaves only a
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

const EMPTY = 0;
const TOMBSTONE = -1;

/**
 * Open sessions: id bytes → slot, with the id bytes (and the customer's, once known) kept while
 * the session is open.
 */
export class OpenSessions {
  /** Entries of 4: hash, slot + 1 (0 empty, -1 removed), name offset, name length. */
  private table = new Int32Array(4 << 12);
  /** Per slot: the customer id's bytes in the arena (length -1 while unknown). */
  private extraOffset = new Int32Array(1 << 10);
  private extraLength = new Int32Array(1 << 10);
  private mask = (1 << 12) - 1;
  private used = 0;
  private live = 0;
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  /** Where each slot's entry is in the table. */
  private entryOf = new Int32Array(1 << 10);

  find(b: Uint8Array, start: number, end: number, hash: number): number {
    const table = this.table;
    const length = end - start;
    let at = (hash & this.mask) << 2;
    for (;;) {
      const slot = table[at + 1]!;
      if (slot === EMPTY) return -1;
      if (
        slot > 0 &&
        table[at] === hash &&
        table[at + 3] === length &&
        this.equals(table[at + 2]!, b, start, length)
      )
        return slot - 1;
      at = (at + 4) & (this.table.length - 1);
    }
  }

  add(b: Uint8Array, start: number, end: number, hash: number, slot: number): void {
    if ((this.used + 1) * 2 > this.mask + 1) this.rebuild();
    const length = end - start;
    if (this.arenaUsed + length > this.arena.length) this.compactOrGrow(length);
    this.arena.set(b.subarray(start, end), this.arenaUsed);
    let at = (hash & this.mask) << 2;
    while (this.table[at + 1]! > 0) at = (at + 4) & (this.table.length - 1);
    if (this.table[at + 1] === EMPTY) this.used++;
    this.table[at] = hash;
    this.table[at + 1] = slot + 1;
    this.table[at + 2] = this.arenaUsed;
    this.table[at + 3] = length;
    this.arenaUsed += length;
    if (slot >= this.entryOf.length) {
      this.entryOf = grow(this.entryOf, slot + 1);
      this.extraOffset = grow(this.extraOffset, slot + 1);
      this.extraLength = grow(this.extraLength, slot + 1);
    }
    this.entryOf[slot] = at;
    this.extraLength[slot] = -1;
    this.live++;
  }

  /** Keeps the customer id of an open slot. */
  setCustomer(slot: number, b: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (this.arenaUsed + length > this.arena.length) this.compactOrGrow(length);
    this.arena.set(b.subarray(start, end), this.arenaUsed);
    this.extraOffset[slot] = this.arenaUsed;
    this.extraLength[slot] = length;
    this.arenaUsed += length;
  }

  hasCustomer(slot: number): boolean {
    return this.extraLength[slot]! >= 0;
  }

  /** The customer id bytes of an open slot: [arena, offset, length], length -1 if unknown. */
  customerOf(slot: number): [Uint8Array, number, number] {
    return [this.arena, this.extraOffset[slot]!, this.extraLength[slot]!];
  }

  customer(slot: number): string | null {
    const length = this.extraLength[slot]!;
    return length < 0
      ? null
      : decodeUtf8(this.arena, this.extraOffset[slot]!, this.extraOffset[slot]! + length);
  }

  remove(slot: number): void {
    this.table[this.entryOf[slot]! + 1] = TOMBSTONE;
    this.live--;
  }

  /** The id bytes of an open slot: [arena, offset, length]. */
  nameOf(slot: number): [Uint8Array, number, number] {
    const at = this.entryOf[slot]!;
    return [this.arena, this.table[at + 2]!, this.table[at + 3]!];
  }

  name(slot: number): string {
    const [arena, offset, length] = this.nameOf(slot);
    return decodeUtf8(arena, offset, offset + length);
  }

  private equals(offset: number, b: Uint8Array, start: number, length: number): boolean {
    const arena = this.arena;
    for (let i = 0; i < length; i++) if (arena[offset + i] !== b[start + i]) return false;
    return true;
  }

  /** Rebuilds the table (dropping removed entries) and the arena (dropping removed names). */
  private rebuild(): void {
    const old = this.table;
    const size = Math.max(1 << 12, 1 << Math.ceil(Math.log2(Math.max(4, this.live * 4))));
    const table = new Int32Array(size * 4);
    const arena = new Uint8Array(Math.max(1 << 16, this.arenaUsed));
    let arenaUsed = 0;
    const keep = (offset: number, length: number) => {
      arena.set(this.arena.subarray(offset, offset + length), arenaUsed);
      arenaUsed += length;
      return arenaUsed - length;
    };
    for (let at = 0; at < old.length; at += 4) {
      const slot = old[at + 1]!;
      if (slot <= 0) continue;
      let to = (old[at]! & (size - 1)) << 2;
      while (table[to + 1] !== EMPTY) to = (to + 4) & (table.length - 1);
      table[to] = old[at]!;
      table[to + 1] = slot;
      table[to + 2] = keep(old[at + 2]!, old[at + 3]!);
      table[to + 3] = old[at + 3]!;
      this.entryOf[slot - 1] = to;
      if (this.extraLength[slot - 1]! >= 0)
        this.extraOffset[slot - 1] = keep(this.extraOffset[slot - 1]!, this.extraLength[slot - 1]!);
    }
    this.table = table;
    this.mask = size - 1;
    this.used = this.live;
    this.arena = arena;
    this.arenaUsed = arenaUsed;
  }

  private compactOrGrow(length: number): void {
    this.rebuild();
    if (this.arenaUsed + length > this.arena.length) this.arena = grow(this.arena, this.arenaUsed + length);
  }
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
