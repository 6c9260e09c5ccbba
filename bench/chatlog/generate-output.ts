/**
 * Writing the generated files: messages in CSV and/or JSON Lines, orders, ratings and reviews.
 * Lines are held by hour until no earlier line can come, then sorted and written as UTF-8 bytes
 * straight into ~1 MB buffers handed to file streams that are allowed to drain. Lines are kept
 * as columns and their pieces encoded once (texts, agents, a session's ids), so 10 M lines make
 * neither 10 M objects nor 10 M strings.
 */
import { basename, join } from "node:path";
import { ByteFile, PrefixArena } from "./generate-bytes.ts";
import { HOUR_MS, MAX_TIMESTAMP_BYTES, type TimeStyle } from "./generate-calendar.ts";
import { LineBucket, type LineWriter, SideBuckets, type SideRecord } from "./generate-hours.ts";
import { LINE_KINDS, type SessionInfo, type SessionLines } from "./generate-lines.ts";
import type { Agent } from "./generate-people.ts";
import { Random } from "./generate-random.ts";
import type { Text } from "./generate-texts.ts";

export type Format = "csv" | "jsonl" | "both";
/** `time`: one export sorted by ts; `session`: grouped by session with a few lines out of order. */
export type LineOrder = "time" | "session";

export const MESSAGE_COLUMNS = [
  "ts",
  "session",
  "shop",
  "customer",
  "agent",
  "from",
  "event",
  "to_agent",
  "transfer_reason",
  "text",
];

export const SIDE_TABLES = {
  orders: ["order", "shop", "customer", "paid_at", "amount", "cod"],
  ratings: ["session", "agent", "score", "at"],
  reviews: ["order", "customer", "agent", "rating", "at", "text"],
} as const;
export type SideTable = keyof typeof SIDE_TABLES;

export type { SideRecord } from "./generate-hours.ts";

/** Share of a session's lines (in session order) swapped with the line before. */
const OUT_OF_ORDER_SHARE = 0.01;

const utf8 = (text: string): Uint8Array => Buffer.from(text);
const NO_BYTES = new Uint8Array(0);

/** The parts of a line between the variable fields, in each format. */
const CSV = {
  kinds: LINE_KINDS.map(([from, event]) => utf8(`,${from},${event},`)),
  /** Between to_agent and the text: the transfer reason in its column. */
  reasons: LINE_KINDS.map(([, , reason]) => utf8(`,${reason},`)),
  comma: 44,
  newline: 10,
};
const JSON_PARTS = {
  start: utf8('{"ts":"'),
  kinds: LINE_KINDS.map(([from, event]) => utf8(`","from":"${from}","event":"${event}","to_agent":"`)),
  /** JSON Lines carry the key only on a transfer the customer asked for. */
  texts: LINE_KINDS.map(([, , reason]) =>
    utf8(reason ? `","transfer_reason":"${reason}","text":` : '","text":'),
  ),
  end: utf8("}\n"),
};
const longest = (parts: readonly Uint8Array[]) => Math.max(...parts.map((part) => part.length));
/** Bytes of a line besides the session fields, agents and text: at most this many. */
const CSV_FIXED_BYTES = MAX_TIMESTAMP_BYTES + longest(CSV.kinds) + longest(CSV.reasons) + 2;
const JSON_FIXED_BYTES =
  JSON_PARTS.start.length +
  MAX_TIMESTAMP_BYTES +
  longest(JSON_PARTS.kinds) +
  longest(JSON_PARTS.texts) +
  JSON_PARTS.end.length;

/** Renders message lines into the CSV and/or JSON Lines file. */
class MessageWriter implements LineWriter {
  constructor(
    private readonly csv: ByteFile | undefined,
    private readonly json: ByteFile | undefined,
  ) {}

  /** Adds `session`'s fixed fields, in the formats written, to `arena`; returns where. */
  addPrefix(arena: PrefixArena, session: SessionInfo): number {
    const { id, shop, customer } = session;
    return arena.add(
      this.csv ? `${id},${shop.name},${customer},` : "",
      this.json ? `","session":"${id}","shop":"${shop.name}","customer":"${customer}","agent":"` : "",
    );
  }

  /** Writes a line whose session fields are at `prefix` in `prefixes` (see PrefixArena). */
  line(
    prefixes: Uint8Array,
    prefix: number,
    ts: number,
    style: TimeStyle,
    kind: number,
    agent: Agent | undefined,
    toAgent: Agent | undefined,
    text: Text,
  ): void {
    const agentBytes = agent?.bytes ?? NO_BYTES;
    const toAgentBytes = toAgent?.bytes ?? NO_BYTES;
    const csvLength = prefixes[prefix]! | (prefixes[prefix + 1]! << 8);
    const csv = this.csv;
    if (csv !== undefined) {
      csv.room(CSV_FIXED_BYTES + csvLength + agentBytes.length + toAgentBytes.length + text.csvBytes.length);
      csv.timestamp(ts, style);
      csv.byte(CSV.comma);
      csv.copy(prefixes, prefix + 4, csvLength);
      csv.bytes(agentBytes);
      csv.bytes(CSV.kinds[kind]!);
      csv.bytes(toAgentBytes);
      csv.bytes(CSV.reasons[kind]!);
      csv.bytes(text.csvBytes);
      csv.byte(CSV.newline);
    }
    const json = this.json;
    if (json !== undefined) {
      const jsonLength = prefixes[prefix + 2]! | (prefixes[prefix + 3]! << 8);
      json.room(
        JSON_FIXED_BYTES + jsonLength + agentBytes.length + toAgentBytes.length + text.jsonBytes.length,
      );
      json.bytes(JSON_PARTS.start);
      json.timestamp(ts, style);
      json.copy(prefixes, prefix + 4 + csvLength, jsonLength);
      json.bytes(agentBytes);
      json.bytes(JSON_PARTS.kinds[kind]!);
      json.bytes(toAgentBytes);
      json.bytes(JSON_PARTS.texts[kind]!);
      json.bytes(text.jsonBytes);
      json.bytes(JSON_PARTS.end);
    }
  }
}

interface SideFiles {
  readonly csv: ByteFile;
  readonly json: ByteFile | undefined;
  readonly buckets: SideBuckets;
}

export class ChatlogOutput {
  private readonly messagesCsv: ByteFile | undefined;
  private readonly messagesJson: ByteFile | undefined;
  private readonly writer: MessageWriter;
  /** Lines waiting by hour (from the origin); in `session` order nothing waits. */
  private readonly hours = new Map<number, LineBucket>();
  private readonly spareBuckets: LineBucket[] = [];
  /** The session fields of the session being written in `session` order. */
  private readonly sessionPrefix = new PrefixArena();
  /** The first hour not yet written: no line may come for an earlier one. */
  private nextHour = 0;
  private readonly sides: Record<SideTable, SideFiles>;
  /** Its own sequence, so `--order session` holds the same data as `--order time`. */
  private readonly reorder: Random;
  /** Orders, ratings and reviews are written as JSON Lines too. */
  readonly sidesAsJson: boolean;

  constructor(
    dir: string,
    format: Format,
    private readonly order: LineOrder,
    private readonly origin: number,
    seed: number,
  ) {
    const json = format !== "csv";
    this.sidesAsJson = json;
    this.messagesCsv = format !== "jsonl" ? new ByteFile(join(dir, "messages.csv")) : undefined;
    this.messagesJson = json ? new ByteFile(join(dir, "messages.jsonl")) : undefined;
    this.messagesCsv?.string(`${MESSAGE_COLUMNS.join(",")}\n`);
    this.writer = new MessageWriter(this.messagesCsv, this.messagesJson);
    this.reorder = new Random(seed, 1);
    const side = (table: SideTable): SideFiles => {
      const csv = new ByteFile(join(dir, `${table}.csv`));
      csv.string(`${SIDE_TABLES[table].join(",")}\n`);
      const jsonFile = json ? new ByteFile(join(dir, `${table}.jsonl`)) : undefined;
      return { csv, json: jsonFile, buckets: new SideBuckets(origin) };
    };
    this.sides = { orders: side("orders"), ratings: side("ratings"), reviews: side("reviews") };
  }

  /** A session's lines (in its time order). */
  addSession(lines: SessionLines): void {
    if (this.order === "time") {
      for (let i = 0; i < lines.count; i++) this.bucketOf(lines.ts[i]!).add(lines, i, this.writer);
      return;
    }
    // Exports grouped by session are not always sorted inside a session either.
    const order = Array.from({ length: lines.count }, (_, i) => i);
    for (let i = 1; i < order.length; i++) {
      if (this.reorder.chance(OUT_OF_ORDER_SHARE)) {
        [order[i - 1], order[i]] = [order[i]!, order[i - 1]!];
        i++;
      }
    }
    this.sessionPrefix.clear();
    const prefix = this.writer.addPrefix(this.sessionPrefix, lines.session!);
    const prefixes = this.sessionPrefix.bytes;
    for (const i of order) {
      const { ts, style, kind, agent, toAgent, text } = lines;
      this.writer.line(prefixes, prefix, ts[i]!, style[i]!, kind[i]!, agent[i], toAgent[i], text[i]!);
    }
  }

  addSide(table: SideTable, record: SideRecord): void {
    this.sides[table].buckets.add(record);
  }

  /** Writes everything dated before the end of `hour` (hours counted from the origin). */
  async flushThrough(hour: number): Promise<void> {
    await this.writeHoursThrough(hour);
    this.nextHour = Math.max(this.nextHour, hour + 1);
    for (const files of Object.values(this.sides)) writeSide(files, files.buckets.take(hour));
  }

  /** Waits for the files that asked to drain. */
  async drain(): Promise<void> {
    for (const file of this.files()) await file.drain();
  }

  /** Writes what is left, closes the files; returns their paths by name and the bytes written. */
  async close(): Promise<{ files: Record<string, string>; bytes: number }> {
    await this.writeHoursThrough(Number.POSITIVE_INFINITY);
    for (const files of Object.values(this.sides)) writeSide(files, files.buckets.take());
    const files: Record<string, string> = {};
    let bytes = 0;
    for (const file of this.files()) {
      bytes += await file.close();
      files[basename(file.path)] = file.path;
    }
    return { files, bytes };
  }

  private bucketOf(ts: number): LineBucket {
    const hour = Math.floor((ts - this.origin) / HOUR_MS);
    if (hour < this.nextHour)
      throw new Error(`generator bug: a line at ${ts} came after its hour was written`);
    let bucket = this.hours.get(hour);
    if (bucket === undefined) {
      const hourStart = this.origin + hour * HOUR_MS;
      bucket = this.spareBuckets.pop() ?? new LineBucket();
      bucket.hourStart = hourStart;
      this.hours.set(hour, bucket);
    }
    return bucket;
  }

  private async writeHoursThrough(last: number): Promise<void> {
    const hours = [...this.hours.keys()].filter((hour) => hour <= last).sort((a, b) => a - b);
    for (const hour of hours) {
      const bucket = this.hours.get(hour)!;
      this.hours.delete(hour);
      await bucket.writeSorted(this.writer, () => this.drain());
      bucket.clear();
      this.spareBuckets.push(bucket);
    }
  }

  private files(): ByteFile[] {
    const all = [this.messagesCsv, this.messagesJson];
    for (const side of Object.values(this.sides)) all.push(side.csv, side.json);
    return all.filter((file) => file !== undefined);
  }
}

function writeSide(files: SideFiles, records: readonly SideRecord[]): void {
  for (const record of records) {
    files.csv.string(record.csv);
    files.json?.string(record.json);
  }
}
