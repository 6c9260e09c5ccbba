import { parse } from "csv-parse/sync";
import { InvalidInput } from "../../engine/index.ts";
import { decodeText } from "../text-file.ts";
import { csvRows } from "./csv-rows.ts";
import type { TableRow } from "./table.ts";

/**
 * CSV and tab-separated text ("Unicode text" / .txt exports) after decodeText: UTF-8 with or
 * without BOM, UTF-16, GBK / GB18030. Every line yields a row, so a row's line is the line
 * after the previous row's last one, also when a quoted cell spans several lines.
 */

/** Tab-separated when most of the first lines hold a tab; otherwise comma-separated. */
function delimiterOf(text: string): string {
  const lines = text
    .split(/\r?\n/, 40)
    .filter((line) => line.trim() !== "")
    .slice(0, 20);
  const tabbed = lines.filter((line) => line.includes("\t")).length;
  return lines.length > 0 && tabbed * 2 >= lines.length ? "\t" : ",";
}

/**
 * csv-parse with relaxed quotes, for text with a quote where RFC 4180 allows none: a quote that
 * opens a cell but does not close it before the delimiter (`"VIP"客户`) is read as it stands.
 * Rare and slow (csv-parse takes the one-cell title line's width for every row's, and builds
 * an error for each row that differs), so only for such text.
 */
function readRelaxed(text: string, delimiter: string, fileName: string): TableRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      info: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw new InvalidInput(fileName, `is not readable as CSV: ${(error as Error).message}`);
  }
  let lastLine = 0;
  return records.map(({ record, info }) => {
    const row = { line: lastLine + 1, cells: record.map((value) => ({ value })) };
    lastLine = info.lines;
    return row;
  });
}

export function readCsvTable(bytes: Uint8Array, fileName: string): TableRow[] {
  const text = decodeText(bytes);
  if (/^\s*<(?:!doctype|html|table|\?xml)/i.test(text))
    throw new InvalidInput(
      fileName,
      "is an HTML or XML page, not a table; open it in Excel and save it as .xlsx or CSV",
    );
  const delimiter = delimiterOf(text);
  return csvRows(text, delimiter) ?? readRelaxed(text, delimiter, fileName);
}
