/**
 * The response metrics of docs/chatlog.md computed by DuckDB straight from the messages CSV
 * (read_csv, in parallel), with the query of bench/chatlog/response-sql.ts.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import {
  DEFAULT_TIME_ZONE,
  duckdbDialect,
  messagesSelect,
  type ResponseRow,
  type ResponseRowFromSql,
  readCsvHeader,
  responseMetricsSql,
  sqlString,
  toResponseRows,
} from "./response-sql.ts";
import { TRANSFER_COLUMNS, type TransferRow, toTransferRows, transferMetricsSql } from "./transfer-sql.ts";

export interface DuckDBOptions {
  /** DuckDB worker threads (`SET threads`). */
  threads: number;
  /** Shop-local time zone of the session day; Asia/Shanghai by default. */
  timeZone?: string;
}

/** Response figures per (shop, agent, session day) of the messages CSV at `csvPath`. */
export async function responseMetricsDuckDB(csvPath: string, options: DuckDBOptions): Promise<ResponseRow[]> {
  const header = await readCsvHeader(csvPath);
  const query = responseMetricsSql(
    duckdbDialect,
    messagesSelect(header, readCsvCall(csvPath, header)),
    options.timeZone ?? DEFAULT_TIME_ZONE,
  );
  return toResponseRows((await run(query, options)) as unknown as ResponseRowFromSql[]);
}

/** transfer_rate's parts per (shop, agent, session day) of the messages CSV at `csvPath`. */
export async function transferMetricsDuckDB(csvPath: string, options: DuckDBOptions): Promise<TransferRow[]> {
  const header = await readCsvHeader(csvPath);
  const query = transferMetricsSql(
    duckdbDialect,
    messagesSelect(header, readCsvCall(csvPath, header), TRANSFER_COLUMNS),
    options.timeZone ?? DEFAULT_TIME_ZONE,
  );
  return toTransferRows((await run(query, options)) as unknown as Parameters<typeof toTransferRows>[0]);
}

async function run(query: string, options: DuckDBOptions): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(":memory:");
  try {
    const connection = await instance.connect();
    try {
      await connection.run(`SET threads = ${Math.max(1, Math.floor(options.threads))}`);
      const result = await connection.runAndReadAll(query);
      return result.getRowObjectsJS() as Record<string, unknown>[];
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/**
 * read_csv with the dialect and every column (in the file's own order) given as VARCHAR, so
 * nothing is sniffed and both engines cast the same text.
 */
function readCsvCall(csvPath: string, header: readonly string[]): string {
  const columns = header.map((name) => `${sqlString(name)}: 'VARCHAR'`).join(", ");
  return `read_csv(${sqlString(csvPath)}, header = true, delim = ',', quote = '"', escape = '"', columns = {${columns}})`;
}
