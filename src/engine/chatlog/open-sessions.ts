import { copyBytes, decodeUtf8, grow } from "./bytes.ts";

/**
 * Open sessions: id bytes → slot, with the id bytes (and the customer's, once known) kept while
 * the session is open. The table holds 8 bytes an entry (hash, slot) so that tens of thousands of
 * open sessions fit in the processor's cache; names sit in an arena that is compacted when full.
 */

/** Slots made room for at the start (records are taken in order, so untouched ones cost nothing). */
export const SLOTS_AT_START = 1 << 16;
const EMPTY = 0;
const REMOVED = -1;
const SLOT_INTS = 8;
const ENTRY = 0;
const NAME_OFFSET = 1;
const NAME_LENGTH = 2;
const CUSTOMER_OFFSET = 3;
const CUSTOMER_LENGTH = 4;

export class OpenSessions {
  /** Entries of 2: hash, slot + 1 (0 empty, -1 removed). */
  private table = new Int32Array(2 << 12);
  private mask = (1 << 12) - 1;
  /** Entries in use, removed ones included (they lengthen probes until the next rebuild). */
  private used = 0;
  private live = 0;
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  /** Bytes of live names and customer ids in the arena (the rest is dead, left to compaction). */
  private arenaLive = 0;
  /**
   * Per slot, one record of SLOT_INTS: its table entry, its name's and its customer id's bytes
   * (customer length -1 while unknown). Every line reads a slot's name and customer: one cache
   * line, not one per array.
   */
  private slots = new Int32Array(SLOT_INTS * SLOTS_AT_START);

  find(b: Uint8Array, start: number, end: number, hash: number): number {
    const table = this.table;
    const wrap = table.length - 1;
    const length = end - start;
    let at = (hash & this.mask) << 1;
    for (;;) {
      const slot = table[at + 1]! - 1;
      if (slot === -1) return -1; // EMPTY
      if (slot >= 0 && table[at] === hash) {
        const r = slot * SLOT_INTS;
        const slots = this.slots;
        if (slots[r + NAME_LENGTH] === length && this.equals(slots[r + NAME_OFFSET]!, b, start, length))
          return slot;
      }
      at = (at + 2) & wrap;
    }
  }

  add(b: Uint8Array, start: number, end: number, hash: number, slot: number): void {
    if ((this.used + 1) * 2 > this.mask + 1) this.rebuild();
    if ((slot + 1) * SLOT_INTS > this.slots.length) this.slots = grow(this.slots, (slot + 1) * SLOT_INTS);
    const offset = this.keep(b, start, end);
    const r = slot * SLOT_INTS;
    this.slots[r + NAME_OFFSET] = offset;
    this.slots[r + NAME_LENGTH] = end - start;
    this.slots[r + CUSTOMER_LENGTH] = -1;
    const wrap = this.table.length - 1;
    let at = (hash & this.mask) << 1;
    while (this.table[at + 1]! > 0) at = (at + 2) & wrap;
    if (this.table[at + 1] === EMPTY) this.used++;
    this.table[at] = hash;
    this.table[at + 1] = slot + 1;
    this.slots[r + ENTRY] = at;
    this.live++;
  }

  remove(slot: number): void {
    const r = slot * SLOT_INTS;
    this.table[this.slots[r + ENTRY]! + 1] = REMOVED;
    this.arenaLive -= this.slots[r + NAME_LENGTH]! + Math.max(0, this.slots[r + CUSTOMER_LENGTH]!);
    this.live--;
  }

  /** Keeps the customer id of an open slot. */
  setCustomer(slot: number, b: Uint8Array, start: number, end: number): void {
    const offset = this.keep(b, start, end);
    this.slots[slot * SLOT_INTS + CUSTOMER_OFFSET] = offset;
    this.slots[slot * SLOT_INTS + CUSTOMER_LENGTH] = end - start;
  }

  hasCustomer(slot: number): boolean {
    return this.slots[slot * SLOT_INTS + CUSTOMER_LENGTH]! >= 0;
  }

  /** The id bytes of an open slot: [arena, offset, length], written into `into` (it is one a session). */
  nameOf(slot: number, into: [Uint8Array, number, number]): [Uint8Array, number, number] {
    into[0] = this.arena;
    into[1] = this.slots[slot * SLOT_INTS + NAME_OFFSET]!;
    into[2] = this.slots[slot * SLOT_INTS + NAME_LENGTH]!;
    return into;
  }

  name(slot: number): string {
    const offset = this.slots[slot * SLOT_INTS + NAME_OFFSET]!;
    return decodeUtf8(this.arena, offset, offset + this.slots[slot * SLOT_INTS + NAME_LENGTH]!);
  }

  /** The customer id bytes of an open slot: [arena, offset, length], length -1 if unknown. */
  customerOf(slot: number): [Uint8Array, number, number] {
    const r = slot * SLOT_INTS;
    return [this.arena, this.slots[r + CUSTOMER_OFFSET]!, this.slots[r + CUSTOMER_LENGTH]!];
  }

  customer(slot: number): string | null {
    const r = slot * SLOT_INTS;
    const length = this.slots[r + CUSTOMER_LENGTH]!;
    const offset = this.slots[r + CUSTOMER_OFFSET]!;
    return length < 0 ? null : decodeUtf8(this.arena, offset, offset + length);
  }

  private keep(b: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (this.arenaUsed + length > this.arena.length) this.compact(length);
    copyBytes(b, start, end, this.arena, this.arenaUsed);
    this.arenaUsed += length;
    this.arenaLive += length;
    return this.arenaUsed - length;
  }

  private equals(offset: number, b: Uint8Array, start: number, length: number): boolean {
    const arena = this.arena;
    for (let i = 0; i < length; i++) if (arena[offset + i] !== b[start + i]) return false;
    return true;
  }

  /**
   * Copies the live names to a fresh arena with room for twice as many again, so that
   * compaction stays rare.
   */
  private compact(need: number): void {
    const arena = new Uint8Array(Math.max(1 << 16, (this.arenaLive + need) * 3));
    let used = 0;
    const slots = this.slots;
    for (let at = 0; at < this.table.length; at += 2) {
      const slot = this.table[at + 1]! - 1;
      if (slot < 0) continue;
      const r = slot * SLOT_INTS;
      const nameLength = slots[r + NAME_LENGTH]!;
      copyBytes(this.arena, slots[r + NAME_OFFSET]!, slots[r + NAME_OFFSET]! + nameLength, arena, used);
      slots[r + NAME_OFFSET] = used;
      used += nameLength;
      const customerLength = slots[r + CUSTOMER_LENGTH]!;
      if (customerLength < 0) continue;
      const from = slots[r + CUSTOMER_OFFSET]!;
      copyBytes(this.arena, from, from + customerLength, arena, used);
      slots[r + CUSTOMER_OFFSET] = used;
      used += customerLength;
    }
    this.arena = arena;
    this.arenaUsed = used;
  }

  /** Rebuilds the table without removed entries, with room for half as many again. */
  private rebuild(): void {
    const old = this.table;
    const size = Math.max(1 << 12, 1 << Math.ceil(Math.log2(Math.max(4, this.live * 3 + 2))));
    const table = new Int32Array(size * 2);
    const wrap = table.length - 1;
    for (let at = 0; at < old.length; at += 2) {
      const slot = old[at + 1]!;
      if (slot <= 0) continue;
      let to = (old[at]! & (size - 1)) << 1;
      while (table[to + 1] !== EMPTY) to = (to + 2) & wrap;
      table[to] = old[at]!;
      table[to + 1] = slot;
      this.slots[(slot - 1) * SLOT_INTS + ENTRY] = to;
    }
    this.table = table;
    this.mask = size - 1;
    this.used = this.live;
  }
}
