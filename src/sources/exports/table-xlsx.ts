import ExcelJS from "exceljs";
import { InvalidInput } from "../../engine/index.ts";
import type { TableCell, TableRow } from "./table.ts";

/**
 * The first worksheet of an xlsx workbook. Cells keep their type and number format: a
 * percentage cell holds the fraction, a time cell a Date on Excel's day zero.
 */

type Value = TableCell["value"];

function plainValue(value: ExcelJS.CellValue): Value {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "object" || value instanceof Date) return value;
  if ("richText" in value) return value.richText.map((part) => part.text).join("");
  if ("formula" in value || "sharedFormula" in value) return plainValue(value.result ?? null);
  if ("error" in value) return value.error;
  if ("hyperlink" in value) return value.text;
  return undefined;
}

export async function readXlsxTable(bytes: Uint8Array, fileName: string): Promise<TableRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer,
    );
  } catch (error) {
    throw new InvalidInput(fileName, `is not a readable xlsx workbook: ${(error as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new InvalidInput(fileName, "the workbook has no worksheet");
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: TableCell[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const cell = row.getCell(c);
      const value = plainValue(cell.value);
      const format = cell.numFmt;
      cells.push(format && typeof value === "number" ? { value, format } : { value });
    }
    rows.push({ line, cells });
  });
  return rows;
}
