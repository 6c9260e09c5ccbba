/**
 * Lines and records held by hour until no earlier one can come, then handed out in time order.
 * Lines are kept as columns (no object per line) and sorted by a numeric key.
 */
import { PrefixArena } from "./generate-bytes.ts";
import { HOUR_MS, type TimeStyle } from "./generate-calendar.ts";
import type { SessionInfo, SessionLines } from "./generate-lines.ts";
import type { Agent } from "./generate-people.ts";
import type { Text } from "./generate-texts.ts";

/** Lines per hour bucket are numbered in 24 bits of the sort key. */
const BUCKET_LIMIT = 1 << 24;
/** Lines written between checks whether a file must drain (~1 MB). */
const DRAIN_EVERY_LINES = 8192;

/** What a bucket needs of the messages writer. */
export interface LineWriter {
  /** Adds `session`'s fixed fields to `arena`; returns where. */
  addPrefix(arena: PrefixArena, session: SessionInfo): number;
  line(
    prefixes: Uint8Array,
    prefix: number,
    ts: number,
    style: TimeStyle,
    kind: number,
    agent: Agent | undefined,
    toAgent: Agent | undefined,
    text: Text,
  ): void;
}

/** A row of orders, ratings or reviews, already rendered (they are few next to the messages). */
export interface SideRecord {
  readonly ts: number;
  readonly csv: string;
  /** Empty unless `ChatlogOutput.sidesAsJson`. */
  readonly json: string;
}

/** The lines of one hour as growable columns, written out in time order. */
export class LineBucket {
  count = 0;
  hourStart = 0;
  private ts = new Float64Array(1024);
  private style = new Uint8Array(1024);
  private kind = new Uint8Array(1024);
  /** Where the line's session fields are in `prefixes`. */
  private prefix = new Int32Array(1024);
  private readonly prefixes = new PrefixArena();
  private readonly agent: Array<Agent | undefined> = [];
  private readonly toAgent: Array<Agent | undefined> = [];
  private readonly text: Text[] = [];
  /** The session whose fields were added last, and where (a session adds its lines in a row). */
  private lastSession: SessionInfo | undefined;
  private lastPrefix = 0;

  add(lines: SessionLines, i: number, writer: LineWriter): void {
    const n = this.count++;
    if (n === this.ts.length) this.grow();
    if (n >= BUCKET_LIMIT) throw new Error("more lines in one hour than the sort key can number");
    if (lines.session !== this.lastSession) {
      this.lastSession = lines.session;
      this.lastPrefix = writer.addPrefix(this.prefixes, lines.session!);
    }
    this.ts[n] = lines.ts[i]!;
    this.style[n] = lines.style[i]!;
    this.kind[n] = lines.kind[i]!;
    this.prefix[n] = this.lastPrefix;
    this.agent[n] = lines.agent[i];
    this.toAgent[n] = lines.toAgent[i];
    this.text[n] = lines.text[i]!;
  }

  /**
   * Writes the lines sorted by time, equal times in the order they came: the sort key is the ms
   * within the hour above the line's number, sorted natively as numbers.
   */
  async writeSorted(writer: LineWriter, drain: () => Promise<void>): Promise<void> {
    const keys = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) keys[i] = (this.ts[i]! - this.hourStart) * BUCKET_LIMIT + i;
    keys.sort();
    const prefixes = this.prefixes.bytes;
    for (let k = 0; k < keys.length; k++) {
      const i = keys[k]! % BUCKET_LIMIT;
      writer.line(
        prefixes,
        this.prefix[i]!,
        this.ts[i]!,
        this.style[i] as TimeStyle,
        this.kind[i]!,
        this.agent[i],
        this.toAgent[i],
        this.text[i]!,
      );
      // A busy hour is tens of MB: let the disk keep up rather than queue it all in memory.
      if (k % DRAIN_EVERY_LINES === DRAIN_EVERY_LINES - 1) await drain();
    }
  }

  /** Empties the bucket, keeping its storage but not what the lines referred to. */
  clear(): void {
    this.agent.fill(undefined, 0, this.count);
    this.toAgent.fill(undefined, 0, this.count);
    this.prefixes.clear();
    this.lastSession = undefined;
    this.count = 0;
  }

  private grow(): void {
    const ts = new Float64Array(this.ts.length * 2);
    ts.set(this.ts);
    this.ts = ts;
    const prefix = new Int32Array(this.prefix.length * 2);
    prefix.set(this.prefix);
    this.prefix = prefix;
    this.style = doubled(this.style);
    this.kind = doubled(this.kind);
  }
}

function doubled(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const bigger = new Uint8Array(bytes.length * 2);
  bigger.set(bytes);
  return bigger;
}

/** Side records held by hour (from `origin`) until every earlier one is known. */
export class SideBuckets {
  private readonly buckets = new Map<number, SideRecord[]>();

  constructor(private readonly origin: number) {}

  add(record: SideRecord): void {
    const hour = Math.floor((record.ts - this.origin) / HOUR_MS);
    const bucket = this.buckets.get(hour);
    if (bucket === undefined) this.buckets.set(hour, [record]);
    else bucket.push(record);
  }

  /** Takes the records of every hour up to `hour` (all if omitted), in time order (stable). */
  take(hour = Number.POSITIVE_INFINITY): SideRecord[] {
    const hours = [...this.buckets.keys()].filter((h) => h <= hour).sort((a, b) => a - b);
    return hours.flatMap((h) => {
      const bucket = this.buckets.get(h)!;
      this.buckets.delete(h);
      return bucket.sort((a, b) => a.ts - b.ts);
    });
  }
}
