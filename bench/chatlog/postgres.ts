/**
 * The response metrics of docs/chatlog.md computed by PostgreSQL: the messages CSV is streamed
 * from Node into an unlogged table with COPY … FROM STDIN, then the query of
 * bench/chatlog/response-sql.ts runs over it. Everything happens in one transaction, so the
 * table disappears with it whatever happens.
 */
import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import {
  DEFAULT_TIME_ZONE,
  messagesSelect,
  postgresDialect,
  type ResponseRow,
  type ResponseRowFromSql,
  readCsvHeader,
  responseMetricsSql,
  sqlIdentifier,
  toResponseRows,
} from "./response-sql.ts";
import { TRANSFER_COLUMNS, type TransferRow, toTransferRows, transferMetricsSql } from "./transfer-sql.ts";

export interface PostgresOptions {
  /** Shop-local time zone of the session day; Asia/Shanghai by default. */
  timeZone?: string;
}

/** Response figures per (shop, agent, session day) of the messages CSV at `csvPath`. */
export async function responseMetricsPostgres(
  sql: postgres.Sql,
  csvPath: string,
  options: PostgresOptions = {},
): Promise<ResponseRow[]> {
  const rows = await loadAndQuery(sql, csvPath, (header, table) =>
    responseMetricsSql(postgresDialect, messagesSelect(header, table), options.timeZone ?? DEFAULT_TIME_ZONE),
  );
  return toResponseRows(rows as unknown as ResponseRowFromSql[]);
}

/** transfer_rate's parts per (shop, agent, session day) of the messages CSV at `csvPath`. */
export async function transferMetricsPostgres(
  sql: postgres.Sql,
  csvPath: string,
  options: PostgresOptions = {},
): Promise<TransferRow[]> {
  const rows = await loadAndQuery(sql, csvPath, (header, table) =>
    transferMetricsSql(
      postgresDialect,
      messagesSelect(header, table, TRANSFER_COLUMNS),
      options.timeZone ?? DEFAULT_TIME_ZONE,
    ),
  );
  return toTransferRows(rows as unknown as Parameters<typeof toTransferRows>[0]);
}

/** Loads the CSV into a table of this transaction and runs the query `build` makes over it. */
async function loadAndQuery(
  sql: postgres.Sql,
  csvPath: string,
  build: (header: readonly string[], table: string) => string,
): Promise<readonly unknown[]> {
  const header = await readCsvHeader(csvPath);
  // A name of our own, so that concurrent runs on one database don't meet.
  const table = sqlIdentifier(`kpi_messages_${randomUUID().replaceAll("-", "")}`);
  const query = build(header, table);
  return sql.begin(async (tx) => {
    await tuneSession(tx);
    await loadMessages(tx, table, header, csvPath);
    const result = await tx.unsafe(query);
    await tx.unsafe(`DROP TABLE ${table}`);
    return result;
  });
}

/** Room for the sort and the hash aggregate in memory, and parallel workers for the scan. */
async function tuneSession(tx: postgres.TransactionSql): Promise<void> {
  await tx.unsafe("SET LOCAL work_mem = '256MB'");
  await tx.unsafe("SET LOCAL max_parallel_workers_per_gather = 2");
  // The planner prices the text → timestamptz cast as nearly free, so it keeps the scan (where
  // the casts run) in one process; cheap parallelism lets workers cast and pre-sort their share.
  await tx.unsafe("SET LOCAL parallel_setup_cost = 0");
  await tx.unsafe("SET LOCAL parallel_tuple_cost = 0.001");
}

/**
 * An UNLOGGED table (no WAL; unlike a temp table, parallel workers can scan it) with every
 * column of the file as text, filled by COPY from a file stream. Created in this transaction,
 * it can be loaded FROZEN, so the scan need not look up and set the rows' visibility hints.
 * Columns collate "C": the session key only needs equality, and byte order sorts fastest
 * whatever the database's default collation. No ANALYZE: the query has a single plan shape
 * (one sort, window pass, aggregations), and the statistics cost more than they change.
 */
async function loadMessages(
  tx: postgres.TransactionSql,
  table: string,
  header: readonly string[],
  csvPath: string,
): Promise<void> {
  const columns = header.map((name) => `${sqlIdentifier(name)} text COLLATE "C"`).join(", ");
  await tx.unsafe(`CREATE UNLOGGED TABLE ${table} (${columns})`);
  const copy = await tx
    .unsafe(`COPY ${table} FROM STDIN WITH (FORMAT csv, HEADER true, FREEZE true)`)
    .writable();
  await pipeline(createReadStream(csvPath), copy);
}
