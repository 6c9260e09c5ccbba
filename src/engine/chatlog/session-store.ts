import { decodeUtf8, grow } from "./bytes.ts";
import { OpenSessions, SLOTS_AT_START } from "./open-sessions.ts";
import { DoneSessions, hashBytes, hashBytes2 } from "./session-index.ts";

/**
 * Holds the lines of open sessions, compactly, until each session is complete. Lines live in a
 * pool of typed arrays chained per session; a finished session's lines and slot go back to the
 * pool, so memory follows the sessions open at once, not the size of the file.
 *
 * A session is complete when none of its lines has been seen for `gap` lines (or at the end of
 * the file): lines of a session may interleave with other sessions and come out of order, as
 * long as they lie within `gap` lines of each other. A session that has been closed is complete
 * sooner, after `gap / 16` quiet lines: in a busy log most sessions are closed, and holding them
 * for the full gap would keep a million lines in memory for nothing.
 */

const CLOSE_EVENT = 3; // EVENT.close, the low two bits of a line's kind
const TRANSFER_EVENT = 1; // EVENT.transfer
const KIND_BITS = 5; // a kind is from × 4 + event < 32
const KIND_MASK = (1 << KIND_BITS) - 1;
/** A line's note is kept in the 11 bits above the kind: at most this many phrase rules. */
export const MAX_PHRASES = (1 << (16 - KIND_BITS)) - 2;
const BLOCK = 8;
const POOL_MIN = 1 << 14;
const POOL_MAX_START = 1 << 22;

// A slot's record: int32 fields, and the last time as a double in the last 8 bytes.
const SLOT_INTS = 16;
const HEAD = 0;
const TAIL = 1;
const LAST_AGENT = 2;
const COUNT = 3;
const LAST_SEQ = 4;
const FIRST_SEQ = 5;
const FLAGS = 6;
const HASH1 = 7;
const HASH2 = 8;
const SHOP = 9;
const CUSTOMER = 10;
const LAST_TS_F64 = 7; // int32 14 and 15
const SORTED = 1;
const CLOSED = 2;
/** Kept open until the end: the session continues from the part before (set aside for joining). */
const PINNED = 4;

/** A complete session's lines in time order (equal times keep file order). */
export interface SessionLines {
  /** The session's slot while it is being completed. */
  session: number;
  shop: number;
  customer: number;
  count: number;
  ts: Float64Array;
  /** Position of each line in the file, for ordering lines of equal time. */
  seq: Float64Array;
  kind: Uint8Array;
  agent: Int32Array;
  toAgent: Int32Array;
  /**
   * What else the walk needs of a line, by kind: on an agent message 1 + the forbidden-phrase rule
   * it breaks (0: none); on a transfer REQUESTED_TRANSFER if the customer asked for it.
   */
  note: Int16Array;
}

/** Called with each complete session; returns its consultation row (or -1), kept by fingerprint. */
export type OnComplete = (lines: SessionLines) => number;

/** What `slotFor` returns for a line of a session that was already completed. */
export const LATE = -1;

export class SessionStore {
  readonly open = new OpenSessions();
  readonly done: DoneSessions;
  // The line pool: cells in blocks of BLOCK, a session's lines in a chain of blocks, so that
  // its lines lie together in memory (reading a session back touches few cache lines).
  // A cell is 18 bytes: time, line, agent (the receiving agent on a transfer line, whose own
  // agent the walk never reads) and kind with the line's note packed above it.
  private ts: Float64Array;
  private seq: Int32Array;
  private agent: Int32Array;
  private kindNote: Uint16Array;
  private nextBlock: Int32Array;
  private blocksUsed = 0;
  private freeBlocks = new Int32Array(256);
  private freeCount = 0;
  // Per open slot, one record of SLOT_INTS (a cache line): a line touches its slot's fields
  // together, and tens of thousands of open slots in separate arrays cost a cache miss each.
  private slot = new Int32Array(SLOT_INTS * SLOTS_AT_START);
  /** The same records as doubles: the last time at LAST_TS_F64. */
  private slotF64 = new Float64Array(this.slot.buffer);
  private slots = 0;
  private freeSlots: number[] = [];
  private live = new Int32Array(SLOTS_AT_START);
  private liveCount = 0;
  /** The session a LATE line belongs to (for the error message). */
  lateName = "";
  private readonly closedGap: number;
  private readonly scratch: SessionLines = {
    session: 0,
    shop: 0,
    customer: 0,
    count: 0,
    ts: new Float64Array(1024),
    seq: new Float64Array(1024),
    kind: new Uint8Array(1024),
    agent: new Int32Array(1024),
    toAgent: new Int32Array(1024),
    note: new Int16Array(1024),
  };
  private order = new Int32Array(1024);

  /** `rows`: remember each finished session's consultation row (for ratings). */
  constructor(
    private readonly gap: number,
    rows: boolean,
  ) {
    this.closedGap = Math.max(1, Math.floor(gap / 16));
    // Room for two session gaps of lines from the start: the pool then rarely grows by copying (a
    // part that holds the sessions of its first gap of lines needs about that much, and growing
    // it cost a twentieth of its time). Pages no line has used yet are not memory the process
    // holds: blocks are taken in order.
    const cells = Math.min(POOL_MAX_START, Math.max(POOL_MIN, 2 << Math.ceil(Math.log2(gap))));
    this.ts = new Float64Array(cells);
    this.seq = new Int32Array(cells);
    this.agent = new Int32Array(cells);
    this.kindNote = new Uint16Array(cells);
    this.nextBlock = new Int32Array(cells / BLOCK);
    this.done = new DoneSessions(rows);
  }

  get openSessions(): number {
    return this.liveCount;
  }

  /** The slot of the session named by bytes[start, end): open, new, or LATE if it already ended. */
  slotFor(b: Uint8Array, start: number, end: number): number {
    const h1 = hashBytes(b, start, end);
    const slot = this.open.find(b, start, end, h1);
    if (slot >= 0) return slot;
    const h2 = hashBytes2(b, start, end);
    if (this.done.find(h1, h2) >= 0) {
      this.lateName = decodeUtf8(b, start, end);
      return LATE;
    }
    return this.openSlot(b, start, end, h1, h2);
  }

  /** The last agent named on the slot's lines, or -1. */
  lastAgentOf(slot: number): number {
    return this.slot[slot * SLOT_INTS + LAST_AGENT]!;
  }

  /** The shop of the slot's first line (of its last session's for a new slot). */
  shopOf(slot: number): number {
    return this.slot[slot * SLOT_INTS + SHOP]!;
  }

  /** The slot's customer key, or -1. */
  customerOf(slot: number): number {
    return this.slot[slot * SLOT_INTS + CUSTOMER]!;
  }

  /** Sets the shop and customer of a slot that holds no lines (a joined session's). */
  setShopAndCustomer(slot: number, shop: number, customer: number): void {
    this.slot[slot * SLOT_INTS + SHOP] = shop;
    this.slot[slot * SLOT_INTS + CUSTOMER] = customer;
  }

  name(slot: number): string {
    return this.open.name(slot);
  }

  hasCustomer(slot: number): boolean {
    return this.open.hasCustomer(slot);
  }

  /** Adds a line to its session's slot. */
  add(
    slot: number,
    seq: number,
    ts: number,
    kind: number,
    agent: number,
    toAgent: number,
    note: number,
    shop: number,
    customer: number,
  ): void {
    const r = this.slot;
    const at = slot * SLOT_INTS;
    const n = r[at + COUNT]!;
    if (n === 0) {
      r[at + FIRST_SEQ] = seq;
      r[at + SHOP] = shop;
    }
    if (r[at + CUSTOMER]! < 0 && customer >= 0) r[at + CUSTOMER] = customer;
    const within = n % BLOCK;
    if (within === 0) {
      const block = this.allocateBlock();
      if (n === 0) r[at + HEAD] = block;
      else this.nextBlock[r[at + TAIL]!] = block;
      r[at + TAIL] = block;
    }
    const e = r[at + TAIL]! * BLOCK + within;
    this.ts[e] = ts;
    this.seq[e] = seq;
    this.agent[e] = (kind & 3) === TRANSFER_EVENT ? toAgent : agent;
    this.kindNote[e] = kind | (note << KIND_BITS);
    if (agent >= 0) r[at + LAST_AGENT] = agent;
    r[at + COUNT] = n + 1;
    const last = (at >> 1) + LAST_TS_F64;
    if (ts < this.slotF64[last]!) r[at + FLAGS] = r[at + FLAGS]! & ~SORTED;
    else this.slotF64[last] = ts;
    r[at + LAST_SEQ] = seq;
    if ((kind & 3) === CLOSE_EVENT) r[at + FLAGS] = r[at + FLAGS]! | CLOSED;
  }

  /**
   * Completes every session idle for more than `gap` lines as of line `seq`, except those first
   * seen before line `holdBefore` (they may have lines in the part of the file before this one).
   */
  sweep(seq: number, onComplete: OnComplete, holdBefore = 0): void {
    let kept = 0;
    for (let i = 0; i < this.liveCount; i++) {
      const slot = this.live[i]!;
      const at = slot * SLOT_INTS;
      const r = this.slot;
      const quiet = seq - r[at + LAST_SEQ]!;
      const flags = r[at + FLAGS]!;
      const idle = quiet > this.gap || ((flags & CLOSED) !== 0 && quiet > this.closedGap);
      if (idle && r[at + FIRST_SEQ]! >= holdBefore && (flags & PINNED) === 0) this.complete(slot, onComplete);
      else this.live[kept++] = slot;
    }
    this.liveCount = kept;
  }

  /** Names of the open sessions (at the end of a part: those that may continue in the next). */
  openNames(): string[] {
    return Array.from(this.live.subarray(0, this.liveCount), (slot) => this.open.name(slot));
  }

  /** Names of the open sessions first seen before line `seq`. */
  openNamesFirstSeenBefore(seq: number): string[] {
    const names: string[] = [];
    for (let i = 0; i < this.liveCount; i++) {
      const slot = this.live[i]!;
      if (this.slot[slot * SLOT_INTS + FIRST_SEQ]! < seq) names.push(this.open.name(slot));
    }
    return names;
  }

  /** Whether the slot's session was first seen before line `seq`. */
  firstSeenBefore(slot: number, seq: number): boolean {
    return this.slot[slot * SLOT_INTS + FIRST_SEQ]! < seq;
  }

  /**
   * Pins the open sessions first seen before line `seq` whose names `pin` picks (they continue
   * from the part before and are set aside at the end); the others may complete as usual.
   */
  pinWhere(seq: number, pin: (slot: number) => boolean): void {
    for (let i = 0; i < this.liveCount; i++) {
      const slot = this.live[i]!;
      if (this.slot[slot * SLOT_INTS + FIRST_SEQ]! < seq && pin(slot)) this.pin(slot);
    }
  }

  isPinned(slot: number): boolean {
    return (this.slot[slot * SLOT_INTS + FLAGS]! & PINNED) !== 0;
  }

  pin(slot: number): void {
    const at = slot * SLOT_INTS + FLAGS;
    this.slot[at] = this.slot[at]! | PINNED;
  }

  /** Whether the slot holds exactly one line (its session was just opened). */
  isNew(slot: number): boolean {
    return this.slot[slot * SLOT_INTS + COUNT] === 1;
  }

  /**
   * At the end: completes every open session, except that those for which `exportIt` says so
   * (they continue in a neighbouring part) go to `onExport` with their lines.
   */
  drain(
    onComplete: OnComplete,
    onExport?: (lines: SessionLines) => void,
    exportIt?: (slot: number) => boolean,
  ): void {
    for (let i = 0; i < this.liveCount; i++) {
      const slot = this.live[i]!;
      if (onExport && exportIt?.(slot)) {
        onExport(this.collect(slot));
        this.release(slot, -1, false);
      } else this.complete(slot, onComplete);
    }
    this.liveCount = 0;
  }

  private openSlot(b: Uint8Array, start: number, end: number, h1: number, h2: number): number {
    const slot = this.freeSlots.length ? this.freeSlots.pop()! : this.slots++;
    if ((slot + 1) * SLOT_INTS > this.slot.length) this.growSlots(slot + 1);
    this.open.add(b, start, end, h1, slot);
    const r = this.slot;
    const at = slot * SLOT_INTS;
    r[at + HEAD] = -1;
    r[at + TAIL] = -1;
    r[at + COUNT] = 0;
    r[at + FLAGS] = SORTED;
    this.slotF64[(at >> 1) + LAST_TS_F64] = Number.NEGATIVE_INFINITY;
    r[at + CUSTOMER] = -1;
    r[at + LAST_AGENT] = -1;
    r[at + HASH1] = h1;
    r[at + HASH2] = h2;
    if (this.liveCount >= this.live.length) this.live = grow(this.live, this.liveCount + 1);
    this.live[this.liveCount++] = slot;
    return slot;
  }

  private complete(slot: number, onComplete: OnComplete): void {
    const row = onComplete(this.collect(slot));
    this.release(slot, row, true);
  }

  /** Frees a slot: remembers its session as done (if `remember`) and gives its lines back. */
  private release(slot: number, row: number, remember: boolean): void {
    const at = slot * SLOT_INTS;
    if (remember) this.done.add(this.slot[at + HASH1]!, this.slot[at + HASH2]!, row);
    this.open.remove(slot);
    let block = this.slot[at + HEAD]!;
    for (let left = this.slot[at + COUNT]!; left > 0; left -= BLOCK) {
      if (this.freeCount >= this.freeBlocks.length)
        this.freeBlocks = grow(this.freeBlocks, this.freeCount + 1);
      this.freeBlocks[this.freeCount++] = block;
      block = this.nextBlock[block]!;
    }
    this.freeSlots.push(slot);
  }

  private collect(slot: number): SessionLines {
    const at = slot * SLOT_INTS;
    const n = this.slot[at + COUNT]!;
    const out = this.scratch;
    if (out.ts.length < n) this.growScratch(n);
    const order = this.order;
    let block = this.slot[at + HEAD]!;
    for (let i = 0; i < n; i++) {
      const within = i % BLOCK;
      order[i] = block * BLOCK + within;
      if (within === BLOCK - 1) block = this.nextBlock[block]!;
    }
    if ((this.slot[at + FLAGS]! & SORTED) === 0) this.sortByTime(n);
    for (let i = 0; i < n; i++) {
      const k = order[i]!;
      const kindNote = this.kindNote[k]!;
      const kind = kindNote & KIND_MASK;
      out.ts[i] = this.ts[k]!;
      out.seq[i] = this.seq[k]!;
      out.kind[i] = kind;
      out.note[i] = kindNote >> KIND_BITS;
      if ((kind & 3) === TRANSFER_EVENT) {
        out.agent[i] = -1;
        out.toAgent[i] = this.agent[k]!;
      } else {
        out.agent[i] = this.agent[k]!;
        out.toAgent[i] = -1;
      }
    }
    out.session = slot;
    out.shop = this.slot[at + SHOP]!;
    out.customer = this.slot[at + CUSTOMER]!;
    out.count = n;
    return out;
  }

  /** Stable order by (time, line), so equal times keep their order in the file. */
  private sortByTime(n: number): void {
    const part = Array.from(this.order.subarray(0, n));
    part.sort((a, b) => this.ts[a]! - this.ts[b]! || this.seq[a]! - this.seq[b]!);
    this.order.set(part);
  }

  private allocateBlock(): number {
    if (this.freeCount > 0) return this.freeBlocks[--this.freeCount]!;
    const block = this.blocksUsed++;
    if ((block + 1) * BLOCK > this.ts.length) {
      const min = (block + 1) * BLOCK;
      this.ts = grow(this.ts, min);
      this.seq = grow(this.seq, min);
      this.agent = grow(this.agent, min);
      this.kindNote = grow(this.kindNote, min);
      this.nextBlock = grow(this.nextBlock, this.ts.length / BLOCK);
    }
    return block;
  }

  private growSlots(min: number): void {
    const next = new Int32Array(Math.max(this.slot.length * 2, min * SLOT_INTS));
    next.set(this.slot);
    this.slot = next;
    this.slotF64 = new Float64Array(this.slot.buffer);
  }

  private growScratch(n: number): void {
    const s = this.scratch;
    s.ts = grow(s.ts, n);
    s.seq = grow(s.seq, n);
    s.kind = grow(s.kind, n);
    s.agent = grow(s.agent, n);
    s.toAgent = grow(s.toAgent, n);
    s.note = grow(s.note, n);
    this.order = grow(this.order, n);
  }
}
