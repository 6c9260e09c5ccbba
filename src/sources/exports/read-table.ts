import { InvalidInput } from "../../engine/index.ts";
import { bytesInMemory, type ExportBytes } from "./export-bytes.ts";
import type { Table, TableFormat, TableRow } from "./table.ts";
import { readCsvRows } from "./table-csv.ts";

/** Which reader a table file needs is told by its first bytes, not by its name. */

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/**
 * The rows of the first worksheet of an xlsx workbook, or of a CSV / tab-separated text file,
 * by content, as they are read: a table is never held whole.
 */
export async function tableRows(
  source: ExportBytes,
  fileName: string,
): Promise<{ format: TableFormat; rows: AsyncIterable<TableRow> }> {
  if (source.size === 0) throw new InvalidInput(fileName, "the file is empty");
  const start = await source.read(0, 4);
  if (startsWith(start, ZIP)) {
    // ExcelJS's part readers load on the first workbook: CSV imports and the bot never need them.
    const { readXlsxRows } = await import("./table-xlsx.ts");
    return { format: "xlsx", rows: readXlsxRows(source, fileName) };
  }
  if (startsWith(start, OLE))
    throw new InvalidInput(
      fileName,
      "is an old Excel .xls workbook; save it as .xlsx or CSV and import that",
    );
  // Back offices often name CSV or tab-separated text ".xls"; the bytes decide, not the name.
  return { format: "csv", rows: readCsvRows(source, fileName) };
}

/** Reads a whole table file's rows (tests, small files); imports read them as they come. */
export async function readTable(bytes: Uint8Array, fileName: string): Promise<Table> {
  const { format, rows } = await tableRows(bytesInMemory(bytes), fileName);
  const all: TableRow[] = [];
  for await (const row of rows) all.push(row);
  return { format, rows: all };
}
