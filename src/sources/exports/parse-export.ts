import { builtinCatalogue, InvalidInput, type MetricCatalogue } from "../../engine/index.ts";
import type { SourceBatch } from "../source.ts";
import type { ExportKindId, ExportTable } from "./export-table.ts";
import { findHeader } from "./header.ts";
import { CHITU } from "./kinds/chitu.ts";
import { genericTable } from "./kinds/generic.ts";
import { JD } from "./kinds/jd.ts";
import { readTable } from "./read-table.ts";
import { readRecords } from "./rows.ts";

/**
 * A daily platform export (Chitu / Qianniu, JD Dongdong, or our generic template), xlsx or CSV,
 * turned into per agent-day numerators and denominators. Pure: bytes in, a batch out. Problems
 * with single rows are returned, all of them; a file that cannot be read as an export at all
 * (no table, no header row, an unknown kind) throws InvalidInput.
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
  const catalogue = options.catalogue ?? builtinCatalogue;
  const { kind, fileName } = options;
  if (kind !== undefined && !EXPORT_KINDS.includes(kind))
    throw new InvalidInput("kind", `"${kind}" is not an export kind: use ${EXPORT_KINDS.join(", ")}`);
  const tables = (kind ? [kind] : EXPORT_KINDS).map((k) => tableOf(k, catalogue));
  for (const table of tables) checkMetrics(table, catalogue);
  const { rows } = await readTable(bytes, fileName);
  const header = findHeader(rows, tables, fileName);
  const { records, problems } = readRecords(rows, header, catalogue);
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
