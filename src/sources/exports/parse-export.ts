import { builtinCatalogue, InvalidInput, type MetricCatalogue } from "../../engine/index.ts";
import type { AgentDayRecord, RecordChunk, SourceBatch, StreamedBatch } from "../source.ts";
import { type Approximations, withApproximations } from "./approximate.ts";
import { bytesInMemory, type ExportBytes } from "./export-bytes.ts";
import type { ExportKindId, ExportTable } from "./export-table.ts";
import { type FinishedOnly, finishedOnly } from "./finished-only.ts";
import { HEADER_SEARCH_ROWS, type HeaderPlan, headerOf, noHeaderRow } from "./header.ts";
import { CHITU } from "./kinds/chitu.ts";
import { DOUYIN } from "./kinds/douyin.ts";
import { genericTable } from "./kinds/generic.ts";
import { JD } from "./kinds/jd.ts";
import { PDD } from "./kinds/pdd.ts";
import { ReadFingerprint } from "./read-fingerprint.ts";
import { tableRows } from "./read-table.ts";
import { RecordReader } from "./rows.ts";
import type { TableRow } from "./table.ts";

/**
 * A daily platform export (Chitu / Qianniu, JD Dongdong, 拼多多, 抖店 飞鸽, or our generic
 * template), xlsx or CSV, turned into per agent-day numerators and denominators: bytes in, a batch
 * out, read row by row (neither the file nor its table is held whole, only the records). Problems
 * with single rows are returned, all of them; a file that cannot be read as an export at all (no
 * table, no header row, an unknown kind, an xlsx that would inflate beyond reason) throws
 * InvalidInput.
 */

export const EXPORT_KINDS: readonly ExportKindId[] = ["chitu", "jd", "pdd", "douyin", "generic"];

/** The platform tables, as data (the generic one depends on the catalogue). */
export const EXPORT_TABLES: Readonly<Record<Exclude<ExportKindId, "generic">, ExportTable>> = {
  chitu: CHITU,
  jd: JD,
  pdd: PDD,
  douyin: DOUYIN,
};

export interface ParseExportOptions {
  /** Names the file in errors; the bytes, not the name, decide between xlsx and text. */
  fileName: string;
  /** The export's kind; detected from the header row when absent. */
  kind?: ExportKindId;
  /** Metrics the figures must belong to; the built-in catalogue when absent. */
  catalogue?: MetricCatalogue;
  /** Stand-in counts for finished figures, as the source names them (approximate.ts). */
  approximate?: Approximations;
}

interface ExportFields {
  kind: ExportKindId;
  /** Header texts that were not read (unknown, or a second name for a column already read). */
  ignoredColumns: string[];
  /** Rates and means the file gives only as finished figures: no week or month can combine them. */
  finishedOnly: FinishedOnly[];
}

export interface ParsedExport extends SourceBatch, ExportFields {}

export interface StreamedExport extends StreamedBatch, ExportFields {}

export interface StreamExportOptions extends ParseExportOptions {
  /** Records (or problems) per chunk; small in tests, to cut a file anywhere. */
  chunk?: number;
}

/** About 8 MB of records: what the importer stores in one statement. */
const RECORD_CHUNK = 10_000;

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

/** parseExport of bytes read as they are needed, all records in memory (a day's file, tests). */
export async function readExport(source: ExportBytes, options: ParseExportOptions): Promise<ParsedExport> {
  const streamed = await streamExport(source, options);
  const records: AgentDayRecord[] = [];
  const problems = [...streamed.problems];
  for await (const chunk of streamed.records.read()) {
    for (const record of chunk.records) records.push(record);
    for (const problem of chunk.problems) problems.push(problem);
  }
  return { ...streamed, records, problems };
}

/**
 * The export read a chunk of records at a time, as often as asked (what `kpi import` stores a
 * file from): its kind, columns and header problems now, its rows on each reading. The first
 * reading goes on from the header row found here; each later one reads the file from its start
 * again, and throws when its bytes are not those the first reading was given. One reading at a
 * time.
 */
export async function streamExport(
  source: ExportBytes,
  options: StreamExportOptions,
): Promise<StreamedExport> {
  const catalogue = options.catalogue ?? builtinCatalogue;
  const { kind, fileName, chunk = RECORD_CHUNK } = options;
  if (kind !== undefined && !EXPORT_KINDS.includes(kind))
    throw new InvalidInput("kind", `"${kind}" is not an export kind: use ${EXPORT_KINDS.join(", ")}`);
  const tables = (kind ? [kind] : EXPORT_KINDS).map((k) => tableOf(k, catalogue));
  for (const table of tables) checkMetrics(table, catalogue);
  const bytes = new ReadFingerprint(source);
  bytes.begin();
  let opened: HeaderAndRows | undefined = await headerAndRows(bytes, tables, fileName);
  const { header } = opened;
  // The rows are read by the detected table with the source's stand-in counts, if it names any.
  const plan = { ...header, table: withApproximations(header.table, options.approximate ?? {}, catalogue) };
  let firstReading: string | undefined;

  async function* read(): AsyncGenerator<RecordChunk> {
    let reading = opened;
    opened = undefined;
    if (!reading) {
      bytes.begin();
      reading = await headerAndRows(bytes, tables, fileName);
      if (!samePlan(reading.header, header)) throw changedWhileRead(fileName);
    }
    const { rows } = reading;
    try {
      const reader = new RecordReader(plan, catalogue);
      let rowsRead = false;
      for (let next = await rows.next(); !next.done; next = await rows.next()) {
        reader.add(next.value);
        if (reader.records.length >= chunk || reader.problems.length >= chunk) {
          rowsRead = true;
          yield reader.take();
        }
      }
      const last = reader.take();
      const digest = bytes.end();
      firstReading ??= digest;
      if (digest !== firstReading) throw changedWhileRead(fileName);
      // An export cut off after its header (or holding only its 汇总 row) is a failed export, not a
      // day on which nobody worked: say so rather than import nothing and report success.
      rowsRead ||= last.records.length > 0 || last.problems.length > 0;
      if (!rowsRead && header.problems.length === 0)
        throw new InvalidInput(fileName, "has a header row but no agent's row under it: nothing to import");
      if (last.records.length > 0 || last.problems.length > 0) yield last;
    } finally {
      await rows.return?.();
    }
  }

  return {
    source: header.table.kind,
    kind: header.table.kind,
    records: { read },
    facts: [],
    problems: header.problems,
    ignoredColumns: header.ignored,
    finishedOnly: finishedOnly(
      plan.table,
      (key) => header.columns.some((c) => c.column.key === key),
      catalogue,
    ),
  };
}

interface HeaderAndRows {
  header: HeaderPlan;
  /** The rows under the header, not read yet. */
  rows: AsyncIterator<TableRow>;
}

async function headerAndRows(
  source: ExportBytes,
  tables: readonly ExportTable[],
  fileName: string,
): Promise<HeaderAndRows> {
  const rows = (await tableRows(source, fileName)).rows[Symbol.asyncIterator]();
  for (let rowIndex = 0; rowIndex < HEADER_SEARCH_ROWS; rowIndex++) {
    const next = await rows.next();
    if (next.done) break;
    const header = headerOf(next.value, rowIndex, tables);
    if (header) return { header, rows };
  }
  await rows.return?.();
  throw noHeaderRow(tables, fileName);
}

function samePlan(a: HeaderPlan, b: HeaderPlan): boolean {
  return (
    a.table === b.table &&
    a.rowIndex === b.rowIndex &&
    a.columns.length === b.columns.length &&
    a.columns.every((c, i) => c.index === b.columns[i]!.index && c.column === b.columns[i]!.column)
  );
}

function changedWhileRead(fileName: string): InvalidInput {
  return new InvalidInput(
    fileName,
    "changed while it was being imported; nothing was imported: import it again once it is written",
  );
}
