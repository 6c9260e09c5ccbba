import { sql } from "drizzle-orm";
import type { AgentDayRecord, RecordChunk } from "../sources/source.ts";
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
import { type Queryable, rowsOf } from "./database.ts";
import { figuresOfText, figuresText } from "./figures-text.ts";
import { type BatchCensus, type ImportableBatch, readingOf } from "./import-census.ts";

/**
 * Writing a batch's agent-days into the import's transaction, a statement of up to 10,000 at a
 * time, each compared with what the source had stored for them (agent-day-changes.ts) as its
 * chunk is written: the plain path, a batch too small to be worth a COPY (import-copy-writes.ts).
 * Nothing here grows with the batch but the set of changed days.
 */

/**
 * Agent-days per statement. A chunk travels as one text parameter (the 65,535 bind-parameter
 * limit does not apply), so the size only trades round trips against memory: 10,000 rows are
 * about 5 MB, and a 310,000-row month takes 31 statements instead of 620.
 */
const AGENT_DAY_CHUNK = 10_000;

const rowKey = (r: { shopId: string; agentId: string; day: string }) =>
  `${r.shopId}\u0000${r.agentId}\u0000${r.day}`;

/**
 * Reads the batch's records again and upserts them a statement at a time; while the server
 * stores one chunk, the next is read and written out (the other core's work). Throws when this
 * reading does not give what the census counted: a file that changed between its readings.
 */
export async function writeAgentDays(
  tx: Queryable,
  batch: ImportableBatch,
  rowOf: (record: AgentDayRecord) => AgentDayRow,
  census: BatchCensus,
  run: ImportRun,
  differs: () => Error,
): Promise<WrittenAgentDays> {
  const written = nothingWritten();
  // A source's first file for these days (the usual case) has nothing to compare with or replace.
  const compareStored = census.records > 0 && (await anyStored(tx, census, run.source));
  const statements = statementChunks(readingOf(batch), differs)[Symbol.asyncIterator]();
  const prepare = async () => {
    const next = await statements.next();
    if (next.done) return undefined;
    const rows = next.value.map(rowOf);
    return { rows, lines: linesOf(rows) };
  };
  let done = 0;
  try {
    for (let chunk = await prepare(); chunk; ) {
      const statement = upsertAgentDays(tx, chunk.lines, run, compareStored);
      const next = await besideStatement(statement, prepare);
      const before = await statement;
      const compared = chunk.rows.map((row) => ({ row, before: before.get(rowKey(row)) }));
      await noteChanges(tx, written, compared, run);
      done += chunk.rows.length;
      run.options.onProgress?.(done, census.records);
      chunk = next;
    }
  } finally {
    await statements.return?.(undefined);
  }
  if (done !== census.records) throw differs();
  return written;
}

/** The reading's records in chunks of at most a statement's; a problem now means the file changed. */
export async function* statementChunks(
  reading: AsyncIterable<RecordChunk> | Iterable<RecordChunk>,
  differs: () => Error,
): AsyncGenerator<AgentDayRecord[]> {
  for await (const { records, problems } of reading) {
    if (problems.length > 0) throw differs();
    if (records.length <= AGENT_DAY_CHUNK) {
      if (records.length > 0) yield records;
      continue;
    }
    for (let i = 0; i < records.length; i += AGENT_DAY_CHUNK) yield records.slice(i, i + AGENT_DAY_CHUNK);
  }
}

/**
 * Runs `work` once the statement has been handed to the socket, without leaving the statement's
 * failure unhandled if `work` throws first.
 */
async function besideStatement<T>(statement: Promise<unknown>, work: () => Promise<T>): Promise<T> {
  await new Promise((resolve) => setImmediate(resolve));
  try {
    return await work();
  } catch (error) {
    await statement.catch(() => {});
    throw error;
  }
}

/**
 * One statement per chunk. The rows travel as one text parameter, a line per agent-day, split by
 * the server, as COPY would. (One JSON document of the chunk, unpacked by jsonb_to_recordset,
 * costs the server twice as much to parse; 80,000 bind parameters cost the client more than the
 * database's work.) When the source may have rows
 * stored for these days, the stored figures are read in the same statement: a WITH query sees
 * the table as it was before the INSERT beside it.
 */
async function upsertAgentDays(
  tx: Queryable,
  lines: string,
  run: ImportRun,
  compareStored: boolean,
): Promise<Map<string, StoredAgentDay>> {
  const field = (n: number) => sql`split_part(line, ${FIELD}::text, ${n}::integer)`;
  const input = sql`SELECT ${field(1)} AS s, ${field(2)} AS a, ${field(3)}::date AS d,
      ${field(4)} AS v, ${field(5)}::jsonb AS p
    FROM string_to_table(${lines}::text, ${LINE}::text) AS line`;
  const insert = sql`${insertAgentDays(run, sql`s, a, d, v, p`)} FROM input`;
  if (!compareStored) {
    // Nothing stored to collide with, so no ON CONFLICT: its speculative insert costs per row.
    await tx.execute(sql`WITH input AS (${input}) ${insert}`);
    return new Map();
  }
  const result = await tx.execute(sql`WITH input AS (${input}),
    written AS (${insert} ${REPLACING_STORED} RETURNING 1)
    SELECT t.shop_id, t.agent_id, t.day::text AS day, t.values, t.pending::text AS pending
    FROM agent_days t JOIN input ON t.shop_id = input.s AND t.agent_id = input.a AND t.day = input.d
    WHERE t.source = ${run.source}::text`);
  const stored = new Map<string, StoredAgentDay>();
  for (const row of rowsOf<StoredRowText>(result)) {
    stored.set(rowKey({ shopId: row.shop_id, agentId: row.agent_id, day: row.day }), {
      values: figuresOfText(row.values),
      pending: JSON.parse(row.pending) as string[],
    });
  }
  return stored;
}

interface StoredRowText {
  shop_id: string;
  agent_id: string;
  day: string;
  values: string;
  pending: string;
}

/**
 * Separators JSON.stringify never writes raw (it escapes every control character), so a figure
 * document cannot split a line; ids and days are checked.
 */
const LINE = "\u001e";
const FIELD = "\u001f";
const holdsSeparator = (text: string) => text.includes(LINE) || text.includes(FIELD);

function linesOf(chunk: AgentDayRow[]): string {
  const lines = new Array<string>(chunk.length);
  for (const [i, r] of chunk.entries()) {
    if (holdsSeparator(r.shopId) || holdsSeparator(r.agentId) || holdsSeparator(r.day))
      throw new Error(`agent-day ${JSON.stringify([r.shopId, r.agentId, r.day])} holds a control character`);
    lines[i] =
      `${r.shopId}${FIELD}${r.agentId}${FIELD}${r.day}${FIELD}${figuresText(r.values)}${FIELD}${JSON.stringify(r.pending)}`;
  }
  return lines.join(LINE);
}
