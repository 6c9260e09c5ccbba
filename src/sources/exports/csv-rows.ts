import type { TableCell, TableRow } from "./table.ts";

/**
 * RFC 4180 rows of decoded text, kept as places in the text: a row makes its cells when they
 * are asked for. A month of exports is 7 million cells; holding them all at once as strings and
 * cell objects costs more than reading them (Papa Parse took 1.5 s on such a file, most of it in
 * the garbage collector), while the cells of a row read and dropped cost almost nothing.
 */

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** The text with how its cells and rows are delimited. */
interface CsvText {
  text: string;
  delimiter: number;
  /** The first line break outside quotes, as csv-parse decides it; other CRs and LFs are data. */
  lineBreak: "\r\n" | "\n" | "\r";
}

/** Where the quoted cell opening at `open` closes (doubled quotes are part of it); -1: never. */
function closingQuote(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  while (close !== -1 && text.charCodeAt(close + 1) === QUOTE) close = text.indexOf('"', close + 2);
  return close;
}

/** The first CR, LF or CRLF outside quoted cells; LF when there is none or a quote is unclosed. */
function lineBreakOf(text: string, delimiter: number): CsvText["lineBreak"] {
  let cellStart = true;
  for (let pos = 0; pos < text.length; pos++) {
    const c = text.charCodeAt(pos);
    if (c === QUOTE && cellStart) {
      pos = closingQuote(text, pos);
      if (pos === -1) break;
    } else if (c === LF) return "\n";
    else if (c === CR) return text.charCodeAt(pos + 1) === LF ? "\r\n" : "\r";
    cellStart = c === delimiter;
  }
  return "\n";
}

/** A row that keeps its place in the text; each reading of `cells` makes them anew. */
class CsvRow implements TableRow {
  constructor(
    readonly line: number,
    private readonly csv: CsvText,
    private readonly start: number,
    /** Where its last cell ends: its line break, or the end of the text. */
    private readonly end: number,
  ) {}

  get cells(): TableCell[] {
    const { text, delimiter } = this.csv;
    const cells: TableCell[] = [];
    for (let pos = this.start; ; pos++) {
      let value: string;
      if (pos < this.end && text.charCodeAt(pos) === QUOTE) {
        // Closed: the rows were checked when found.
        let close = text.indexOf('"', pos + 1);
        let doubled = false;
        while (text.charCodeAt(close + 1) === QUOTE) {
          doubled = true;
          close = text.indexOf('"', close + 2);
        }
        value = text.slice(pos + 1, close);
        if (doubled) value = value.replaceAll('""', '"');
        pos = close + 1;
      } else {
        const from = pos;
        while (pos < this.end && text.charCodeAt(pos) !== delimiter) pos++;
        value = text.slice(from, pos);
      }
      cells.push({ value });
      if (pos >= this.end) return cells;
    }
  }
}

/** Counts line breaks (CRLF, LF or a lone CR, wherever they are) as rows are found, in order. */
class LineCounter {
  private nextLF: number;
  private nextCR: number;
  line = 1;

  constructor(private readonly text: string) {
    this.nextLF = text.indexOf("\n");
    this.nextCR = text.indexOf("\r");
  }

  /** Counts the line breaks before `pos`. */
  advanceTo(pos: number): void {
    const text = this.text;
    for (; this.nextLF !== -1 && this.nextLF < pos; this.nextLF = text.indexOf("\n", this.nextLF + 1))
      this.line++;
    for (; this.nextCR !== -1 && this.nextCR < pos; this.nextCR = text.indexOf("\r", this.nextCR + 1))
      if (text.charCodeAt(this.nextCR + 1) !== LF) this.line++;
  }
}

/**
 * The rows of `text`, each on the line it starts on; undefined when a quoted cell is not
 * closed, or its closing quote is followed by something else than a delimiter or line break
 * (the caller reads such text more leniently). A quote inside an unquoted cell is a quote.
 */
export function csvRows(text: string, delimiter: string): TableRow[] | undefined {
  const delimiterCode = delimiter.charCodeAt(0);
  const lineBreak = lineBreakOf(text, delimiterCode);
  const csv: CsvText = { text, delimiter: delimiterCode, lineBreak };
  const rows: TableRow[] = [];
  const lines = new LineCounter(text);
  // Searches go forward only, so that a text with few quotes or line breaks is not searched
  // to its end once per row.
  let nextQuote = text.indexOf('"');
  let lineEnd = -1;
  for (let start = 0; start < text.length; ) {
    let end: number;
    for (let pos = start; ; ) {
      if (lineEnd < pos) lineEnd = text.indexOf(lineBreak, pos);
      if (lineEnd === -1) lineEnd = text.length;
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = text.indexOf('"', pos);
      if (nextQuote === -1 || nextQuote >= lineEnd) {
        end = lineEnd;
        break;
      }
      const quote = nextQuote;
      pos = quote + 1;
      if (quote !== start && text.charCodeAt(quote - 1) !== delimiterCode) continue;
      const close = closingQuote(text, quote);
      if (close === -1) return undefined;
      pos = close + 1;
      if (pos < text.length && text.charCodeAt(pos) !== delimiterCode && !text.startsWith(lineBreak, pos))
        return undefined;
    }
    lines.advanceTo(start);
    rows.push(new CsvRow(lines.line, csv, start, end));
    start = end + lineBreak.length;
  }
  return rows;
}
