import { builtinCatalogue, InvalidInput, type MetricCatalogue } from "../../engine/index.ts";
import type { SourceBatch } from "../source.ts";
import { bytesInMemory, type ExportBytes } from "./export-bytes.ts";
import type { ExportKindId, ExportTable } from "./export-table.ts";
import { HEADER_SEARCH_ROWS, type HeaderPlan, headerOf, noHeaderRow } from "./header.ts";
import { CHITU } from "./kinds/chitu.ts";
import { genericTable } from "./kinds/generic.ts";
import { JD } from "./kinds/jd.ts";
import { tableRows } from "./read-table.ts";
import { RecordReader } from "./rows.ts";

/**
 * A daily platform export (Chitu / Qianniu, JD Dongdong, or our generic template), xlsx or CSV,
 * turned into per agent-day numerators and denominators: bytes in, a batch out, read row by row
 * (neither the file nor its table is held whole, only the records). Problems with single rows
 * are returned, all of them; a file that cannot be read as an export at all (no table, no header
 * row, an unknown kind, an xlsx that would inflate beyond reason) throws InvalidInput.
 */

export const EXPORT_KINDS: readonly ExportKindId[] = ["chitu", "jd", "generic"];

/** The platform tables, as data (the generic one depends on the catalogue). */
export const EXPORT_TABLES: Readonly<Record<Exclude<ExportKindId, "generic">, ExportTable>> = {
  chitu: CHITU,
  jd: JD,
};

export interface ParseExportOptions {
  /** Names the file in errors; the bytes, not the name, decide between xlsx and text. */
  fileName: string;
  /** The export's kind; detected from the header row when absent. */
  kind?: ExportKindId;
  /** Metrics the figures must belong to; the built-in catalogue when absent. */
  catalogue?: MetricCatalogue;
}

export interface ParsedExport extends SourceBatch {
  kind: ExportKindId;
  /** Header texts that were not read (unknown, or a second name for a column already read). */
  ignoredColumns: string[];
}

function tableOf(kind: ExportKindId, catalogue: MetricCatalogue): ExportTable {
  return kind === "generic" ? genericTable(catalogue) : EXPORT_TABLES[kind];
}

/** A table that names a metric the catalogue lacks is our fault, not the file's. */
function checkMetrics(table: ExportTable, catalogue: MetricCatalogue): void {
  for (const { metric } of table.recipes)
    if (!catalogue.get(metric))
      throw new Error(`the ${table.kind} export table names unknown metric "${metric}"`);
}

export async function parseExport(bytes: Uint8Array, options: ParseExportOptions): Promise<ParsedExport> {
  return readExport(bytesInMemory(bytes), options);
}

/** parseExport of bytes read as they are needed: a file's (export-bytes.ts, openExportFile). */
export async function readExport(source: ExportBytes, options: ParseExportOptions): Promise<ParsedExport> {
  const catalogue = options.catalogue ?? builtinCatalogue;
  const { kind, fileName } = options;
  if (kind !== undefined && !EXPORT_KINDS.includes(kind))
    throw new InvalidInput("kind", `"${kind}" is not an export kind: use ${EXPORT_KINDS.join(", ")}`);
  const tables = (kind ? [kind] : EXPORT_KINDS).map((k) => tableOf(k, catalogue));
  for (const table of tables) checkMetrics(table, catalogue);
  const { rows } = await tableRows(source, fileName);
  let header: HeaderPlan | undefined;
  let reader: RecordReader | undefined;
  let rowIndex = 0;
  for await (const row of rows) {
    if (reader) reader.add(row);
    else if (rowIndex === HEADER_SEARCH_ROWS) break;
    else {
      header = headerOf(row, rowIndex++, tables);
      if (header) reader = new RecordReader(header, catalogue);
    }
  }
  if (!header || !reader) throw noHeaderRow(tables, fileName);
  const { records, problems } = reader;
  // An export cut off after its header (or holding only its 汇总 row) is a failed export, not a
  // day on which nobody worked: say so rather than import nothing and report success.
  if (records.length === 0 && problems.length === 0 && header.problems.length === 0)
    throw new InvalidInput(fileName, "has a header row but no agent's row under it: nothing to import");
  return {
    source: header.table.kind,
    kind: header.table.kind,
    records,
    facts: [],
    problems: [...header.problems, ...problems],
    ignoredColumns: header.ignored,
  };
}
