import { copyBytes, decodeUtf8, grow } from "./bytes.ts";

/**
 * Open sessions: id bytes → slot, with the id bytes (and the customer's, once known) kept while
 * the session is open. The table holds 8 bytes an entry (hash, slot) so that tens of thousands of
 * open sessions fit in the processor's cache; names sit in an arena that is compacted when full.
 */

const EMPTY = 0;
const REMOVED = -1;

export class OpenSessions {
  /** Entries of 2: hash, slot + 1 (0 empty, -1 removed). */
  private table = new Int32Array(2 << 12);
  private mask = (1 << 12) - 1;
  /** Entries in use, removed ones included (they lengthen probes until the next rebuild). */
  private used = 0;
  private live = 0;
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  // per slot
  private entryOf = new Int32Array(1 << 10);
  private nameOffset = new Int32Array(1 << 10);
  private nameLength = new Int32Array(1 << 10);
  /** The customer id's bytes (length -1 while unknown). */
  private customerOffset = new Int32Array(1 << 10);
  private customerLength = new Int32Array(1 << 10);

  find(b: Uint8Array, start: number, end: number, hash: number): number {
    const table = this.table;
    const wrap = table.length - 1;
    const length = end - start;
    let at = (hash & this.mask) << 1;
    for (;;) {
      const slot = table[at + 1]! - 1;
      if (slot === -1) return -1; // EMPTY
      if (
        slot >= 0 &&
        table[at] === hash &&
        this.nameLength[slot] === length &&
        this.equals(this.nameOffset[slot]!, b, start, length)
      ) {
        return slot;
      }
      at = (at + 2) & wrap;
    }
  }

  add(b: Uint8Array, start: number, end: number, hash: number, slot: number): void {
    if ((this.used + 1) * 2 > this.mask + 1) this.rebuild();
    if (slot >= this.entryOf.length) this.growSlots(slot + 1);
    this.nameOffset[slot] = this.keep(b, start, end);
    this.nameLength[slot] = end - start;
    this.customerLength[slot] = -1;
    const wrap = this.table.length - 1;
    let at = (hash & this.mask) << 1;
    while (this.table[at + 1]! > 0) at = (at + 2) & wrap;
    if (this.table[at + 1] === EMPTY) this.used++;
    this.table[at] = hash;
    this.table[at + 1] = slot + 1;
    this.entryOf[slot] = at;
    this.live++;
  }

  remove(slot: number): void {
    this.table[this.entryOf[slot]! + 1] = REMOVED;
    this.live--;
  }

  /** Keeps the customer id of an open slot. */
  setCustomer(slot: number, b: Uint8Array, start: number, end: number): void {
    this.customerOffset[slot] = this.keep(b, start, end);
    this.customerLength[slot] = end - start;
  }

  hasCustomer(slot: number): boolean {
    return this.customerLength[slot]! >= 0;
  }

  /** The id bytes of an open slot: [arena, offset, length], written into `into` (it is one a session). */
  nameOf(slot: number, into: [Uint8Array, number, number]): [Uint8Array, number, number] {
    into[0] = this.arena;
    into[1] = this.nameOffset[slot]!;
    into[2] = this.nameLength[slot]!;
    return into;
  }

  name(slot: number): string {
    return decodeUtf8(this.arena, this.nameOffset[slot]!, this.nameOffset[slot]! + this.nameLength[slot]!);
  }

  /** The customer id bytes of an open slot: [arena, offset, length], length -1 if unknown. */
  customerOf(slot: number): [Uint8Array, number, number] {
    return [this.arena, this.customerOffset[slot]!, this.customerLength[slot]!];
  }

  customer(slot: number): string | null {
    const length = this.customerLength[slot]!;
    return length < 0
      ? null
      : decodeUtf8(this.arena, this.customerOffset[slot]!, this.customerOffset[slot]! + length);
  }

  private keep(b: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (this.arenaUsed + length > this.arena.length) this.compact(length);
    copyBytes(b, start, end, this.arena, this.arenaUsed);
    this.arenaUsed += length;
    return this.arenaUsed - length;
  }

  private equals(offset: number, b: Uint8Array, start: number, length: number): boolean {
    const arena = this.arena;
    for (let i = 0; i < length; i++) if (arena[offset + i] !== b[start + i]) return false;
    return true;
  }

  /** Copies the live names to a fresh arena with room to spare (so compaction stays rare). */
  private compact(need: number): void {
    let live = need;
    for (let at = 0; at < this.table.length; at += 2) {
      const slot = this.table[at + 1]! - 1;
      if (slot >= 0) live += this.nameLength[slot]! + Math.max(0, this.customerLength[slot]!);
    }
    const arena = new Uint8Array(Math.max(1 << 16, live * 2));
    let used = 0;
    const move = (offset: number, length: number) => {
      copyBytes(this.arena, offset, offset + length, arena, used);
      used += length;
      return used - length;
    };
    for (let at = 0; at < this.table.length; at += 2) {
      const slot = this.table[at + 1]! - 1;
      if (slot < 0) continue;
      this.nameOffset[slot] = move(this.nameOffset[slot]!, this.nameLength[slot]!);
      if (this.customerLength[slot]! >= 0)
        this.customerOffset[slot] = move(this.customerOffset[slot]!, this.customerLength[slot]!);
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
      this.entryOf[slot - 1] = to;
    }
    this.table = table;
    this.mask = size - 1;
    this.used = this.live;
  }

  private growSlots(min: number): void {
    this.entryOf = grow(this.entryOf, min);
    this.nameOffset = grow(this.nameOffset, min);
    this.nameLength = grow(this.nameLength, min);
    this.customerOffset = grow(this.customerOffset, min);
    this.customerLength = grow(this.customerLength, min);
  }
}
