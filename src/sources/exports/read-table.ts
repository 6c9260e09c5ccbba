import { InvalidInput } from "../../engine/index.ts";
import type { Table } from "./table.ts";
import { readCsvTable } from "./table-csv.ts";
import { readXlsxTable } from "./table-xlsx.ts";

/** Which reader a table file needs is told by its first bytes, not by its name. */

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
