import type { TableCell, TableRow } from "./table.ts";

/**
 * RFC 4180 rows of decoded text, found a piece of text at a time and kept as places in that
 * piece: a row makes its cells when they are asked for. A month of exports is 7 million cells;
 * holding them all at once as strings and cell objects costs more than reading them (Papa Parse
 * took 1.5 s on such a file, most of it in the garbage collector), while the cells of a row read
 * and dropped cost almost nothing. A piece lives as long as a row cut from it.
 */

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

export type LineBreak = "\r\n" | "\n" | "\r";

/** A piece of text with how its cells and rows are delimited. */
interface CsvText {
  text: string;
  delimiter: number;
}

/** Where the quoted cell opening at `open` closes (doubled quotes are part of it); -1: never. */
function closingQuote(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  while (close !== -1 && text.charCodeAt(close + 1) === QUOTE) close = text.indexOf('"', close + 2);
  return close;
}

/**
 * The first CR, LF or CRLF outside quoted cells, as csv-parse decides it (other CRs and LFs are
 * data); LF when there is none or a quote is unclosed. Undefined when `text` is not the whole text
 * (`final` false) and the rest could still tell.
 */
export function lineBreakOf(text: string, delimiter: string, final: boolean): LineBreak | undefined {
  const delimiterCode = delimiter.charCodeAt(0);
  let cellStart = true;
  for (let pos = 0; pos < text.length; pos++) {
    const c = text.charCodeAt(pos);
    if (c === QUOTE && cellStart) {
      pos = closingQuote(text, pos);
      if (pos === -1 || (pos === text.length - 1 && !final)) return final ? "\n" : undefined;
    } else if (c === LF) return "\n";
    else if (c === CR) {
      if (pos + 1 === text.length && !final) return undefined;
      return text.charCodeAt(pos + 1) === LF ? "\r\n" : "\r";
    }
    cellStart = c === delimiterCode;
  }
  return final ? "\n" : undefined;
}

/** A row that keeps its place in its piece of text; each reading of `cells` makes them anew. */
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

  constructor(
    private readonly text: string,
    public line: number,
  ) {
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

export interface ScannedRows {
  rows: TableRow[];
  /** Where the rows not found yet begin: the unfinished last row, or the end of the text. */
  rest: number;
  /** The line the rest begins on. */
  restLine: number;
  /**
   * The row at `rest` has a quote RFC 4180 does not allow: a quoted cell never closed, or a
   * closing quote followed by something else than a delimiter or line break.
   */
  malformed: boolean;
}

/**
 * Finds rows in text that arrives a piece at a time: each call is given what was left of the
 * previous piece followed by the next one, and returns the rows that end in it. A quote inside
 * an unquoted cell is a quote.
 */
export class CsvRowScanner {
  /** The line the next piece of text begins on. */
  private line = 1;
  private readonly delimiter: number;

  constructor(
    delimiter: string,
    private readonly lineBreak: LineBreak,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** `final`: the text runs to the end of the file. */
  scan(text: string, final: boolean): ScannedRows {
    const { delimiter, lineBreak } = this;
    const csv: CsvText = { text, delimiter };
    const rows: TableRow[] = [];
    const lines = new LineCounter(text, this.line);
    const stop = (rest: number, malformed = false): ScannedRows => {
      lines.advanceTo(rest);
      this.line = lines.line;
      return { rows, rest, restLine: lines.line, malformed };
    };
    // Searches go forward only, so that a text with few quotes or line breaks is not searched
    // to its end once per row.
    let nextQuote = text.indexOf('"');
    let lineEnd = -1;
    for (let start = 0; start < text.length; ) {
      let end: number;
      for (let pos = start; ; ) {
        if (lineEnd < pos) lineEnd = text.indexOf(lineBreak, pos);
        if (lineEnd === -1) {
          if (!final) return stop(start);
          lineEnd = text.length;
        }
        if (nextQuote !== -1 && nextQuote < pos) nextQuote = text.indexOf('"', pos);
        if (nextQuote === -1 || nextQuote >= lineEnd) {
          end = lineEnd;
          break;
        }
        const quote = nextQuote;
        pos = quote + 1;
        if (quote !== start && text.charCodeAt(quote - 1) !== delimiter) continue;
        const close = closingQuote(text, quote);
        // A quote at the very end may be the first of a doubled one.
        if (!final && (close === -1 || close === text.length - 1)) return stop(start);
        if (close === -1) return stop(start, true);
        pos = close + 1;
        if (pos < text.length && text.charCodeAt(pos) !== delimiter && !text.startsWith(lineBreak, pos)) {
          const cut = !final && lineBreak.startsWith(text.slice(pos));
          return stop(start, !cut);
        }
      }
      // The character after the line break tells whether a CR there is a line of its own.
      if (!final && end + lineBreak.length >= text.length) return stop(start);
      lines.advanceTo(start);
      rows.push(new CsvRow(lines.line, csv, start, end));
      start = end + lineBreak.length;
    }
    return stop(text.length);
  }
}
