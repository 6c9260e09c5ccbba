import { sql } from "drizzle-orm";
import type { AgentDayRecord } from "../sources/source.ts";
import {
  type AgentDayRow,
  anyStored,
  type ImportRun,
  insertAgentDays,
  noteChanges,
  nothingWritten,
  REPLACING_STORED,
  type StoredAgentDay,
  type WrittenAgentDays,
} from "./agent-day-changes.ts";
import { holdOffWriters } from "./copy-in.ts";
import { type Db, rowsOf, type Tx } from "./database.ts";
import { figuresOfText } from "./figures-text.ts";
import { type BatchCensus, type ImportableBatch, readingOf } from "./import-census.ts";
import type { HeldAccount, HeldRows } from "./import-held-rows.ts";
import { openStaging, openStoring, STAGING_TABLE } from "./import-staging.ts";
import { statementChunks } from "./import-writes.ts";

/**
 * Writing a big batch's agent-days: read again into a staging table by COPY (import-staging.ts),
 * then moved into agent_days a range of days at a time; when the source has nothing stored for
 * those days (a first import, the usual case), by plain INSERT … SELECT; otherwise by an upsert
 * that brings back only the rows whose stored text was absent or other, to be compared, counted
 * and audited (agent-day-changes.ts). What grows with the batch stays in the database.
 */

/**
 * Agent-days from which a batch goes by COPY rather than by the plain path (import-writes.ts).
 * The COPY path costs a fixed few statements (a temporary table created, indexed and dropped, the
 * COPY's own round trips) that a small batch pays in full. Timed on the shared 2-core machine, a
 * first import into a fresh PostgreSQL database (median of 5, milliseconds, plain / COPY): 5,000
 * agent-days 136 / 174, 10,000 269 / 276, 20,000 506 / 482, 100,000 2,731 / 1,968. So COPY from
 * 20,000: the demo's and the chat logs' batches (a few hundred) never take it, a big shop's
 * month (310,000) always does.
 */
export const COPY_FROM_AGENT_DAYS = 20_000;

/**
 * Rows moved per statement, about: whole days, as few as make it. The statements only report
 * progress and bound what a comparison brings back; the rows are already in the database.
 */
const MOVE_ROWS = 10_000;

/**
 * Reads the batch's records again into staging, then moves them. Throws, as the plain path does,
 * when this reading does not give what the census counted: a file that changed between readings.
 */
export async function writeAgentDaysByCopy(
  db: Db,
  tx: Tx,
  rows: RowsToCopy,
  census: BatchCensus,
  run: ImportRun,
  differs: () => Error,
): Promise<WrittenAgentDays> {
  const written = nothingWritten();
  // What is stored cannot change between the look below and the rows' COPY.
  await holdOffWriters(tx, "agent_days");
  // A source's first file for these days (the usual case) has nothing to compare with or replace.
  const compareStored = census.records > 0 && (await anyStored(tx, census, run.source));
  const staging = compareStored ? await openStaging(db, tx) : openStoring(db, tx, run);
  try {
    // Stored as they are copied; staged rows are reported as they are moved, below.
    const copied = (done: number) => {
      if (!compareStored) run.options.onProgress?.(done, census.records);
    };
    if (rows.held?.held) await staging.stageHeld(rows.held, rows.agentOf, copied);
    else
      for await (const records of statementChunks(readingOf(rows.batch), differs)) {
        await staging.stage(records.map(rows.rowOf));
        copied(staging.rows);
      }
    rows.held?.drop();
    await staging.finish();
  } catch (error) {
    await staging.abort();
    throw error;
  }
  if (staging.rows !== census.records) throw differs();
  if (!compareStored) {
    written.counts.new += staging.rows;
    for (const day of staging.rowsByDay.keys()) written.changedDays.add(day);
    return written;
  }
  await tx.execute(sql.raw(`CREATE INDEX ON ${STAGING_TABLE} (day)`));
  let done = 0;
  for (const { from, to, rows } of dayRanges(staging.rowsByDay)) {
    const differing = await upsertDays(tx, from, to, run);
    await noteChanges(tx, written, differing, run);
    written.counts.unchanged += rows - differing.length;
    done += rows;
    run.options.onProgress?.(done, census.records);
  }
  return written;
}

/** A big batch's rows: kept by the census while they fit, else read again from the batch. */
export interface RowsToCopy {
  /** Absent for a batch in memory, which costs nothing to read again. */
  held: HeldRows | undefined;
  agentOf: (account: HeldAccount) => string;
  batch: ImportableBatch;
  rowOf: (record: AgentDayRecord) => AgentDayRow;
}

/** The staged days in order, gathered into ranges of about MOVE_ROWS rows. */
function dayRanges(rowsByDay: ReadonlyMap<string, number>): { from: string; to: string; rows: number }[] {
  const ranges: { from: string; to: string; rows: number }[] = [];
  let current: { from: string; to: string; rows: number } | undefined;
  for (const day of [...rowsByDay.keys()].sort()) {
    const rows = rowsByDay.get(day)!;
    if (current && current.rows + rows <= MOVE_ROWS) {
      current.to = day;
      current.rows += rows;
    } else {
      current = { from: day, to: day, rows };
      ranges.push(current);
    }
  }
  return ranges;
}

const between = (from: string, to: string) => sql`WHERE s.day BETWEEN ${from}::date AND ${to}::date`;

const FROM_STAGED = sql.raw(`FROM ${STAGING_TABLE} s`);

const insertStaged = (run: ImportRun) =>
  insertAgentDays(run, sql`s.shop_id, s.agent_id, s.day, s.figures, s.pending`);

/**
 * Upserts a range of days' staged rows and returns those whose stored text was absent or other,
 * with what was stored: the WITH queries see the table as it was before the INSERT beside them.
 */
async function upsertDays(
  tx: Tx,
  from: string,
  to: string,
  run: ImportRun,
): Promise<{ row: AgentDayRow; before: StoredAgentDay | undefined }[]> {
  const result = await tx.execute(sql`WITH input AS (
      SELECT s.shop_id, s.agent_id, s.day, s.figures, s.pending ${FROM_STAGED} ${between(from, to)}),
    stored AS (
      SELECT t.shop_id, t.agent_id, t.day, t.values, t.pending FROM agent_days t
      WHERE t.day BETWEEN ${from}::date AND ${to}::date AND t.source = ${run.source}::text),
    written AS (${insertStaged(run)} ${FROM_STAGED} ${between(from, to)} ${REPLACING_STORED} RETURNING 1)
    SELECT i.shop_id, i.agent_id, i.day::text AS day, i.figures, i.pending::text AS pending,
      st.values AS stored_values, st.pending::text AS stored_pending
    FROM input i LEFT JOIN stored st ON st.day = i.day AND st.shop_id = i.shop_id AND st.agent_id = i.agent_id
    WHERE st.values IS DISTINCT FROM i.figures OR st.pending IS DISTINCT FROM i.pending`);
  return rowsOf<DifferingText>(result).map((row) => ({
    row: {
      shopId: row.shop_id,
      agentId: row.agent_id,
      day: row.day,
      values: figuresOfText(row.figures),
      pending: JSON.parse(row.pending) as string[],
    },
    before:
      row.stored_values === null
        ? undefined
        : { values: figuresOfText(row.stored_values), pending: JSON.parse(row.stored_pending!) as string[] },
  }));
}

interface DifferingText {
  shop_id: string;
  agent_id: string;
  day: string;
  figures: string;
  pending: string;
  stored_values: string | null;
  stored_pending: string | null;
}
