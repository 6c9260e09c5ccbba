import { InvalidInput } from "../../engine/index.ts";
import type { RowProblem } from "../source.ts";
import { shownValue } from "./cell-values.ts";
import { detached } from "./detached.ts";
import { type ExportColumn, type ExportTable, RECORD_FIELDS } from "./export-table.ts";
import type { TableRow } from "./table.ts";

/**
 * Finds the header row (exports may open with a title line or two) and says which column is
 * which. When the kind is not given, the table that recognises most columns of the first row
 * naming an agent wins; ties go to the platform exports before the generic template.
 */

/** How far down the header row may be. */
export const HEADER_SEARCH_ROWS = 20;

export interface ColumnPlan {
  /** 0-based cell index. */
  index: number;
  /** The header text as in the file, for messages. */
  header: string;
  column: ExportColumn;
}

export interface HeaderPlan {
  table: ExportTable;
  /** 0-based index of the header row among the table's rows. */
  rowIndex: number;
  columns: ColumnPlan[];
  /** Header texts no column of the table knows, or that lost to a preferred alias of the same key. */
  ignored: string[];
  problems: RowProblem[];
}

/** Header text as compared: full-width forms folded, case and spaces ignored. */
export function headerKey(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\u200b\ufeff]+/g, "");
}

function aliasesOf(table: ExportTable): Map<string, [ExportColumn, rank: number]> {
  const aliases = new Map<string, [ExportColumn, number]>();
  for (const column of table.columns)
    column.headers.forEach((header, rank) => {
      const key = headerKey(header);
      if (!aliases.has(key)) aliases.set(key, [column, rank]);
    });
  return aliases;
}

const isField = (key: string) => (RECORD_FIELDS as readonly string[]).includes(key);

function planOf(table: ExportTable, row: TableRow, rowIndex: number): HeaderPlan {
  const aliases = aliasesOf(table);
  const best = new Map<string, { plan: ColumnPlan; rank: number }>();
  const seen = new Map<string, number>();
  const ignored: string[] = [];
  const problems: RowProblem[] = [];
  row.cells.forEach((cell, index) => {
    const header = detached(shownValue(cell));
    if (header === "") return;
    const key = headerKey(header);
    const match = aliases.get(key);
    if (!match) {
      if (!ignored.includes(header)) ignored.push(header);
      return;
    }
    if (seen.has(key)) {
      problems.push({
        line: row.line,
        column: header,
        reason: `appears twice (columns ${seen.get(key)! + 1} and ${index + 1})`,
      });
      return;
    }
    seen.set(key, index);
    const [column, rank] = match;
    const plan = { index, header, column };
    const current = best.get(column.key);
    if (!current || rank < current.rank) {
      if (current) ignored.push(current.plan.header);
      best.set(column.key, { plan, rank });
    } else ignored.push(header);
  });
  const columns = [...best.values()].map((b) => b.plan).sort((a, b) => a.index - b.index);
  return { table, rowIndex, columns, ignored, problems };
}

function usable(plan: HeaderPlan): boolean {
  return (
    plan.columns.some((c) => c.column.key === "agent") && plan.columns.some((c) => !isField(c.column.key))
  );
}

function expected(table: ExportTable): string {
  const names = table.columns.filter((c) => c.read !== "metric").map((c) => c.headers[0]);
  const more = table.kind === "generic" ? ", and metric ids or names" : ", …";
  return `${table.title} (${names.slice(0, 6).join(", ")}${more})`;
}

/** The plan of `row` (the `rowIndex`th) when it is a header row, the best table's; else undefined. */
export function headerOf(
  row: TableRow,
  rowIndex: number,
  tables: readonly ExportTable[],
): HeaderPlan | undefined {
  const plans = tables.map((table) => planOf(table, row, rowIndex)).filter(usable);
  // Stable: on equal counts the earlier table (platform exports first) stays in front.
  plans.sort((a, b) => b.columns.length - a.columns.length);
  return plans[0];
}

/** Why a file has no header row among its first rows. */
export function noHeaderRow(tables: readonly ExportTable[], fileName: string): InvalidInput {
  const wanted = tables.map(expected).join("; or ");
  return new InvalidInput(
    fileName,
    `no header row with an agent column and a figure column among the first ${HEADER_SEARCH_ROWS} rows: expected ${wanted}`,
  );
}

export function findHeader(
  rows: readonly TableRow[],
  tables: readonly ExportTable[],
  fileName: string,
): HeaderPlan {
  for (const [rowIndex, row] of rows.slice(0, HEADER_SEARCH_ROWS).entries()) {
    const plan = headerOf(row, rowIndex, tables);
    if (plan) return plan;
  }
  throw noHeaderRow(tables, fileName);
}
