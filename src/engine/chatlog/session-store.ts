import { ByteInterner, grow } from "./bytes.ts";

/**
 * Holds the lines of open sessions, compactly, until each session is complete. Lines live in a
 * pool of typed arrays chained per session; a finished session's lines go back to the pool, so
 * memory follows the sessions open at once, not the size of the file.
 *
 * A session is complete when none of its lines has been seen for `gap` lines (or at the end of
 * the file): lines of a session may interleave with other sessions and come out of order, as
 * long as they lie within `gap` lines of each other. A session that has been closed is complete
 * sooner, after `gap / 16` quiet lines: in a busy log most sessions are closed, and holding them
 * for the full gap would keep a million lines in memory for nothing.
 */

const OPEN = 1;
const CLOSE_EVENT = 3; // EVENT.close, the low two bits of a line's kind
const DONE = 2;

/** A complete session's lines in time order (equal times keep file order). */
export interface SessionLines {
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
  phrase: Int16Array;
}

export class SessionStore {
  readonly ids = new ByteInterner();
  // the line pool
  private ts = new Float64Array(1 << 14);
  private seq = new Int32Array(1 << 14);
  private kind = new Uint8Array(1 << 14);
  private agent = new Int32Array(1 << 14);
  private toAgent = new Int32Array(1 << 14);
  private phrase = new Int16Array(1 << 14);
  private next = new Int32Array(1 << 14);
  private poolUsed = 0;
  private free = -1;
  // per session
  private head = new Int32Array(1 << 12);
  private tail = new Int32Array(1 << 12);
  private count = new Int32Array(1 << 12);
  private lastSeq = new Int32Array(1 << 12);
  private state = new Uint8Array(1 << 12);
  private sorted = new Uint8Array(1 << 12);
  private lastTs = new Float64Array(1 << 12);
  shop = new Int32Array(1 << 12);
  customer = new Int32Array(1 << 12);
  /** The file line on which the session's last line was seen (for error messages). */
  lastLine = new Int32Array(1 << 12);
  private open = new Int32Array(1 << 10);
  private openCount = 0;
  private closed = new Uint8Array(1 << 12);
  private firstSeq = new Int32Array(1 << 12);
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
    phrase: new Int16Array(1024),
  };
  private order = new Int32Array(1024);

  constructor(private readonly gap: number) {
    this.closedGap = Math.max(1, Math.floor(gap / 16));
  }

  get openSessions(): number {
    return this.openCount;
  }

  /** The agent on the session's last line if it is open, else -1. */
  lastAgentOf(session: number): number {
    if (session >= this.state.length || this.state[session] !== OPEN) return -1;
    const tail = this.tail[session]!;
    return tail < 0 ? -1 : this.agent[tail]!;
  }

  /** The customer of an open session (-1 if not known yet, or not open). */
  customerOf(session: number): number {
    return session < this.state.length && this.state[session] === OPEN ? this.customer[session]! : -1;
  }

  /** Notes a session completed elsewhere (joined across parts) so its shop and customer are known. */
  recordDone(session: number, shop: number, customer: number): void {
    if (session >= this.head.length) this.growSessions(session + 1);
    this.state[session] = DONE;
    this.shop[session] = shop;
    this.customer[session] = customer;
  }

  /** Whether the session was already completed: a line for it now comes too late. */
  isDone(session: number): boolean {
    return session < this.state.length && this.state[session] === DONE;
  }

  /** Adds a line to its session (given by its interned id). */
  add(
    session: number,
    seq: number,
    line: number,
    ts: number,
    kind: number,
    agent: number,
    toAgent: number,
    phrase: number,
    shop: number,
    customer: number,
  ): void {
    if (session >= this.head.length) this.growSessions(session + 1);
    if (this.state[session] !== OPEN) this.openSession(session, seq, shop, customer);
    else if (this.customer[session]! < 0 && customer >= 0) this.customer[session] = customer;
    const e = this.allocate();
    this.ts[e] = ts;
    this.seq[e] = seq;
    this.kind[e] = kind;
    this.agent[e] = agent;
    this.toAgent[e] = toAgent;
    this.phrase[e] = phrase;
    this.next[e] = -1;
    const tail = this.tail[session]!;
    if (tail < 0) this.head[session] = e;
    else this.next[tail] = e;
    this.tail[session] = e;
    this.count[session]! += 1;
    if (ts < this.lastTs[session]!) this.sorted[session] = 0;
    else this.lastTs[session] = ts;
    this.lastSeq[session] = seq;
    this.lastLine[session] = line;
    if ((kind & 3) === CLOSE_EVENT) this.closed[session] = 1;
  }

  /**
   * Completes every session idle for more than `gap` lines as of line `seq`, except those first
   * seen before line `holdBefore` (they may have lines in the part of the file before this one).
   */
  sweep(seq: number, onComplete: (lines: SessionLines) => void, holdBefore = 0): void {
    let kept = 0;
    for (let i = 0; i < this.openCount; i++) {
      const session = this.open[i]!;
      if (this.firstSeq[session]! < holdBefore) {
        this.open[kept++] = session;
        continue;
      }
      const quiet = seq - this.lastSeq[session]!;
      if (quiet > this.gap || (this.closed[session] === 1 && quiet > this.closedGap))
        this.complete(session, onComplete);
      else this.open[kept++] = session;
    }
    this.openCount = kept;
  }

  /** Completes every open session (end of the file). */
  completeAll(onComplete: (lines: SessionLines) => void): void {
    for (let i = 0; i < this.openCount; i++) this.complete(this.open[i]!, onComplete);
    this.openCount = 0;
  }

  /** The ids of the open sessions (at the end of a part: those that may continue in the next). */
  openIds(): number[] {
    return Array.from(this.open.subarray(0, this.openCount));
  }

  /** Whether the session was first seen before line `seq`. */
  firstSeenBefore(session: number, seq: number): boolean {
    return this.firstSeq[session]! < seq;
  }

  /**
   * At the end of a part of a file: hands the open sessions for which `exportIt` says so to
   * `onExport` (they continue in a neighbouring part) and completes the rest.
   */
  drain(
    onComplete: (lines: SessionLines) => void,
    onExport: (lines: SessionLines) => void,
    exportIt: (session: number) => boolean,
  ): void {
    for (let i = 0; i < this.openCount; i++) {
      const session = this.open[i]!;
      if (exportIt(session)) {
        const lines = this.collect(session);
        this.state[session] = DONE;
        onExport(lines);
      } else this.complete(session, onComplete);
    }
    this.openCount = 0;
  }

  private openSession(session: number, seq: number, shop: number, customer: number): void {
    this.state[session] = OPEN;
    this.firstSeq[session] = seq;
    this.head[session] = -1;
    this.tail[session] = -1;
    this.count[session] = 0;
    this.sorted[session] = 1;
    this.closed[session] = 0;
    this.lastTs[session] = Number.NEGATIVE_INFINITY;
    this.shop[session] = shop;
    this.customer[session] = customer;
    if (this.openCount >= this.open.length) this.open = grow(this.open, this.openCount + 1);
    this.open[this.openCount++] = session;
  }

  private complete(session: number, onComplete: (lines: SessionLines) => void): void {
    const lines = this.collect(session);
    this.state[session] = DONE;
    onComplete(lines);
  }

  private collect(session: number): SessionLines {
    const n = this.count[session]!;
    const out = this.scratch;
    if (out.ts.length < n) this.growScratch(n);
    const order = this.order;
    let e = this.head[session]!;
    for (let i = 0; i < n; i++) {
      order[i] = e;
      e = this.next[e]!;
    }
    if (!this.sorted[session]) this.sortByTime(n);
    for (let i = 0; i < n; i++) {
      const k = order[i]!;
      out.ts[i] = this.ts[k]!;
      out.seq[i] = this.seq[k]!;
      out.kind[i] = this.kind[k]!;
      out.agent[i] = this.agent[k]!;
      out.toAgent[i] = this.toAgent[k]!;
      out.phrase[i] = this.phrase[k]!;
    }
    // Give the session's lines back to the pool.
    this.next[this.tail[session]!] = this.free;
    this.free = this.head[session]!;
    out.session = session;
    out.shop = this.shop[session]!;
    out.customer = this.customer[session]!;
    out.count = n;
    return out;
  }

  /** Stable order by (time, line), so equal times keep their order in the file. */
  private sortByTime(n: number): void {
    const part = Array.from(this.order.subarray(0, n));
    part.sort((a, b) => this.ts[a]! - this.ts[b]! || this.seq[a]! - this.seq[b]!);
    this.order.set(part);
  }

  private allocate(): number {
    if (this.free >= 0) {
      const e = this.free;
      this.free = this.next[e]!;
      return e;
    }
    if (this.poolUsed >= this.ts.length) {
      const min = this.poolUsed + 1;
      this.ts = grow(this.ts, min);
      this.seq = grow(this.seq, min);
      this.kind = grow(this.kind, min);
      this.agent = grow(this.agent, min);
      this.toAgent = grow(this.toAgent, min);
      this.phrase = grow(this.phrase, min);
      this.next = grow(this.next, min);
    }
    return this.poolUsed++;
  }

  private growSessions(min: number): void {
    this.head = grow(this.head, min);
    this.tail = grow(this.tail, min);
    this.count = grow(this.count, min);
    this.lastSeq = grow(this.lastSeq, min);
    this.state = grow(this.state, min);
    this.sorted = grow(this.sorted, min);
    this.lastTs = grow(this.lastTs, min);
    this.shop = grow(this.shop, min);
    this.customer = grow(this.customer, min);
    this.lastLine = grow(this.lastLine, min);
    this.closed = grow(this.closed, min);
    this.firstSeq = grow(this.firstSeq, min);
  }

  private growScratch(n: number): void {
    const s = this.scratch;
    s.ts = grow(s.ts, n);
    s.seq = grow(s.seq, n);
    s.kind = grow(s.kind, n);
    s.agent = grow(s.agent, n);
    s.toAgent = grow(s.toAgent, n);
    s.phrase = grow(s.phrase, n);
    this.order = grow(this.order, n);
  }
}
