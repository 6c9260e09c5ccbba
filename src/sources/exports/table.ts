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

/** A cell that holds nothing at all (not even a "-"). */
export function isBlank(cell: TableCell | undefined): boolean {
  const value = cell?.value;
  return value === undefined || (typeof value === "string" && value.trim() === "");
}
