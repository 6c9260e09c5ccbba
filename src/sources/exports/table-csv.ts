import { parse } from "csv-parse/sync";
import { InvalidInput } from "../../engine/index.ts";
import { decodeText } from "../text-file.ts";
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

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

export function readCsvTable(bytes: Uint8Array, fileName: string): TableRow[] {
  const text = decodeText(bytes);
  if (/^\s*<(?:!doctype|html|table|\?xml)/i.test(text))
    throw new InvalidInput(
      fileName,
      "is an HTML or XML page, not a table; open it in Excel and save it as .xlsx or CSV",
    );
  let records: CsvRecord[];
  try {
    records = parse(text, {
      delimiter: delimiterOf(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      info: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    throw new InvalidInput(fileName, `is not readable as CSV: ${(error as Error).message}`);
  }
  const rows: TableRow[] = [];
  let lastLine = 0;
  for (const { record, info } of records) {
    rows.push({ line: lastLine + 1, cells: record.map((value) => ({ value })) });
    lastLine = info.lines;
  }
  return rows;
}
