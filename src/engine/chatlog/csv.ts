/**
 * A streaming RFC 4180 record scanner over bytes. It finds field boundaries in place, so a
 * record costs no allocation: the caller reads fields as byte ranges of the buffer it passed.
 * Quoted fields may hold commas, doubled quotes and line breaks; a record that runs past the end
 * of the buffer is left for the next call (the caller keeps the unconsumed tail).
 */

export interface CsvRecord {
  /** The buffer the ranges point into. */
  bytes: Uint8Array;
  /** Field k is bytes[starts[k], ends[k]); quoted fields exclude their quotes. */
  starts: Int32Array;
  ends: Int32Array;
  /** A quoted field containing a doubled quote ("") must be unescaped to read its text. */
  escaped: Uint8Array;
  count: number;
  /** Line number (1-based) on which the record starts. */
  line: number;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

export class CsvScanner {
  private readonly record: CsvRecord;
  private line = 1;

  constructor(maxFields = 64) {
    this.record = {
      bytes: new Uint8Array(0),
      starts: new Int32Array(maxFields),
      ends: new Int32Array(maxFields),
      escaped: new Uint8Array(maxFields),
      count: 0,
      line: 0,
    };
  }

  /**
   * Calls `onRecord` for every complete record in bytes[start, end) and returns where the first
   * incomplete one begins (end if none). With `final`, the last record needs no line break.
   * Returns -1 if a record has more fields than the scanner holds.
   */
  scan(
    bytes: Uint8Array,
    start: number,
    end: number,
    final: boolean,
    onRecord: (record: CsvRecord) => void,
    maxRecords = Number.POSITIVE_INFINITY,
  ): number {
    let records = 0;
    const rec = this.record;
    rec.bytes = bytes;
    const starts = rec.starts;
    const ends = rec.ends;
    const escaped = rec.escaped;
    const max = starts.length;
    let pos = start;
    while (pos < end && records < maxRecords) {
      const recordStart = pos;
      const recordLine = this.line;
      let newlines = 0;
      let field = 0;
      let complete = false;
      for (;;) {
        if (field === max) return -1;
        const quoted = pos < end && bytes[pos] === QUOTE;
        if (quoted) {
          pos++;
          starts[field] = pos;
          let doubled = 0;
          for (;;) {
            if (pos >= end) break;
            const c = bytes[pos];
            if (c === QUOTE) {
              if (pos + 1 < end && bytes[pos + 1] === QUOTE) {
                doubled = 1;
                pos += 2;
                continue;
              }
              if (pos + 1 >= end && !final) {
                pos = end + 1; // cannot tell a closing quote from the first of a pair yet
              }
              break;
            }
            if (c === LF) newlines++;
            pos++;
          }
          if (pos >= end) {
            if (final && pos === end) {
              // an unterminated quote at the end of the file: take the rest as the field
              ends[field] = end;
              escaped[field] = doubled;
              field++;
              complete = true;
            }
            break;
          }
          ends[field] = pos;
          escaped[field] = doubled;
          pos++; // the closing quote
        } else {
          starts[field] = pos;
          while (pos < end) {
            const c = bytes[pos];
            if (c === COMMA || c === LF || c === CR) break;
            pos++;
          }
          ends[field] = pos;
          escaped[field] = 0;
        }
        field++;
        if (quoted && pos < end && bytes[pos] !== COMMA && bytes[pos] !== LF && bytes[pos] !== CR) {
          // A closing quote followed by more text: keep it in the field (lenient, as Excel is).
          while (pos < end && bytes[pos] !== COMMA && bytes[pos] !== LF && bytes[pos] !== CR) pos++;
          ends[field - 1] = pos;
        }
        if (pos >= end) {
          if (final) complete = true;
          break;
        }
        const c = bytes[pos];
        if (c === COMMA) {
          pos++;
          if (pos >= end && final) {
            starts[field] = pos;
            ends[field] = pos;
            escaped[field] = 0;
            field++;
            complete = true;
            break;
          }
          continue;
        }
        if (c === CR) {
          if (pos + 1 >= end && !final) break;
          pos += bytes[pos + 1] === LF ? 2 : 1;
          complete = true;
          break;
        }
        pos++; // LF
        complete = true;
        break;
      }
      if (!complete) return recordStart;
      this.line += newlines + 1;
      // Skip blank lines: a record of one empty field.
      if (field === 1 && starts[0] === ends[0] && bytes[recordStart] !== QUOTE) continue;
      rec.count = field;
      rec.line = recordLine;
      records++;
      onRecord(rec);
    }
    return pos > end ? end : pos;
  }
}

const utf8 = new TextDecoder("utf-8");

/** The text of field k, unescaping doubled quotes. */
export function fieldText(record: CsvRecord, k: number): string {
  if (k >= record.count) return "";
  const text = utf8.decode(record.bytes.subarray(record.starts[k]!, record.ends[k]!));
  return record.escaped[k] ? text.replace(/""/g, '"') : text;
}
