import { type AgentDays, SLOT } from "./agent-days.ts";
import { grow } from "./bytes.ts";
import type { SegmentTally } from "./session-walk.ts";

/**
 * Adds a segment's tally to its agent-day, by the rules of docs/chatlog.md: counted segments feed
 * the response metrics; transferred-out and leave-message segments only receptions and the like.
 */

export interface TallyContext {
  shop: number;
  customer: number;
  day: number;
  leave: boolean;
  excluded30s: boolean;
  excludedArt: boolean;
  /** JD: leave-message sessions count for the left-message reply rate only. */
  leaveReplyRateOnly: boolean;
  /** JD: the first segment of a re-consultation continues an earlier session: not a new consultation. */
  continuation: boolean;
}

export interface TallyTargets {
  days: AgentDays;
  /** (agent-day row, customer) → still effective; Pinduoduo's customers-once-a-day rule. */
  effective: Map<number, boolean>;
  consultation(customerKey: number, row: number, at: number): void;
  interval(row: number, from: number, to: number): void;
}

export const CUSTOMER_KEY_SCALE = 67_108_864; // 2^26 customers per shop

export function applyTally(t: SegmentTally, c: TallyContext, into: TallyTargets): boolean {
  if (t.owner < 0) return false;
  const days = into.days;
  const row = days.row(c.shop, t.owner, c.day);
  const leaveOnly = c.leave && c.leaveReplyRateOnly;
  if (!leaveOnly) {
    if (!c.continuation) {
      days.add(row, SLOT.segments, 1);
      // 转接率 不含客户主动要求转接 (seed 000): the customer's own request is no transfer of the agent's.
      if (t.transferredOut && !t.transferRequested) days.add(row, SLOT.transfersOut, 1);
    }
    if (c.customer >= 0) into.consultation(c.shop * CUSTOMER_KEY_SCALE + c.customer, row, t.start);
    if (!Number.isNaN(t.openFrom)) into.interval(row, t.openFrom, t.end);
    if (t.replies > 0) {
      days.add(row, SLOT.scriptChecked, 1);
      if (t.phraseHits === 0) days.add(row, SLOT.scriptClean, 1);
    }
  }
  if (t.transferredOut || c.leave || t.runs === 0) return true;
  if (!c.continuation) {
    days.add(row, SLOT.counted, 1);
    if (t.firstAnswered) {
      days.add(row, SLOT.answered, 1);
      days.add(row, SLOT.frtMs, t.firstWaitMs);
      days.add(row, SLOT.frtCount, 1);
    }
    if (!c.excluded30s) {
      days.add(row, SLOT.within30Of, 1);
      if (t.firstAnswered && t.firstWaitMs <= 30_000) days.add(row, SLOT.within30, 1);
    }
  }
  if (!c.excludedArt) {
    days.add(row, SLOT.artMs, t.artMs);
    days.add(row, SLOT.artCount, t.answeredRuns);
  }
  days.add(row, SLOT.replies, t.replies);
  days.add(row, SLOT.customerMessages, t.customerMessages);
  days.add(row, SLOT.longWaits, t.longWaits);
  days.add(row, SLOT.rounds, t.rounds);
  days.add(row, SLOT.roundsInTime, t.roundsInTime);
  if (t.effectiveRuns > 0 && c.customer >= 0) {
    const key = row * CUSTOMER_KEY_SCALE + c.customer;
    into.effective.set(key, (into.effective.get(key) ?? true) && t.effectiveValid);
  }
  return true;
}

const FIELDS = [
  "index",
  "owner",
  "start",
  "end",
  "openFrom",
  "transferredOut",
  "transferRequested",
  "runs",
  "firstAnswered",
  "firstWaitMs",
  "answeredRuns",
  "artMs",
  "replies",
  "customerMessages",
  "longWaits",
  "roundsInTime",
  "rounds",
  "effectiveRuns",
  "effectiveValid",
  "phraseHits",
] as const satisfies readonly (keyof SegmentTally)[];
const WIDTH = FIELDS.length + 1; // + the session

/**
 * Tallies kept until the end, for profiles whose rules span sessions (JD's re-consultation):
 * which day a segment counts on is only known once every session has been read.
 */
export class DeferredTallies {
  private data = new Float64Array(WIDTH * 1024);
  size = 0;

  push(session: number, t: SegmentTally): void {
    if ((this.size + 1) * WIDTH > this.data.length) this.data = grow(this.data, (this.size + 1) * WIDTH);
    const at = this.size * WIDTH;
    this.data[at] = session;
    for (let f = 0; f < FIELDS.length; f++) this.data[at + 1 + f] = Number(t[FIELDS[f]!]);
    this.size++;
  }

  /** Tallies over a dump's array (adopted, not copied). */
  static fromDump(d: { data: Float64Array<ArrayBuffer>; size: number }): DeferredTallies {
    const t = new DeferredTallies();
    if (d.data.length > 0) t.data = d.data;
    t.size = d.size;
    return t;
  }

  dump(): { data: Float64Array<ArrayBuffer>; size: number } {
    return { data: this.data.subarray(0, this.size * WIDTH), size: this.size };
  }

  /** Adds another part's kept tallies, its sessions moved by `sessionBase` and agents renamed. */
  append(
    other: { data: Float64Array; size: number },
    sessionBase: number,
    agentOf: (local: number) => number,
  ): void {
    const owner = 1 + FIELDS.indexOf("owner");
    for (let i = 0; i < other.size; i++) {
      if ((this.size + 1) * WIDTH > this.data.length) this.data = grow(this.data, (this.size + 1) * WIDTH);
      const to = this.size * WIDTH;
      this.data.set(other.data.subarray(i * WIDTH, (i + 1) * WIDTH), to);
      this.data[to] = this.data[to]! + sessionBase;
      const local = this.data[to + owner]!;
      this.data[to + owner] = local < 0 ? -1 : agentOf(local);
      this.size++;
    }
  }

  /** Calls `fn` with each kept tally, rebuilt into `t`. */
  forEach(t: SegmentTally, fn: (session: number, t: SegmentTally) => void): void {
    const record = t as unknown as Record<string, number | boolean>;
    for (let i = 0; i < this.size; i++) {
      const at = i * WIDTH;
      for (let f = 0; f < FIELDS.length; f++) {
        const name = FIELDS[f]!;
        const v = this.data[at + 1 + f]!;
        record[name] =
          name === "transferredOut" ||
          name === "transferRequested" ||
          name === "firstAnswered" ||
          name === "effectiveValid"
            ? v === 1
            : v;
      }
      fn(this.data[at]!, t);
    }
  }
}
