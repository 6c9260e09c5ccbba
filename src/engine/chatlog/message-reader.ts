import { parseTimestamp } from "./bytes.ts";
import { EVENT, EVENT_NAMES, eventCode, FROM, FROM_NAMES, fromCode, kindOf, MESSAGE_COLUMNS, REQUIRED_MESSAGE_COLUMNS } from "./codes.ts";
import { type CsvRecord, CsvScanner, fieldText } from "./csv.ts";

/**
 * Reads message lines, CSV bytes or JSON Lines text, into coded fields and hands each good line
 * to the analyzer. A bad line is reported with its line number and reason and not counted.
 */

/** What the readers need from the analyzer. */
export interface MessageSink {
  internSession(bytes: Uint8Array, start: number, end: number): number;
  internShop(bytes: Uint8Array, start: number, end: number): number;
  internAgent(bytes: Uint8Array, start: number, end: number): number;
  internCustomer(bytes: Uint8Array, start: number, end: number): number;
  matchPhrase(bytes: Uint8Array, start: number, end: number): number;
  /** Adds a good line; returns a reason if it cannot be taken (its session is already complete). */
  addMessage(line: number, session: number, ts: number, kind: number, agent: number, toAgent: number, phrase: number, shop: number, customer: number): string | undefined;
  problem(file: string, line: number, reason: string): void;
}

const COLUMN_INDEX: Record<string, number> = Object.fromEntries(MESSAGE_COLUMNS.map((c, i) => [c, i]));
// Positions in MESSAGE_COLUMNS.
const TS = 0;
const SESSION = 1;
const SHOP = 2;
const CUSTOMER = 3;
const AGENT = 4;
const FROM_COL = 5;
const EVENT_COL = 6;
const TO_AGENT = 7;
const TEXT = 8;
const utf8 = new TextDecoder();

function show(bytes: Uint8Array, start: number, end: number): string {
  const text = utf8.decode(bytes.subarray(start, Math.min(end, start + 60)));
  return JSON.stringify(end - start > 60 ? `${text}…` : text);
}

/** Checks a line's coded fields and passes it on; shared by CSV and JSON Lines. */
function takeLine(
  sink: MessageSink,
  file: string,
  line: number,
  b: Uint8Array,
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  present: ArrayLike<number>,
): void {
  const ts = parseTimestamp(b, starts[TS]!, ends[TS]!);
  if (Number.isNaN(ts)) return sink.problem(file, line, `ts: ${show(b, starts[TS]!, ends[TS]!)} is not an ISO-8601 time with an offset`);
  if (starts[SESSION] === ends[SESSION]) return sink.problem(file, line, "session is empty");
  const from = fromCode(b, starts[FROM_COL]!, ends[FROM_COL]!);
  if (from < 0) return sink.problem(file, line, `from: ${show(b, starts[FROM_COL]!, ends[FROM_COL]!)} is not one of ${FROM_NAMES.join(", ")}`);
  const event = present[EVENT_COL] ? eventCode(b, starts[EVENT_COL]!, ends[EVENT_COL]!) : EVENT.message;
  if (event < 0) return sink.problem(file, line, `event: ${show(b, starts[EVENT_COL]!, ends[EVENT_COL]!)} is not one of ${EVENT_NAMES.join(", ")}`);
  let toAgent = -1;
  if (event === EVENT.transfer) {
    if (!present[TO_AGENT] || starts[TO_AGENT] === ends[TO_AGENT]) return sink.problem(file, line, "a transfer needs to_agent");
    toAgent = sink.internAgent(b, starts[TO_AGENT]!, ends[TO_AGENT]!);
  }
  if (event === EVENT.leave_message && from !== FROM.customer) return sink.problem(file, line, "leave_message comes from the customer");
  const agent = present[AGENT] && starts[AGENT] !== ends[AGENT] ? sink.internAgent(b, starts[AGENT]!, ends[AGENT]!) : -1;
  const shop = present[SHOP] ? sink.internShop(b, starts[SHOP]!, ends[SHOP]!) : sink.internShop(b, 0, 0);
  const customer = starts[CUSTOMER] !== ends[CUSTOMER] ? sink.internCustomer(b, starts[CUSTOMER]!, ends[CUSTOMER]!) : -1;
  const phrase = from === FROM.agent && event === EVENT.message && present[TEXT] ? sink.matchPhrase(b, starts[TEXT]!, ends[TEXT]!) : 0;
  const session = sink.internSession(b, starts[SESSION]!, ends[SESSION]!);
  const refused = sink.addMessage(line, session, ts, kindOf(from, event), agent, toAgent, phrase, shop, customer);
  if (refused) sink.problem(file, line, refused);
}

export class MessageCsvReader {
  private readonly scanner = new CsvScanner(64);
  private readonly column = new Int32Array(MESSAGE_COLUMNS.length).fill(-1);
  private readonly present = new Uint8Array(MESSAGE_COLUMNS.length);
  private readonly starts = new Int32Array(MESSAGE_COLUMNS.length);
  private readonly ends = new Int32Array(MESSAGE_COLUMNS.length);
  private width = -1;
  private readonly onRecord = (record: CsvRecord) => this.record(record);

  constructor(
    private readonly sink: MessageSink,
    private readonly file: string,
  ) {}

  /** Reads the complete lines of bytes[start, end); returns where the unread tail starts. */
  push(bytes: Uint8Array, start: number, end: number, final: boolean): number {
    const consumed = this.scanner.scan(bytes, start, end, final, this.onRecord);
    if (consumed < 0) {
      this.sink.problem(this.file, 0, "a line has more than 64 fields; is this a messages file?");
      return end;
    }
    return consumed;
  }

  /** False until a header with the required columns has been read. */
  get ready(): boolean {
    return this.width > 0;
  }

  private record(r: CsvRecord): void {
    if (this.width < 0) return this.header(r);
    if (this.width === 0) return;
    if (r.count !== this.width) {
      return this.sink.problem(this.file, r.line, `expected ${this.width} fields as in the header, found ${r.count}`);
    }
    const starts = this.starts;
    const ends = this.ends;
    for (let c = 0; c < starts.length; c++) {
      const k = this.column[c]!;
      if (k >= 0) {
        starts[c] = r.starts[k]!;
        ends[c] = r.ends[k]!;
      }
    }
    takeLine(this.sink, this.file, r.line, r.bytes, starts, ends, this.present);
  }

  private header(r: CsvRecord): void {
    for (let k = 0; k < r.count; k++) {
      const name = fieldText(r, k).replace(/^\uFEFF/, "").trim().toLowerCase();
      const c = COLUMN_INDEX[name];
      if (c !== undefined && this.column[c]! < 0) {
        this.column[c] = k;
        this.present[c] = 1;
      }
    }
    const missing = REQUIRED_MESSAGE_COLUMNS.filter((c) => !this.present[COLUMN_INDEX[c]!]);
    if (missing.length) {
      this.width = 0;
      this.sink.problem(this.file, r.line, `the header lacks ${missing.join(", ")} (columns: ${MESSAGE_COLUMNS.join(",")})`);
      return;
    }
    this.width = r.count;
  }
}

/** JSON Lines: one object per line with the same keys as the CSV columns. */
export class MessageJsonReader {
  private readonly encoder = new TextEncoder();
  private buffer = new Uint8Array(4096);
  private readonly starts = new Int32Array(MESSAGE_COLUMNS.length);
  private readonly ends = new Int32Array(MESSAGE_COLUMNS.length);
  private readonly present = new Uint8Array(MESSAGE_COLUMNS.length);

  constructor(
    private readonly sink: MessageSink,
    private readonly file: string,
  ) {}

  /** Reads one line of text (without its line break). */
  line(text: string, line: number): void {
    if (text.trim() === "") return;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      return this.sink.problem(this.file, line, `not valid JSON: ${(error as Error).message}`);
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return this.sink.problem(this.file, line, "a line holds one JSON object");
    const record = doc as Record<string, unknown>;
    // Lay the fields out as bytes, as the CSV reader sees them.
    let used = 0;
    for (let c = 0; c < MESSAGE_COLUMNS.length; c++) {
      const value = record[MESSAGE_COLUMNS[c]!];
      this.present[c] = value === undefined ? 0 : 1;
      const text = value === undefined || value === null ? "" : String(value);
      if (this.buffer.length - used < text.length * 3) this.grow(used + text.length * 3);
      const { written } = this.encoder.encodeInto(text, this.buffer.subarray(used));
      this.starts[c] = used;
      this.ends[c] = used + written;
      used += written;
    }
    const missing = REQUIRED_MESSAGE_COLUMNS.filter((c) => !this.present[COLUMN_INDEX[c]!]);
    if (missing.length) return this.sink.problem(this.file, line, `missing ${missing.join(", ")}`);
    takeLine(this.sink, this.file, line, this.buffer, this.starts, this.ends, this.present);
  }

  private grow(min: number): void {
    const next = new Uint8Array(Math.max(min, this.buffer.length * 2));
    next.set(this.buffer);
    this.buffer = next;
  }
}
