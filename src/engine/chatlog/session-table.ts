import { type AgentDays, SLOT } from "./agent-days.ts";
import { grow } from "./bytes.ts";
import type { SessionSummary } from "./session-walk.ts";

/**
 * What outlives a session's lines: one compact row per consultation, for the rules that look
 * across sessions — one-contact resolution (72 h), JD's re-consultation merge, and ratings that
 * name a session.
 */
export interface SessionTableDump {
  size: number;
  shop: Int32Array<ArrayBuffer>;
  customerKey: Int32Array<ArrayBuffer>;
  day: Int32Array<ArrayBuffer>;
  lastAgent: Int32Array<ArrayBuffer>;
  start: Float64Array<ArrayBuffer>;
  end: Float64Array<ArrayBuffer>;
  close: Float64Array<ArrayBuffer>;
  consultation: Uint8Array<ArrayBuffer>;
  excluded30s: Uint8Array<ArrayBuffer>;
  excludedArt: Uint8Array<ArrayBuffer>;
  merges: Uint8Array<ArrayBuffer>;
  leave: Uint8Array<ArrayBuffer>;
  transferred: Uint8Array<ArrayBuffer>;
}

/** Rows made room for at the start: a log has many thousands, and untouched pages cost no memory. */
const ROWS_AT_START = 1 << 16;

export class SessionTable {
  shop = new Int32Array(ROWS_AT_START);
  /** Dense id of (shop, customer), -1 if the session names no customer. */
  customerKey = new Int32Array(ROWS_AT_START);
  day = new Int32Array(ROWS_AT_START);
  lastAgent = new Int32Array(ROWS_AT_START);
  start = new Float64Array(ROWS_AT_START);
  end = new Float64Array(ROWS_AT_START);
  close = new Float64Array(ROWS_AT_START);
  consultation = new Uint8Array(ROWS_AT_START);
  excluded30s = new Uint8Array(ROWS_AT_START);
  excludedArt = new Uint8Array(ROWS_AT_START);
  merges = new Uint8Array(ROWS_AT_START);
  leave = new Uint8Array(ROWS_AT_START);
  /** A segment of the session was transferred out: not resolved in one contact, for anyone. */
  transferred = new Uint8Array(ROWS_AT_START);
  size = 0;

  /** Adds a consultation; returns its row. */
  record(shop: number, customerKey: number, s: SessionSummary, merges: boolean): number {
    const session = this.size++;
    if (session >= this.shop.length) this.grow(session + 1);
    this.shop[session] = shop;
    this.customerKey[session] = customerKey;
    this.day[session] = s.day;
    this.lastAgent[session] = s.lastAgent;
    this.start[session] = s.start;
    this.end[session] = s.end;
    this.close[session] = s.close;
    this.consultation[session] = 1;
    this.excluded30s[session] = s.excluded30s ? 1 : 0;
    this.excludedArt[session] = s.excludedArt ? 1 : 0;
    this.merges[session] = merges ? 1 : 0;
    this.leave[session] = s.leave ? 1 : 0;
    this.transferred[session] = s.transferred ? 1 : 0;
    return session;
  }

  /** The rows, as views of the table's arrays (no copy). */
  dump(): SessionTableDump {
    const n = this.size;
    return {
      size: n,
      shop: this.shop.subarray(0, n),
      customerKey: this.customerKey.subarray(0, n),
      day: this.day.subarray(0, n),
      lastAgent: this.lastAgent.subarray(0, n),
      start: this.start.subarray(0, n),
      end: this.end.subarray(0, n),
      close: this.close.subarray(0, n),
      consultation: this.consultation.subarray(0, n),
      excluded30s: this.excluded30s.subarray(0, n),
      excludedArt: this.excludedArt.subarray(0, n),
      merges: this.merges.subarray(0, n),
      leave: this.leave.subarray(0, n),
      transferred: this.transferred.subarray(0, n),
    };
  }

  /** A table over a dump's arrays (adopted, not copied). */
  static fromDump(d: SessionTableDump): SessionTable {
    const t = new SessionTable();
    Object.assign(t, { ...d });
    return t;
  }

  /**
   * Adds another part's table after this one's rows (its sessions at `base` + their id), with
   * shops, customers and agents renamed into this table's ids.
   */
  append(
    other: SessionTableDump,
    base: number,
    map: { shop(id: number): number; customerKey(id: number): number; agent(id: number): number },
  ): void {
    const end = base + other.size;
    if (end > this.shop.length) this.grow(end);
    for (let i = 0; i < other.size; i++) {
      if (!other.consultation[i]) continue;
      const s = base + i;
      this.shop[s] = map.shop(other.shop[i]!);
      this.customerKey[s] = other.customerKey[i]! < 0 ? -1 : map.customerKey(other.customerKey[i]!);
      this.day[s] = other.day[i]!;
      this.lastAgent[s] = other.lastAgent[i]! < 0 ? -1 : map.agent(other.lastAgent[i]!);
      this.start[s] = other.start[i]!;
      this.end[s] = other.end[i]!;
      this.close[s] = other.close[i]!;
      this.consultation[s] = 1;
      this.excluded30s[s] = other.excluded30s[i]!;
      this.excludedArt[s] = other.excludedArt[i]!;
      this.merges[s] = other.merges[i]!;
      this.leave[s] = other.leave[i]!;
      this.transferred[s] = other.transferred[i]!;
    }
    if (end > this.size) this.size = end;
  }

  has(session: number): boolean {
    return session >= 0 && session < this.size && this.consultation[session] === 1;
  }

  /** Consultations grouped by customer, each group in time order. */
  timeline(customers: number): { order: Int32Array; groupStart: Int32Array } {
    const groupStart = new Int32Array(customers + 1);
    let n = 0;
    for (let s = 0; s < this.size; s++) {
      if (this.consultation[s] && this.customerKey[s]! >= 0) {
        groupStart[this.customerKey[s]! + 1]!++;
        n++;
      }
    }
    for (let c = 0; c < customers; c++) groupStart[c + 1]! += groupStart[c]!;
    const fill = groupStart.slice(0, customers);
    const order = new Int32Array(n);
    for (let s = 0; s < this.size; s++) {
      if (this.consultation[s] && this.customerKey[s]! >= 0) order[fill[this.customerKey[s]!]!++] = s;
    }
    for (let c = 0; c < customers; c++) {
      const from = groupStart[c]!;
      const to = groupStart[c + 1]!;
      if (to - from > 1) sortRange(order, from, to, this.start);
    }
    return { order, groupStart };
  }

  /**
   * JD: a session of the same customer starting within `minutes` after an earlier session's close
   * continues it. Returns each session's root (itself unless it continues another).
   */
  roots(timeline: { order: Int32Array; groupStart: Int32Array }, minutes: number): Int32Array {
    const root = new Int32Array(this.size).map((_, s) => s);
    const { order, groupStart } = timeline;
    for (let g = 0; g + 1 < groupStart.length; g++) {
      for (let i = groupStart[g]! + 1; i < groupStart[g + 1]!; i++) {
        const prev = order[i - 1]!;
        const s = order[i]!;
        if (!this.merges[s] || !this.merges[prev]) continue;
        const gap = this.start[s]! - this.close[prev]!;
        if (gap >= 0 && gap <= minutes * 60_000) root[s] = root[prev]!;
      }
    }
    return root;
  }

  /**
   * One-contact resolution: a (merged) session is resolved if none of it was transferred (seed 000:
   * 单次沟通中得到解决，无需二次跟进或转接) and its customer starts no new session in the same
   * shop within `hours` of its end; provisional while that time reaches past `dataEnd` (a
   * transferred session is settled: it cannot become resolved).
   */
  resolve(
    timeline: { order: Int32Array; groupStart: Int32Array },
    root: Int32Array | null,
    hoursFor: (shop: number) => number,
    dataEnd: number,
    days: AgentDays,
  ): void {
    const { order, groupStart } = timeline;
    for (let g = 0; g + 1 < groupStart.length; g++) {
      let i = groupStart[g]!;
      const to = groupStart[g + 1]!;
      while (i < to) {
        // A chain of merged sessions is one session: from its root to its last member.
        const head = order[i]!;
        let last = head;
        let end = this.end[head]!;
        let transferred = this.transferred[head] === 1;
        let j = i + 1;
        while (j < to && root && root[order[j]!] === root[head]) {
          last = order[j]!;
          end = Math.max(end, this.end[last]!);
          if (this.transferred[last] === 1) transferred = true;
          j++;
        }
        const agent = this.lastAgent[last]!;
        if (agent >= 0) {
          const window = hoursFor(this.shop[head]!) * 3_600_000;
          const row = days.row(this.shop[head]!, agent, this.day[head]!);
          days.add(row, SLOT.resolvable, 1);
          // A transferred session counts in the denominator only, whoever held it last; it is
          // settled, so never provisional either.
          const next = j < to ? this.start[order[j]!]! : Number.POSITIVE_INFINITY;
          if (!transferred && next - end > window) {
            days.add(row, SLOT.resolved, 1);
            if (j === to && dataEnd - end < window) days.add(row, SLOT.provisional, 1);
          }
        }
        i = j;
      }
    }
  }

  private grow(min: number): void {
    this.shop = grow(this.shop, min);
    this.customerKey = grow(this.customerKey, min);
    this.day = grow(this.day, min);
    this.lastAgent = grow(this.lastAgent, min);
    this.start = grow(this.start, min);
    this.end = grow(this.end, min);
    this.close = grow(this.close, min);
    this.consultation = grow(this.consultation, min);
    this.excluded30s = grow(this.excluded30s, min);
    this.excludedArt = grow(this.excludedArt, min);
    this.merges = grow(this.merges, min);
    this.leave = grow(this.leave, min);
    this.transferred = grow(this.transferred, min);
  }
}

/** Sorts order[from, to) by key: insertion sort for a customer's few sessions, else a full sort. */
export function sortRange(order: Int32Array, from: number, to: number, key: Float64Array): void {
  if (to - from > 32) {
    const part = Array.from(order.subarray(from, to)).sort((a, b) => key[a]! - key[b]!);
    order.set(part, from);
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const v = order[i]!;
    const k = key[v]!;
    let j = i - 1;
    while (j >= from && key[order[j]!]! > k) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = v;
  }
}
