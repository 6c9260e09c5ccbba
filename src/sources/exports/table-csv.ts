import { type Parser, parse } from "csv-parse";
import { InvalidInput } from "../../engine/index.ts";
import { byteOrderMark, Utf8Check } from "../text-file.ts";
import { CsvRowScanner, type LineBreak, lineBreakOf } from "./csv-rows.ts";
import { chunksOf, type ExportBytes } from "./export-bytes.ts";
import type { TableRow } from "./table.ts";

/**
 * CSV and tab-separated text ("Unicode text" / .txt exports), row by row: UTF-8 with or without
 * BOM, UTF-16, GBK / GB18030, decoded a piece at a time, so that neither the bytes nor the text
 * of a big file are held whole. Every line yields a row, so a row's line is the line after the
 * previous row's last one, also when a quoted cell spans several lines.
 */

/**
 * Decoded text in pieces of about this many bytes. Small enough that a piece's text is an
 * ordinary object of V8's heap (a megabyte's was a large object, freed only by a full collection:
 * reading a 200 MB file left 150 MB of them behind), large enough that a piece holds hundreds
 * of rows.
 */
const PIECE = 1 << 16;
/** How many lines decide the delimiter. */
const SNIFFED_LINES = 40;

/** Tab-separated when most of the first lines hold a tab; otherwise comma-separated. */
function delimiterOf(text: string): string {
  const lines = text
    .split(/\r?\n/, SNIFFED_LINES)
    .filter((line) => line.trim() !== "")
    .slice(0, 20);
  const tabbed = lines.filter((line) => line.includes("\t")).length;
  return lines.length > 0 && tabbed * 2 >= lines.length ? "\t" : ",";
}

/** The text of `source`, decoded as its first bytes (or, without a BOM, all of them) say. */
async function* decodedText(source: ExportBytes, piece: number): AsyncGenerator<string> {
  let found = byteOrderMark(await source.read(0, 4));
  if (!found) {
    // GBK and UTF-8 cannot be told apart by the first bytes: look at all of them (not decoding).
    const check = new Utf8Check();
    for await (const chunk of chunksOf(source, piece)) {
      check.add(chunk);
      if (!check.valid) break;
    }
    found = { encoding: check.end() ? "utf-8" : "gb18030", skip: 0 };
  }
  const decoder = new TextDecoder(found.encoding);
  let mark = found.skip;
  for await (const chunk of chunksOf(source, piece)) {
    const text = decoder.decode(chunk.subarray(mark), { stream: true });
    mark = Math.max(0, mark - chunk.length);
    if (text !== "") yield text;
  }
  const rest = decoder.decode();
  if (rest !== "") yield rest;
}

/**
 * csv-parse with relaxed quotes, for text with a quote where RFC 4180 allows none: a quote that
 * opens a cell but does not close it before the delimiter (`"VIP"客户`) is read as it stands.
 * Rare and slow (csv-parse takes the one-cell title line's width for every row's, and builds
 * an error for each row that differs), so only from the first such row on: `text` is the rest
 * of the file from that row's start, on `line`.
 */
async function* relaxedRows(
  text: AsyncIterable<string>,
  options: { delimiter: string; lineBreak: LineBreak; line: number; fileName: string },
): AsyncGenerator<TableRow> {
  const parser: Parser = parse({
    delimiter: options.delimiter,
    record_delimiter: options.lineBreak,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    info: true,
  });
  const feeding = (async () => {
    try {
      for await (const piece of text) {
        if (parser.destroyed) return;
        // Wait while the rows read are not taken yet; or for the end, when the reader stopped.
        if (!parser.write(piece))
          await new Promise((resolve) => {
            parser.once("drain", resolve);
            parser.once("close", resolve);
          });
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  const before = options.line - 1;
  let lastLine = before;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      yield { line: lastLine + 1, cells: record.map((value) => ({ value })) };
      lastLine = before + info.lines;
    }
  } catch (error) {
    if (error instanceof InvalidInput) throw error;
    const message = (error as Error).message.replace(/\bline (\d+)/g, (_, n) => `line ${before + Number(n)}`);
    throw new InvalidInput(options.fileName, `is not readable as CSV: ${message}`);
  } finally {
    parser.destroy();
    await feeding;
  }
}

/** `piece`: bytes decoded at a time (tests make it small, to cut rows and characters anywhere). */
export async function* readCsvRows(
  source: ExportBytes,
  fileName: string,
  piece = PIECE,
): AsyncGenerator<TableRow> {
  const pieces = decodedText(source, piece)[Symbol.asyncIterator]();
  let text = "";
  let final = false;
  const more = async () => {
    const next = await pieces.next();
    if (next.done) final = true;
    else text += next.value;
  };
  // The first lines decide the delimiter, and the first line break outside quotes the rows'.
  let lineBreak: LineBreak | undefined;
  let delimiter = ",";
  for (;;) {
    const lines = text.split("\n", SNIFFED_LINES + 1).length;
    if (final || lines > SNIFFED_LINES) {
      delimiter = delimiterOf(text);
      lineBreak = lineBreakOf(text, delimiter, final);
      if (lineBreak) break;
    }
    await more();
  }
  if (/^\s*<(?:!doctype|html|table|\?xml)/i.test(text))
    throw new InvalidInput(
      fileName,
      "is an HTML or XML page, not a table; open it in Excel and save it as .xlsx or CSV",
    );
  const scanner = new CsvRowScanner(delimiter, lineBreak);
  for (;;) {
    const found = scanner.scan(text, final);
    yield* found.rows;
    text = text.slice(found.rest);
    if (found.malformed) {
      const rest = async function* () {
        yield text;
        for (let next = await pieces.next(); !next.done; next = await pieces.next()) yield next.value;
      };
      yield* relaxedRows(rest(), { delimiter, lineBreak, line: found.restLine, fileName });
      return;
    }
    if (final) return;
    // At least a piece more than what is left, so that a long row is not scanned again and again.
    const wanted = text.length + piece / 2;
    while (!final && text.length < wanted) await more();
  }
}
