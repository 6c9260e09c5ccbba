import { InvalidInput } from "../../engine/index.ts";
import { readCsvTable } from "./table-csv.ts";
import { readXlsxTable } from "./table-xlsx.ts";

/**
 * A table file as rows of cells, whatever it was written in. CSV cells are text; xlsx cells keep
 * their type (number, text, date) and number format, because a cell showing "85.23%" holds 0.8523.
 */

export interface TableCell {
  value: string | number | boolean | Date | undefined;
  /** The xlsx number format ("0.00%", "[h]:mm:ss"); absent for CSV cells. */
  format?: string;
}

export interface TableRow {
  /** 1-based line of a CSV file (where the row starts) or row of the worksheet. */
  line: number;
  /** A CSV row makes its cells anew on each reading (rows keep their text, not 7 million cells): read them once. */
  readonly cells: TableCell[];
}

export type TableFormat = "xlsx" | "csv";

export interface Table {
  format: TableFormat;
  rows: TableRow[];
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Reads the first worksheet of an xlsx workbook, or a CSV / tab-separated text file, by content. */
export async function readTable(bytes: Uint8Array, fileName: string): Promise<Table> {
  if (bytes.length === 0) throw new InvalidInput(fileName, "the file is empty");
  if (startsWith(bytes, ZIP)) return { format: "xlsx", rows: await readXlsxTable(bytes, fileName) };
  if (startsWith(bytes, OLE))
    throw new InvalidInput(
      fileName,
      "is an old Excel .xls workbook; save it as .xlsx or CSV and import that",
    );
  // Back offices often name CSV or tab-separated text ".xls"; the bytes decide, not the name.
  return { format: "csv", rows: readCsvTable(bytes, fileName) };
}

/** A cell that holds nothing at all (not even a "-"). */
export function isBlank(cell: TableCell | undefined): boolean {
  const value = cell?.value;
  return value === undefined || (typeof value === "string" && value.trim() === "");
}
