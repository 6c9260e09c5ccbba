import { TimestampParser } from "./bytes.ts";
import {
  CANONICAL_HEADER,
  CANONICAL_HEADER_WITH_REASON,
  FALLBACK,
  readCanonicalLine,
} from "./canonical-lines.ts";
import {
  EVENT,
  EVENT_NAMES,
  eventCode,
  FROM,
  FROM_NAMES,
  fromCode,
  isCustomerRequest,
  kindOf,
  MESSAGE_COLUMNS,
  REQUESTED_TRANSFER,
  REQUIRED_MESSAGE_COLUMNS,
} from "./codes.ts";
import { type CsvRecord, CsvScanner, fieldText } from "./csv.ts";
import type { MessageSink } from "./message-sink.ts";

/**
 * Reads message lines, CSV bytes or JSON Lines text, into coded fields and hands each good line
 * to the analyzer. A bad line is reported with its line number and reason and not counted.
 */

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
const TRANSFER_REASON = 8;
const TEXT = 9;
const utf8 = new TextDecoder();

function show(bytes: Uint8Array, start: number, end: number): string {
  const text = utf8.decode(bytes.subarray(start, Math.min(end, start + 60)));
  return JSON.stringify(end - start > 60 ? `${text}…` : text);
}

/** Checks a line's coded fields and passes it on; shared by CSV and JSON Lines. */
function takeLine(
  clock: TimestampParser,
  sink: MessageSink,
  file: string,
  line: number,
  b: Uint8Array,
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  present: ArrayLike<number>,
): void {
  const ts = clock.parse(b, starts[TS]!, ends[TS]!);
  if (Number.isNaN(ts)) {
    sink.problem(file, line, `ts: ${show(b, starts[TS]!, ends[TS]!)} is not an ISO-8601 time with an offset`);
    return;
  }
  if (starts[SESSION] === ends[SESSION]) {
    sink.problem(file, line, "session is empty");
    return;
  }
  const from = fromCode(b, starts[FROM_COL]!, ends[FROM_COL]!);
  if (from < 0) {
    sink.problem(
      file,
      line,
      `from: ${show(b, starts[FROM_COL]!, ends[FROM_COL]!)} is not one of ${FROM_NAMES.join(", ")}`,
    );
    return;
  }
  const event = present[EVENT_COL] ? eventCode(b, starts[EVENT_COL]!, ends[EVENT_COL]!) : EVENT.message;
  if (event < 0) {
    sink.problem(
      file,
      line,
      `event: ${show(b, starts[EVENT_COL]!, ends[EVENT_COL]!)} is not one of ${EVENT_NAMES.join(", ")}`,
    );
    return;
  }
  let toAgent = -1;
  if (event === EVENT.transfer) {
    if (!present[TO_AGENT] || starts[TO_AGENT] === ends[TO_AGENT]) {
      sink.problem(file, line, "a transfer needs to_agent");
      return;
    }
    toAgent = sink.internAgent(-1, b, starts[TO_AGENT]!, ends[TO_AGENT]!);
  }
  if (event === EVENT.leave_message && from !== FROM.customer) {
    sink.problem(file, line, "leave_message comes from the customer");
    return;
  }
  const session = sink.internSession(b, starts[SESSION]!, ends[SESSION]!);
  const agent =
    present[AGENT] && starts[AGENT] !== ends[AGENT]
      ? sink.internAgent(session, b, starts[AGENT]!, ends[AGENT]!)
      : -1;
  const shop = present[SHOP]
    ? sink.internShop(session, b, starts[SHOP]!, ends[SHOP]!)
    : sink.internShop(session, b, 0, 0);
  // A session has one customer: read it only until the session knows it.
  const customer =
    starts[CUSTOMER] !== ends[CUSTOMER] && sink.needsCustomer(session)
      ? sink.internCustomer(session, shop, b, starts[CUSTOMER]!, ends[CUSTOMER]!)
      : -1;
  let note = 0;
  if (from === FROM.agent && event === EVENT.message && present[TEXT])
    note = sink.matchPhrase(shop, b, starts[TEXT]!, ends[TEXT]!);
  else if (
    event === EVENT.transfer &&
    present[TRANSFER_REASON] &&
    isCustomerRequest(b, starts[TRANSFER_REASON]!, ends[TRANSFER_REASON]!)
  )
    note = REQUESTED_TRANSFER;
  const refused = sink.addMessage(
    line,
    session,
    ts,
    kindOf(from, event),
    agent,
    toAgent,
    note,
    shop,
    customer,
  );
  if (refused) sink.problem(file, line, refused);
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Message CSV. The header is read with the general scanner; data lines with a loop specialised
 * for them (one pass, fields located in place, nothing allocated), the hottest code of the
 * project: see docs/benchmarks.md before changing it.
 */
export class MessageCsvReader {
  private readonly clock = new TimestampParser();
  private readonly headerScanner = new CsvScanner(64);
  /** For each column of the file, its place in MESSAGE_COLUMNS, or -1 if not used. */
  private roles = new Int32Array(0);
  private readonly present = new Uint8Array(MESSAGE_COLUMNS.length);
  private readonly starts = new Int32Array(MESSAGE_COLUMNS.length);
  private readonly ends = new Int32Array(MESSAGE_COLUMNS.length);
  private width = -1;
  private line = 1;
  /** The header is the documented one: lines take the fast path (canonical-lines.ts). */
  private canonical = false;
  /** The documented header with transfer_reason before the text. */
  private canonicalWithReason = false;
  private readonly onHeader = (record: CsvRecord) => this.header(record);

  constructor(
    private readonly sink: MessageSink,
    private readonly file: string,
  ) {}

  /** False until a header with the required columns has been read. */
  get ready(): boolean {
    return this.width > 0;
  }

  /** Lines read so far, the header included. */
  get linesRead(): number {
    return this.line - 1;
  }

  /** Reads the complete lines of bytes[start, end); returns where the unread tail starts. */
  push(b: Uint8Array, start: number, end: number, final: boolean): number {
    let pos = start;
    if (this.width < 0) {
      pos = this.headerScanner.scan(b, start, end, final, this.onHeader, 1);
      if (pos < 0) {
        this.sink.problem(this.file, 1, "the header has more than 64 columns; is this a messages file?");
        this.width = 0;
        return end;
      }
      if (this.width < 0) return pos;
    }
    if (this.width === 0) return end;
    // A line feed just past the data lets the field loops run without a bounds check; the byte
    // is restored before returning. Without room for it, lines are read with bounds checks.
    const sentinel = end < b.length;
    const saved = sentinel ? b[end]! : 0;
    if (sentinel) b[end] = LF;
    try {
      return this.lines(b, pos, end, final, sentinel);
    } finally {
      if (sentinel) b[end] = saved;
    }
  }

  private lines(b: Uint8Array, pos: number, end: number, final: boolean, sentinel: boolean): number {
    const width = this.width;
    const lastField = width - 1;
    const roles = this.roles;
    const textLast = roles[lastField] === TEXT;
    const starts = this.starts;
    const ends = this.ends;
    const canonical = this.canonical;
    while (pos < end) {
      const lineStart = pos;
      if (b[pos] === LF || b[pos] === CR) {
        // A blank line.
        if (b[pos] === CR && pos + 1 >= end && !final) return lineStart;
        pos += b[pos] === CR && b[pos + 1] === LF ? 2 : 1;
        this.line++;
        continue;
      }
      if (canonical) {
        const next = readCanonicalLine(
          this.sink,
          this.clock,
          this.file,
          b,
          pos,
          end,
          this.line,
          this.canonicalWithReason,
        );
        if (next !== FALLBACK) {
          this.line++;
          pos = next;
          continue;
        }
      }
      let fields = 0;
      let newlines = 0;
      let complete = false;
      for (;;) {
        const fieldStart = pos;
        let fieldEnd: number;
        if (b[pos] === QUOTE && pos < end) {
          const closed = this.quoted(b, pos + 1, end, final);
          if (closed < 0) return lineStart;
          newlines += this.quotedNewlines;
          fieldEnd = closed;
          pos = closed < end ? closed + 1 : end;
          while (pos < end && b[pos] !== COMMA && b[pos] !== LF && b[pos] !== CR) pos++;
          if (fields < width && roles[fields]! >= 0) {
            starts[roles[fields]!] = fieldStart + 1;
            ends[roles[fields]!] = fieldEnd;
          }
        } else {
          if (fields === lastField && textLast) {
            // The free text at the end of the line: an unquoted field cannot hold a line break
            // (RFC 4180), so the line ends at the next line feed, which indexOf finds faster than
            // a loop can. A comma in it is taken as part of the text.
            const lf = b.indexOf(LF, pos);
            pos = lf < 0 || lf >= end ? end : b[lf - 1] === CR && lf - 1 >= pos ? lf - 1 : lf;
          } else if (sentinel) {
            // Most bytes are letters, digits or UTF-8 (all above the comma): one compare each.
            for (;;) {
              const c = b[pos]!;
              if (c <= COMMA && (c === COMMA || c === LF || c === CR)) break;
              pos++;
            }
          } else {
            while (pos < end) {
              const c = b[pos]!;
              if (c === COMMA || c === LF || c === CR) break;
              pos++;
            }
          }
          fieldEnd = pos;
          if (fields < width && roles[fields]! >= 0) {
            starts[roles[fields]!] = fieldStart;
            ends[roles[fields]!] = fieldEnd;
          }
        }
        fields++;
        if (pos >= end) {
          complete = final;
          break;
        }
        const c = b[pos];
        if (c === COMMA) {
          pos++;
          continue;
        }
        if (c === CR) {
          if (pos + 1 >= end && !final) break;
          pos += b[pos + 1] === LF ? 2 : 1;
        } else pos++; // LF
        complete = true;
        break;
      }
      if (!complete) return lineStart;
      const line = this.line;
      this.line += newlines + 1;
      if (fields !== width)
        this.sink.problem(this.file, line, `expected ${width} fields as in the header, found ${fields}`);
      else takeLine(this.clock, this.sink, this.file, line, b, starts, ends, this.present);
    }
    return pos;
  }

  private quotedNewlines = 0;

  /** From just after an opening quote: the position of the closing quote, or -1 if not in the buffer yet. */
  private quoted(b: Uint8Array, pos: number, end: number, final: boolean): number {
    let newlines = 0;
    for (;;) {
      while (pos < end && b[pos] !== QUOTE) {
        if (b[pos] === LF) newlines++;
        pos++;
      }
      if (pos + 1 >= end) {
        if (!final) return -1;
        break;
      }
      if (b[pos + 1] === QUOTE) pos += 2;
      else break;
    }
    this.quotedNewlines = newlines;
    return Math.min(pos, end);
  }

  private header(r: CsvRecord): void {
    this.roles = new Int32Array(r.count).fill(-1);
    for (let k = 0; k < r.count; k++) {
      const name = fieldText(r, k)
        .replace(/^\uFEFF/, "")
        .trim()
        .toLowerCase();
      const c = COLUMN_INDEX[name];
      if (c !== undefined && !this.present[c]) {
        this.roles[k] = c;
        this.present[c] = 1;
      }
    }
    this.line = r.line + 1;
    const header = Array.from({ length: r.count }, (_, k) =>
      fieldText(r, k)
        .replace(/^\uFEFF/, "")
        .trim(),
    ).join(",");
    this.canonicalWithReason = header === CANONICAL_HEADER_WITH_REASON;
    this.canonical = header === CANONICAL_HEADER || this.canonicalWithReason;
    const missing = REQUIRED_MESSAGE_COLUMNS.filter((c) => !this.present[COLUMN_INDEX[c]!]);
    if (missing.length) {
      this.width = 0;
      this.sink.problem(
        this.file,
        r.line,
        `the header lacks ${missing.join(", ")} (columns: ${MESSAGE_COLUMNS.join(",")})`,
      );
      return;
    }
    this.width = r.count;
  }
}

/** JSON Lines: one object per line with the same keys as the CSV columns. */
export class MessageJsonReader {
  private readonly clock = new TimestampParser();
  private readonly encoder = new TextEncoder();
  private buffer = new Uint8Array(4096);
  private readonly starts = new Int32Array(MESSAGE_COLUMNS.length);
  private readonly ends = new Int32Array(MESSAGE_COLUMNS.length);
  private readonly present = new Uint8Array(MESSAGE_COLUMNS.length);

  constructor(
    private readonly sink: MessageSink,
    private readonly file: string,
  ) {}

  private lineNo = 0;
  private readonly byteStarts = new Int32Array(MESSAGE_COLUMNS.length);
  private readonly byteEnds = new Int32Array(MESSAGE_COLUMNS.length);
  private readonly bytePresent = new Uint8Array(MESSAGE_COLUMNS.length);

  /**
   * Reads the complete lines of bytes[start, end) (JSON Lines as bytes, like the CSV reader):
   * flat objects of plain strings are read in place; a line with escapes, nesting or anything
   * unusual goes through JSON.parse. Returns where the unread tail starts.
   */
  push(b: Uint8Array, start: number, end: number, final: boolean): number {
    let pos = start;
    while (pos < end) {
      let lf = b.indexOf(LF, pos);
      if (lf < 0 || lf >= end) {
        if (!final) return pos;
        lf = end;
      }
      this.lineNo++;
      const lineEnd = lf > pos && b[lf - 1] === CR ? lf - 1 : lf;
      if (!this.flatLine(b, pos, lineEnd))
        this.line(utf8.decode(b.subarray(pos, lineEnd)), this.lineNo, true);
      pos = lf + 1;
    }
    return Math.min(pos, end);
  }

  /** A flat object of strings (or null) read in place; false if the line needs JSON.parse. */
  private flatLine(b: Uint8Array, start: number, end: number): boolean {
    const starts = this.byteStarts;
    const ends = this.byteEnds;
    const present = this.bytePresent;
    present.fill(0);
    let p = skipSpace(b, start, end);
    if (p >= end) return true; // a blank line
    if (b[p] !== 123) return false; // {
    p = skipSpace(b, p + 1, end);
    if (b[p] === 125) return false; // {} is not a message: let the general path say so
    for (;;) {
      if (b[p] !== QUOTE) return false;
      const keyStart = p + 1;
      const keyEnd = b.indexOf(QUOTE, keyStart);
      if (keyEnd < 0 || keyEnd >= end) return false;
      const column = jsonColumn(b, keyStart, keyEnd);
      p = skipSpace(b, keyEnd + 1, end);
      if (b[p] !== 58) return false; // :
      p = skipSpace(b, p + 1, end);
      if (b[p] === QUOTE) {
        const valueStart = p + 1;
        let q = valueStart;
        while (q < end && b[q] !== QUOTE) {
          if (b[q] === 92) return false; // an escape: JSON.parse reads it
          q++;
        }
        if (q >= end) return false;
        if (column >= 0) {
          starts[column] = valueStart;
          ends[column] = q;
          present[column] = 1;
        }
        p = q + 1;
      } else if (b[p] === 110 && b[p + 1] === 117 && b[p + 2] === 108 && b[p + 3] === 108) {
        if (column >= 0) {
          starts[column] = p;
          ends[column] = p;
          present[column] = 1;
        }
        p += 4;
      } else return false;
      p = skipSpace(b, p, end);
      if (b[p] === COMMA) {
        p = skipSpace(b, p + 1, end);
        continue;
      }
      if (b[p] !== 125 || skipSpace(b, p + 1, end) !== end) return false;
      break;
    }
    if (!present[TS] || !present[SESSION] || !present[CUSTOMER] || !present[FROM_COL]) return false;
    takeLine(this.clock, this.sink, this.file, this.lineNo, b, starts, ends, present);
    return true;
  }

  /** Reads one line of text (without its line break). */
  line(text: string, line: number, counted = false): void {
    if (!counted) this.lineNo = line;
    if (text.trim() === "") return;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      this.sink.problem(this.file, line, `not valid JSON: ${(error as Error).message}`);
      return;
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      this.sink.problem(this.file, line, "a line holds one JSON object");
      return;
    }
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
    if (missing.length) {
      this.sink.problem(this.file, line, `missing ${missing.join(", ")}`);
      return;
    }
    takeLine(this.clock, this.sink, this.file, line, this.buffer, this.starts, this.ends, this.present);
  }

  private grow(min: number): void {
    const next = new Uint8Array(Math.max(min, this.buffer.length * 2));
    next.set(this.buffer);
    this.buffer = next;
  }
}

function skipSpace(b: Uint8Array, p: number, end: number): number {
  while (p < end && (b[p] === 32 || b[p] === 9)) p++;
  return p;
}

/** The MESSAGE_COLUMNS place of a JSON key in bytes, or -1 for a key the messages do not use. */
function jsonColumn(b: Uint8Array, start: number, end: number): number {
  const is = (name: string) => {
    for (let i = 0; i < name.length; i++) if (b[start + i] !== name.charCodeAt(i)) return false;
    return true;
  };
  switch (end - start) {
    case 2:
      return is("ts") ? TS : -1;
    case 4:
      return is("shop") ? SHOP : is("from") ? FROM_COL : is("text") ? TEXT : -1;
    case 5:
      return is("agent") ? AGENT : is("event") ? EVENT_COL : -1;
    case 7:
      return is("session") ? SESSION : -1;
    case 8:
      return is("customer") ? CUSTOMER : is("to_agent") ? TO_AGENT : -1;
    case 15:
      return is("transfer_reason") ? TRANSFER_REASON : -1;
    default:
      return -1;
  }
}

/**
 * Where a line that looks like a message line starts, at or after `from`: used to cut a file into
 * parts for several cores. A candidate (the byte after a line feed) must hold exactly `width`
 * fields, quotes respected, with a time in column `tsColumn`, so a line break inside a quoted
 * text is not taken for the end of a line. Returns -1 if none is found before `end`.
 */
export function findLineStart(
  b: Uint8Array,
  from: number,
  end: number,
  width: number,
  tsColumn: number,
): number {
  const clock = new TimestampParser();
  for (let lf = b.indexOf(LF, from); lf >= 0 && lf + 1 < end; lf = b.indexOf(LF, lf + 1)) {
    if (looksLikeLine(b, lf + 1, end, width, tsColumn, clock)) return lf + 1;
  }
  return -1;
}

function looksLikeLine(
  b: Uint8Array,
  start: number,
  end: number,
  width: number,
  tsColumn: number,
  clock: TimestampParser,
): boolean {
  let pos = start;
  for (let field = 0; field < width; field++) {
    const fieldStart = pos;
    if (b[pos] === QUOTE) {
      pos++;
      for (;;) {
        while (pos < end && b[pos] !== QUOTE) pos++;
        if (pos + 1 < end && b[pos + 1] === QUOTE) pos += 2;
        else break;
      }
      if (pos >= end) return false;
      pos++;
    } else {
      while (pos < end && b[pos] !== COMMA && b[pos] !== LF && b[pos] !== CR) pos++;
    }
    if (field === tsColumn && Number.isNaN(clock.parse(b, fieldStart, pos))) return false;
    if (pos >= end) return false;
    const last = field === width - 1;
    if (last ? b[pos] !== LF && b[pos] !== CR : b[pos] !== COMMA) return false;
    pos++;
  }
  return true;
}
