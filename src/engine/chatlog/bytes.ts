/**
 * Byte-level helpers for reading chat logs without turning every field into a string: a
 * timestamp parser, an interner that gives each distinct byte string a small integer id, and a
 * phrase matcher. Reading 10 million lines a second leaves no room for a string per field.
 */

const utf8 = new TextDecoder("utf-8");

export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  return utf8.decode(bytes.subarray(start, end));
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(b: Uint8Array, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Epoch milliseconds of an ISO-8601 time with an offset: 2026-11-11T09:00:01+08:00,
 * 2026-11-11 09:00:01.250+08:00, …Z, +0800. NaN when it is not one (no offset is an error: a
 * time without a zone is ambiguous across shops).
 */
export function parseTimestamp(b: Uint8Array, start: number, end: number): number {
  if (end - start < 20) return Number.NaN;
  const year = digits(b, start, 4);
  const month = digits(b, start + 5, 2);
  const day = digits(b, start + 8, 2);
  const hour = digits(b, start + 11, 2);
  const minute = digits(b, start + 14, 2);
  const second = digits(b, start + 17, 2);
  const sep = b[start + 10];
  if (
    b[start + 4] !== 45 || b[start + 7] !== 45 || (sep !== 84 && sep !== 32) || b[start + 13] !== 58 || b[start + 16] !== 58 ||
    year < 0 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month]! || hour > 23 || minute > 59 || second > 60 || hour < 0 || minute < 0 || second < 0
  ) {
    return Number.NaN;
  }
  if (month === 2 && day === 29 && (year % 4 !== 0 || (year % 100 === 0 && year % 400 !== 0))) return Number.NaN;
  let i = start + 19;
  let ms = 0;
  if (b[i] === 46) {
    // Fraction: keep milliseconds, drop finer digits.
    let scale = 100;
    i++;
    const first = i;
    while (i < end && b[i]! >= 48 && b[i]! <= 57) {
      if (scale >= 1) ms += (b[i]! - 48) * scale;
      scale /= 10;
      i++;
    }
    if (i === first) return Number.NaN;
  }
  let offsetMinutes: number;
  if (i === end - 1 && (b[i] === 90 || b[i] === 122)) offsetMinutes = 0;
  else {
    const sign = b[i] === 43 ? 1 : b[i] === 45 ? -1 : 0;
    const rest = end - i - 1;
    if (sign === 0 || (rest !== 5 && rest !== 4 && rest !== 2)) return Number.NaN;
    const oh = digits(b, i + 1, 2);
    const om = rest === 5 ? (b[i + 3] === 58 ? digits(b, i + 4, 2) : -1) : rest === 4 ? digits(b, i + 3, 2) : 0;
    if (oh < 0 || om < 0 || oh > 14 || om > 59) return Number.NaN;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const days = daysFromCivil(year, month, day);
  return ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + Math.min(second, 59) * 1000 + ms;
}

/**
 * Gives each distinct byte string (session id, agent, customer …) a dense integer id, keeping the
 * bytes in one arena. Open addressing with linear probing on an FNV-1a hash.
 */
export class ByteInterner {
  private arena = new Uint8Array(1 << 16);
  private used = 0;
  private offsets = new Int32Array(1 << 10);
  private lengths = new Int32Array(1 << 10);
  private hashes = new Int32Array(1 << 10);
  private table = new Int32Array(1 << 11).fill(-1);
  private names: (string | undefined)[] = [];
  size = 0;

  /** The id of bytes[start, end), adding it if new. */
  intern(bytes: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    const mask = this.table.length - 1;
    let slot = h & mask;
    const length = end - start;
    for (;;) {
      const id = this.table[slot]!;
      if (id < 0) break;
      if (this.hashes[id] === h && this.lengths[id] === length && this.equals(id, bytes, start, length)) return id;
      slot = (slot + 1) & mask;
    }
    return this.add(bytes, start, length, h, slot);
  }

  /** The id of a string, adding it if new. */
  internString(text: string): number {
    const bytes = new TextEncoder().encode(text);
    return this.intern(bytes, 0, bytes.length);
  }

  /** The id of bytes[start, end) if already known, else -1. */
  find(bytes: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    const mask = this.table.length - 1;
    let slot = h & mask;
    for (;;) {
      const id = this.table[slot]!;
      if (id < 0) return -1;
      if (this.hashes[id] === h && this.lengths[id] === end - start && this.equals(id, bytes, start, end - start)) return id;
      slot = (slot + 1) & mask;
    }
  }

  name(id: number): string {
    let name = this.names[id];
    if (name === undefined) {
      name = decodeUtf8(this.arena, this.offsets[id]!, this.offsets[id]! + this.lengths[id]!);
      this.names[id] = name;
    }
    return name;
  }

  private equals(id: number, bytes: Uint8Array, start: number, length: number): boolean {
    const arena = this.arena;
    const at = this.offsets[id]!;
    for (let i = 0; i < length; i++) if (arena[at + i] !== bytes[start + i]) return false;
    return true;
  }

  private add(bytes: Uint8Array, start: number, length: number, hash: number, slot: number): number {
    const id = this.size++;
    if (this.used + length > this.arena.length) this.arena = grow(this.arena, this.used + length);
    this.arena.set(bytes.subarray(start, start + length), this.used);
    if (id >= this.offsets.length) {
      this.offsets = grow(this.offsets, id + 1);
      this.lengths = grow(this.lengths, id + 1);
      this.hashes = grow(this.hashes, id + 1);
    }
    this.offsets[id] = this.used;
    this.lengths[id] = length;
    this.hashes[id] = hash;
    this.used += length;
    this.table[slot] = id;
    if (this.size * 2 > this.table.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = this.hashes[id]! & mask;
      while (table[slot]! >= 0) slot = (slot + 1) & mask;
      table[slot] = id;
    }
    this.table = table;
  }
}

type Typed = Uint8Array | Int32Array | Float64Array | Int16Array;

/** A typed array at least `min` long (doubling), with the old contents. */
export function grow<T extends Typed>(array: T, min: number): T {
  let length = Math.max(array.length * 2, 16);
  while (length < min) length *= 2;
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array);
  return next;
}

/**
 * Finds forbidden phrases in UTF-8 bytes with an Aho–Corasick automaton: one table lookup per
 * byte whatever the number of phrases.
 */
export class PhraseMatcher {
  private readonly next: Int32Array;
  private readonly output: Int16Array;

  constructor(readonly phrases: readonly string[]) {
    const encoded = phrases.map((p) => new TextEncoder().encode(p)).filter((p) => p.length > 0);
    const goto: Int32Array[] = [new Int32Array(256).fill(-1)];
    const out = [0];
    encoded.forEach((bytes, k) => {
      let state = 0;
      for (const byte of bytes) {
        if (goto[state]![byte]! < 0) {
          goto[state]![byte] = goto.length;
          goto.push(new Int32Array(256).fill(-1));
          out.push(0);
        }
        state = goto[state]![byte]!;
      }
      if (out[state] === 0) out[state] = k + 1;
    });
    const fail = new Int32Array(goto.length);
    const next = new Int32Array(goto.length * 256);
    const queue: number[] = [];
    for (let c = 0; c < 256; c++) {
      const s = goto[0]![c]!;
      next[c] = s < 0 ? 0 : s;
      if (s > 0) queue.push(s);
    }
    while (queue.length) {
      const state = queue.shift()!;
      if (out[state] === 0) out[state] = out[fail[state]!]!;
      for (let c = 0; c < 256; c++) {
        const s = goto[state]![c]!;
        if (s >= 0) {
          fail[s] = next[fail[state]! * 256 + c]!;
          next[state * 256 + c] = s;
          queue.push(s);
        } else next[state * 256 + c] = next[fail[state]! * 256 + c]!;
      }
    }
    this.next = next;
    this.output = Int16Array.from(out);
  }

  /** 1 + the index of the first phrase found in bytes[start, end), or 0. */
  match(bytes: Uint8Array, start: number, end: number): number {
    const next = this.next;
    const output = this.output;
    let state = 0;
    for (let i = start; i < end; i++) {
      state = next[state * 256 + bytes[i]!]!;
      if (output[state] !== 0) return output[state]!;
    }
    return 0;
  }
}
