import { parseTimestamp } from "./bytes.ts";
import { type CsvRecord, CsvScanner, fieldText } from "./csv.ts";

/**
 * Orders, ratings and reviews are small next to the messages: they are read into plain string
 * records (CSV or JSON Lines, the same column names) and checked field by field.
 */

export type TableRow = Record<string, string>;
export type RowHandler = (row: TableRow, line: number) => void;
export type ProblemHandler = (line: number, reason: string) => void;

export class TableCsvReader {
  private readonly scanner = new CsvScanner(256);
  private names: string[] | undefined;
  private readonly onRecord = (r: CsvRecord) => this.record(r);

  constructor(
    private readonly required: readonly string[],
    private readonly onRow: RowHandler,
    private readonly onProblem: ProblemHandler,
  ) {}

  push(bytes: Uint8Array, start: number, end: number, final: boolean): number {
    const consumed = this.scanner.scan(bytes, start, end, final, this.onRecord);
    if (consumed < 0) {
      this.onProblem(0, "a line has more than 256 fields");
      return end;
    }
    return consumed;
  }

  private record(r: CsvRecord): void {
    if (!this.names) {
      this.names = Array.from({ length: r.count }, (_, k) =>
        fieldText(r, k)
          .replace(/^\uFEFF/, "")
          .trim()
          .toLowerCase(),
      );
      const missing = this.required.filter((c) => !this.names!.includes(c));
      if (missing.length) {
        this.onProblem(r.line, `the header lacks ${missing.join(", ")}`);
        this.names = [];
      }
      return;
    }
    if (this.names.length === 0) return;
    if (r.count !== this.names.length) {
      this.onProblem(r.line, `expected ${this.names.length} fields as in the header, found ${r.count}`);
      return;
    }
    const row: TableRow = {};
    this.names.forEach((name, k) => {
      row[name] = fieldText(r, k).trim();
    });
    this.onRow(row, r.line);
  }
}

export class TableJsonReader {
  constructor(
    private readonly required: readonly string[],
    private readonly onRow: RowHandler,
    private readonly onProblem: ProblemHandler,
  ) {}

  line(text: string, line: number): void {
    if (text.trim() === "") return;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      this.onProblem(line, `not valid JSON: ${(error as Error).message}`);
      return;
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      this.onProblem(line, "a line holds one JSON object");
      return;
    }
    const row: TableRow = {};
    for (const [key, value] of Object.entries(doc))
      row[key.toLowerCase()] = value === null ? "" : String(value).trim();
    const missing = this.required.filter((c) => !(c in row));
    if (missing.length) {
      this.onProblem(line, `missing ${missing.join(", ")}`);
      return;
    }
    this.onRow(row, line);
  }
}

const encoder = new TextEncoder();

/** Epoch ms of an ISO-8601 time with an offset given as text, or NaN. */
export function parseTime(text: string): number {
  const bytes = encoder.encode(text);
  return parseTimestamp(bytes, 0, bytes.length);
}
