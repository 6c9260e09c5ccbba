/**
 * Byte-level helpers for reading chat logs without turning every field into a string: a
 * timestamp parser, an interner that gives each distinct byte string a small integer id, and a
 * phrase matcher. Reading 10 million lines a second leaves no room for a string per field.
 */

const utf8 = new TextDecoder("utf-8");

/**
 * Copies from[start, end) to `to` at `at`. Ids and names are a few dozen bytes: a loop copies
 * them without the typed-array object that `subarray` makes (one per new session was a third of
 * the garbage of a run).
 */
export function copyBytes(from: Uint8Array, start: number, end: number, to: Uint8Array, at: number): void {
  if (end - start > 64) {
    to.set(from.subarray(start, end), at);
    return;
  }
  for (let i = start; i < end; i++) to[at++] = from[i]!;
}

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

/**
 * Parses timestamps of one file fast: lines of a log share their date and zone offset, so the
 * date part ("2026-11-11") and the offset ("+08:00") are compared with the previous line's and
 * their value reused; only the clock digits are read each time.
 */
export class TimestampParser {
  private readonly date = new Uint8Array(10);
  private dateMs = Number.NaN;
  private readonly zone = new Uint8Array(8);
  private zoneLength = -1;
  private zoneMs = 0;

  parse(b: Uint8Array, start: number, end: number): number {
    if (end - start < 20 || Number.isNaN(this.dateMs) || !this.sameDate(b, start))
      return this.slow(b, start, end);
    const sep = b[start + 10];
    if ((sep !== 84 && sep !== 32) || b[start + 13] !== 58 || b[start + 16] !== 58) return Number.NaN;
    const h1 = b[start + 11]! - 48;
    const h2 = b[start + 12]! - 48;
    const m1 = b[start + 14]! - 48;
    const m2 = b[start + 15]! - 48;
    const s1 = b[start + 17]! - 48;
    const s2 = b[start + 18]! - 48;
    // Each digit in 0…9 (a byte below '0' wraps to a large unsigned number); ranges checked below.
    if (h1 >>> 0 > 2 || h2 >>> 0 > 9 || m1 >>> 0 > 5 || m2 >>> 0 > 9 || s1 >>> 0 > 5 || s2 >>> 0 > 9) {
      return this.slow(b, start, end);
    }
    const hour = h1 * 10 + h2;
    if (hour > 23) return Number.NaN;
    let i = start + 19;
    let ms = 0;
    if (b[i] === 46) {
      i++;
      const first = i;
      let scale = 100;
      while (i < end) {
        const d = b[i]! - 48;
        if (d >>> 0 > 9) break;
        if (scale >= 1) ms += d * scale;
        scale /= 10;
        i++;
      }
      if (i === first) return Number.NaN;
    }
    if (end - i !== this.zoneLength || !this.sameZone(b, i, end)) return this.slow(b, start, end);
    return this.dateMs + ((hour * 60 + m1 * 10 + m2) * 60 + s1 * 10 + s2) * 1000 + ms - this.zoneMs;
  }

  /** Where the last parseField's field ended. */
  end = 0;

  /**
   * Parses a time at the start of a comma-terminated field whose end is not known yet, setting
   * `end`: the cached zone tells where the field must end, so its bytes are read only once.
   */
  parseField(b: Uint8Array, start: number, limit: number): number {
    if (this.zoneLength > 0 && start + 20 <= limit && this.sameDate(b, start)) {
      // The line's date and zone are the previous line's: read the clock and the fraction only.
      const sep = b[start + 10];
      const h1 = b[start + 11]! - 48;
      const h2 = b[start + 12]! - 48;
      const m1 = b[start + 14]! - 48;
      const m2 = b[start + 15]! - 48;
      const s1 = b[start + 17]! - 48;
      const s2 = b[start + 18]! - 48;
      let i = start + 19;
      let ms = 0;
      if (b[i] === 46) {
        i++;
        let scale = 100;
        while (i < limit) {
          const d = b[i]! - 48;
          if (d >>> 0 > 9) break;
          ms += d * scale;
          scale = scale > 1 ? scale / 10 : 0;
          i++;
        }
      }
      const end = i + this.zoneLength;
      const hour = h1 * 10 + h2;
      if (
        end < limit &&
        b[end] === 44 &&
        (sep === 84 || sep === 32) &&
        b[start + 13] === 58 &&
        b[start + 16] === 58 &&
        h1 >>> 0 <= 2 &&
        h2 >>> 0 <= 9 &&
        m1 >>> 0 <= 5 &&
        m2 >>> 0 <= 9 &&
        s1 >>> 0 <= 5 &&
        s2 >>> 0 <= 9 &&
        hour <= 23 &&
        this.sameZone(b, i, end)
      ) {
        this.end = end;
        if (b[start + 19] === 46 && i === start + 20) return Number.NaN; // "." without digits
        return this.dateMs + ((hour * 60 + m1 * 10 + m2) * 60 + s1 * 10 + s2) * 1000 + ms - this.zoneMs;
      }
    }
    let end = start;
    while (end < limit && b[end] !== 44 && b[end] !== 10 && b[end] !== 13) end++;
    this.end = end;
    return this.parse(b, start, end);
  }

  private sameDate(b: Uint8Array, start: number): boolean {
    const d = this.date;
    for (let k = 0; k < 10; k++) if (b[start + k] !== d[k]) return false;
    return true;
  }

  private sameZone(b: Uint8Array, at: number, end: number): boolean {
    const z = this.zone;
    for (let k = 0; k < end - at; k++) if (b[at + k] !== z[k]) return false;
    return true;
  }

  private slow(b: Uint8Array, start: number, end: number): number {
    if (!readParts(b, start, end)) return Number.NaN;
    // Remember this line's date and zone for the next.
    if (end - parts.zoneAt <= this.zone.length) {
      this.date.set(b.subarray(start, start + 10));
      this.zone.set(b.subarray(parts.zoneAt, end));
      this.zoneLength = end - parts.zoneAt;
      this.dateMs = parts.dateMs;
      this.zoneMs = parts.zoneMs;
    }
    return parts.dateMs + parts.clockMs - parts.zoneMs;
  }
}

function digits(b: Uint8Array, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

interface TimestampParts {
  /** Midnight (UTC) of the written date, the time of day, and the zone's offset, in ms. */
  dateMs: number;
  clockMs: number;
  zoneMs: number;
  /** Where the zone designator starts. */
  zoneAt: number;
}

const parts: TimestampParts = { dateMs: 0, clockMs: 0, zoneMs: 0, zoneAt: 0 };

function readParts(b: Uint8Array, start: number, end: number): boolean {
  if (end - start < 20) return false;
  const year = digits(b, start, 4);
  const month = digits(b, start + 5, 2);
  const day = digits(b, start + 8, 2);
  const hour = digits(b, start + 11, 2);
  const minute = digits(b, start + 14, 2);
  const second = digits(b, start + 17, 2);
  const sep = b[start + 10];
  if (
    b[start + 4] !== 45 ||
    b[start + 7] !== 45 ||
    (sep !== 84 && sep !== 32) ||
    b[start + 13] !== 58 ||
    b[start + 16] !== 58
  )
    return false;
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month]!) return false;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  if (month === 2 && day === 29 && (year % 4 !== 0 || (year % 100 === 0 && year % 400 !== 0))) return false;
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
    if (i === first) return false;
  }
  parts.zoneAt = i;
  let offsetMinutes: number;
  if (i === end - 1 && (b[i] === 90 || b[i] === 122)) offsetMinutes = 0;
  else {
    const sign = b[i] === 43 ? 1 : b[i] === 45 ? -1 : 0;
    const rest = end - i - 1;
    if (sign === 0 || (rest !== 5 && rest !== 4 && rest !== 2)) return false;
    const oh = digits(b, i + 1, 2);
    const om =
      rest === 5 ? (b[i + 3] === 58 ? digits(b, i + 4, 2) : -1) : rest === 4 ? digits(b, i + 3, 2) : 0;
    if (oh < 0 || om < 0 || oh > 14 || om > 59) return false;
    offsetMinutes = sign * (oh * 60 + om);
  }
  parts.dateMs = daysFromCivil(year, month, day) * 86_400_000;
  parts.clockMs = ((hour * 60 + minute) * 60 + Math.min(second, 59)) * 1000 + ms;
  parts.zoneMs = offsetMinutes * 60_000;
  return true;
}

/**
 * Epoch milliseconds of an ISO-8601 time with an offset: 2026-11-11T09:00:01+08:00,
 * 2026-11-11 09:00:01.250+08:00, …Z, +0800. NaN when it is not one (no offset is an error: a
 * time without a zone is ambiguous across shops).
 */
export function parseTimestamp(b: Uint8Array, start: number, end: number): number {
  return readParts(b, start, end) ? parts.dateMs + parts.clockMs - parts.zoneMs : Number.NaN;
}

/** An interner's strings as plain arrays, to send to another thread and name ids there. */
export interface InternedBytes {
  arena: Uint8Array<ArrayBuffer>;
  offsets: Int32Array<ArrayBuffer>;
  lengths: Int32Array<ArrayBuffer>;
  size: number;
  /** The hash table, so that the receiver can look strings up without rebuilding it. */
  table: Int32Array<ArrayBuffer>;
}

/** Names of the ids of an InternedBytes, decoded once each when asked. */
export class NameList {
  private readonly cache: (string | undefined)[] = [];
  /** `skip`: leading bytes that are not part of the name (a shop prefix). */
  constructor(
    readonly bytes: InternedBytes,
    private readonly skip = 0,
  ) {}

  name(id: number): string {
    let name = this.cache[id];
    if (name === undefined) {
      const at = this.bytes.offsets[id]!;
      name = decodeUtf8(this.bytes.arena, at + this.skip, at + this.bytes.lengths[id]!);
      this.cache[id] = name;
    }
    return name;
  }
}

/**
 * Gives each distinct byte string (session id, agent, customer …) a dense integer id, keeping the
 * bytes in one arena. Open addressing with linear probing on an FNV-1a hash; each slot holds the
 * hash, id, offset and length side by side, so a lookup touches one slot and the arena.
 */
export class ByteInterner {
  private arena = new Uint8Array(1 << 16);
  private used = 0;
  /** Slots of 4: hash, id + 1 (0 = empty), offset, length. */
  private table = new Int32Array(4 << 11);
  private mask = (1 << 11) - 1;
  private offsets = new Int32Array(1 << 10);
  private lengths = new Int32Array(1 << 10);
  private names: (string | undefined)[] = [];
  size = 0;

  /** The id of bytes[start, end), adding it if new. */
  intern(bytes: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    h |= 0; // a 32-bit integer even for no bytes at all, as the Int32Array table stores it
    const table = this.table;
    const length = end - start;
    let slot = h & this.mask;
    for (;;) {
      const at = slot << 2;
      const id = table[at + 1]! - 1;
      if (id < 0) return this.add(bytes, start, length, h, at);
      if (table[at] === h && table[at + 3] === length && this.equals(table[at + 2]!, bytes, start, length))
        return id;
      slot = (slot + 1) & this.mask;
    }
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
    h |= 0; // a 32-bit integer even for no bytes at all, as the Int32Array table stores it
    const table = this.table;
    let slot = h & this.mask;
    for (;;) {
      const at = slot << 2;
      const id = table[at + 1]! - 1;
      if (id < 0) return -1;
      if (
        table[at] === h &&
        table[at + 3] === end - start &&
        this.equals(table[at + 2]!, bytes, start, end - start)
      )
        return id;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The strings so far, as arrays that can cross to another thread. */
  dump(): InternedBytes {
    return {
      arena: this.arena.slice(0, this.used),
      offsets: this.offsets.slice(0, this.size),
      lengths: this.lengths.slice(0, this.size),
      size: this.size,
      table: this.table.slice(),
    };
  }

  /** An interner over a dump (sharing its arrays), to look strings up. */
  static restore(dump: InternedBytes): ByteInterner {
    const interner = new ByteInterner();
    interner.arena = dump.arena;
    interner.used = dump.arena.length;
    interner.offsets = dump.offsets;
    interner.lengths = dump.lengths;
    interner.size = dump.size;
    interner.table = dump.table;
    interner.mask = dump.table.length / 4 - 1;
    return interner;
  }

  /** The id here of string `id` of another interner's dump. */
  internFrom(other: InternedBytes, id: number): number {
    const at = other.offsets[id]!;
    return this.intern(other.arena, at, at + other.lengths[id]!);
  }

  /** The string of `id` without its first `skip` bytes (a prefix that is not text). */
  suffix(id: number, skip: number): string {
    return decodeUtf8(this.arena, this.offsets[id]! + skip, this.offsets[id]! + this.lengths[id]!);
  }

  /** Whether `id` stands for bytes[start, end): cheaper than interning when a likely id is known. */
  matches(id: number, bytes: Uint8Array, start: number, end: number): boolean {
    return this.lengths[id] === end - start && this.equals(this.offsets[id]!, bytes, start, end - start);
  }

  name(id: number): string {
    let name = this.names[id];
    if (name === undefined) {
      name = decodeUtf8(this.arena, this.offsets[id]!, this.offsets[id]! + this.lengths[id]!);
      this.names[id] = name;
    }
    return name;
  }

  private equals(offset: number, bytes: Uint8Array, start: number, length: number): boolean {
    const arena = this.arena;
    for (let i = 0; i < length; i++) if (arena[offset + i] !== bytes[start + i]) return false;
    return true;
  }

  private add(bytes: Uint8Array, start: number, length: number, hash: number, at: number): number {
    const id = this.size++;
    if (this.used + length > this.arena.length) this.arena = grow(this.arena, this.used + length);
    copyBytes(bytes, start, start + length, this.arena, this.used);
    if (id >= this.offsets.length) {
      this.offsets = grow(this.offsets, id + 1);
      this.lengths = grow(this.lengths, id + 1);
    }
    this.offsets[id] = this.used;
    this.lengths[id] = length;
    const table = this.table;
    table[at] = hash;
    table[at + 1] = id + 1;
    table[at + 2] = this.used;
    table[at + 3] = length;
    this.used += length;
    if (this.size * 2 > this.mask + 1) this.rehash();
    return id;
  }

  private rehash(): void {
    const old = this.table;
    const slots = (this.mask + 1) * 2;
    const table = new Int32Array(slots * 4);
    const mask = slots - 1;
    for (let at = 0; at < old.length; at += 4) {
      if (old[at + 1] === 0) continue;
      let slot = old[at]! & mask;
      while (table[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
      const to = slot << 2; // four numbers copied by hand: a subarray each cost more than the copy
      table[to] = old[at]!;
      table[to + 1] = old[at + 1]!;
      table[to + 2] = old[at + 2]!;
      table[to + 3] = old[at + 3]!;
    }
    this.table = table;
    this.mask = mask;
  }
}

type Typed = Uint8Array | Int32Array | Float64Array | Int16Array | Uint16Array;

/**
 * A typed array at least `min` long, with the old contents: doubling while small, then by half
 * again (large arrays, such as a million facts, would otherwise be up to half empty).
 */
export function grow<T extends Typed>(array: T, min: number): T {
  const step = (n: number) => (n < 1 << 16 ? n * 2 : Math.ceil(n * 1.5));
  let length = Math.max(step(array.length), 16);
  while (length < min) length = step(length);
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array);
  return next;
}

/**
 * Tells whether UTF-8 bytes hold any of the forbidden phrases, by skipping (Horspool's rule over
 * a set): the byte at the end of a window as long as the shortest phrase says how far no phrase
 * can start, most often the whole window, so a message costs a fraction of a look-up per byte.
 * Only where that byte ends some phrase's first window bytes are the phrases compared.
 */
export class PhraseMatcher {
  private readonly phrases: Uint8Array[];
  /** The shortest phrase's length in bytes: the window. */
  private readonly window: number;
  /** By the window's last byte: how far the next possible phrase start is (0: compare here). */
  private readonly skip = new Int32Array(256);

  constructor(phrases: readonly string[]) {
    const encoder = new TextEncoder();
    this.phrases = phrases.map((p) => encoder.encode(p)).filter((p) => p.length > 0);
    const m = this.phrases.length > 0 ? Math.min(...this.phrases.map((p) => p.length)) : 0;
    this.window = m;
    this.skip.fill(m);
    for (const p of this.phrases)
      for (let j = 0; j < m - 1; j++) this.skip[p[j]!] = Math.min(this.skip[p[j]!]!, m - 1 - j);
    for (const p of this.phrases) this.skip[p[m - 1]!] = 0;
  }

  /** Whether bytes[start, end) hold one of the phrases. */
  contains(bytes: Uint8Array, start: number, end: number): boolean {
    const m = this.window;
    if (m === 0) return false;
    const skip = this.skip;
    let at = start;
    while (at + m <= end) {
      const by = skip[bytes[at + m - 1]!]!;
      if (by > 0) at += by;
      else if (this.startsAt(bytes, at, end)) return true;
      else at++;
    }
    return false;
  }

  private startsAt(bytes: Uint8Array, at: number, end: number): boolean {
    for (const p of this.phrases) {
      if (at + p.length > end) continue;
      let i = 0;
      while (i < p.length && bytes[at + i] === p[i]) i++;
      if (i === p.length) return true;
    }
    return false;
  }
}
