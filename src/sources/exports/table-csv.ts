import { parse } from "csv-parse/sync";
import Papa from "papaparse";
import { InvalidInput } from "../../engine/index.ts";
import { decodeText } from "../text-file.ts";
import type { TableCell, TableRow } from "./table.ts";

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

/** Line breaks (CRLF, LF or a lone CR) inside a quoted cell. */
function lineBreaksIn(cell: string): number {
  if (cell.indexOf("\n") === -1 && cell.indexOf("\r") === -1) return 0;
  return cell.match(/\r\n?|\n/g)?.length ?? 0;
}

function endsWithLineBreak(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last === 10 || last === 13;
}

/** Papa Parse: several times faster than csv-parse on a month of exports; undefined on a stray quote. */
function readStrict(text: string, delimiter: string): TableRow[] | undefined {
  const { data, errors } = Papa.parse<string[]>(text, { delimiter });
  if (errors.length > 0) return undefined;
  // A final line break ends the last row; it does not open an empty one.
  const last = data[data.length - 1];
  if (endsWithLineBreak(text) && last?.length === 1 && last[0] === "") data.pop();
  const rows: TableRow[] = new Array(data.length);
  let line = 1;
  for (let r = 0; r < data.length; r++) {
    const record = data[r]!;
    const cells: TableCell[] = new Array(record.length);
    let breaks = 0;
    for (let c = 0; c < record.length; c++) {
      const value = record[c]!;
      cells[c] = { value };
      breaks += lineBreaksIn(value);
    }
    rows[r] = { line, cells };
    line += breaks + 1;
  }
  return rows;
}

/**
 * csv-parse with relaxed quotes, for text Papa Parse refuses: a quote that opens a cell but
 * does not close it before the delimiter (`"VIP"客户`) is read as it stands, as it always was.
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
  return readStrict(text, delimiter) ?? readRelaxed(text, delimiter, fileName);
}
