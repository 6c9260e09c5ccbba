import type { Writable } from "node:stream";
import type { Transaction as PgliteTransaction } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { TransactionSql } from "postgres";
import { type CopyWay, copyWayOf, type Db, type Tx } from "./database.ts";

/**
 * Rows into a table of the open transaction by COPY … FROM STDIN, in PostgreSQL's text format:
 * the server parses plain lines, with no statement, parameter or JSON to unpack per row.
 * postgres.js streams them on the transaction's connection (a chunk is parsed by the server while
 * the next is made); PGlite reads each chunk as a blob in its own thread. A store attached to
 * PGlite through its holder's socket cannot COPY (the socket handler passes COPY's messages one at
 * a time, which PGlite cannot follow), so there each chunk goes as one JSON text parameter.
 */

/** A row's fields as text, in the table's column order; null for NULL. */
export type CopyRow = readonly (string | null)[];

export interface CopyIn {
  /**
   * Sends whole rows in COPY's text format (copyText), as text or its UTF-8 bytes; resolves when
   * the previous chunk has been taken, so that one is in flight while the caller makes the next.
   */
  write(chunk: string | Uint8Array): Promise<void>;
  /** Ends the rows; resolves when the server has stored them all. */
  end(): Promise<void>;
  /** Gives up (the import failed meanwhile): the connection is left able to roll back. */
  abort(): Promise<void>;
}

export interface CopyTarget {
  table: string;
  /** Column names and their types (the types only for the JSON path). */
  columns: readonly { name: string; type: string }[];
}

export async function copyIn(db: Db, tx: Tx, target: CopyTarget): Promise<CopyIn> {
  const client = rawClientOf(tx);
  const way = copyWayOf(db) ?? (await askedCopyWay(client));
  if (way === "blob") return blobCopy(client as PgliteTransaction, target);
  if (way === "json") return jsonInsert(client as TransactionSql, target);
  return streamedCopy(client as TransactionSql, target);
}

/**
 * The driver's own transaction under drizzle's: postgres.js's TransactionSql or PGlite's. drizzle
 * has no public way to it (db.$client is the pool, whose COPY would run outside the transaction;
 * the transaction's client is its session's, which drizzle does not declare), so this reaches
 * into tx.session.client, as drizzle's own nested transactions do.
 */
function rawClientOf(tx: Tx): TransactionSql | PgliteTransaction {
  return (tx as unknown as { session: { client: TransactionSql | PgliteTransaction } }).session.client;
}

/**
 * A store not opened by openStore: the driver by its client's shape, and an attached store (the
 * version names PGlite) by asking.
 */
async function askedCopyWay(client: TransactionSql | PgliteTransaction): Promise<CopyWay> {
  if (!("unsafe" in client)) return "blob";
  const [row] = await client.unsafe<{ v: string }[]>("SELECT version() AS v");
  return row?.v.includes("PGlite") === true ? "json" : "stream";
}

/**
 * Holds off every other writer of `table` until the transaction ends (readers are not held), so
 * that what the caller looks at next is still so when its COPY runs. A row written meanwhile
 * could fail the COPY on its key, and a COPY the server fails never settles postgres.js's
 * writable: the transaction would wait for ever, with no ROLLBACK (porsager/postgres#1173).
 */
export async function holdOffWriters(tx: Tx, table: string): Promise<void> {
  await tx.execute(sql.raw(`LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`));
}

const columnList = (target: CopyTarget) => target.columns.map((c) => c.name).join(", ");

async function streamedCopy(client: TransactionSql, target: CopyTarget): Promise<CopyIn> {
  const stream: Writable = await client
    .unsafe(`COPY ${target.table} (${columnList(target)}) FROM STDIN`)
    .writable();
  // The server's refusal (a bad row) arrives as the stream's error, whenever it comes.
  let failure: Error | undefined;
  stream.on("error", (error) => {
    failure = error;
  });
  let inFlight: Promise<void> = Promise.resolve();
  const failed = () => failure ?? new Error(`COPY into ${target.table} was cut off`);
  return {
    async write(chunk) {
      await inFlight;
      if (failure) throw failure;
      inFlight = new Promise((resolve, reject) =>
        stream.write(chunk, (error) => (error ? reject(error) : resolve())),
      );
      // A rejection is seen by the next write or end; until then it is not unhandled.
      inFlight.catch(() => {});
    },
    async end() {
      await inFlight;
      await new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure);
        stream.once("error", reject);
        stream.once("close", () => (failure ? reject(failed()) : resolve()));
        stream.end();
      });
    },
    async abort() {
      if (stream.destroyed) return;
      // Destroying sends CopyFail: the server ends the COPY with an error, and the statement's
      // rejection is expected, not a failure of its own.
      const closed = new Promise((resolve) => stream.once("close", resolve));
      stream.destroy(new Error("the import stopped"));
      await closed;
    },
  };
}

function blobCopy(client: PgliteTransaction, target: CopyTarget): CopyIn {
  const statement = `COPY ${target.table} (${columnList(target)}) FROM '/dev/blob'`;
  return {
    async write(chunk) {
      if (chunk.length > 0) await client.query(statement, [], { blob: new Blob([chunk]) });
    },
    async end() {},
    async abort() {},
  };
}

const utf8 = new TextDecoder();

function jsonInsert(client: TransactionSql, target: CopyTarget): CopyIn {
  const fields = target.columns.map((c, i) => `(r->>${i})::${c.type}`).join(", ");
  const statement = `INSERT INTO ${target.table} (${columnList(target)})
    SELECT ${fields} FROM json_array_elements($1::json) AS r`;
  return {
    async write(chunk) {
      const text = typeof chunk === "string" ? chunk : utf8.decode(chunk);
      if (text.length > 0) await client.unsafe(statement, [JSON.stringify(rowsOfCopyText(text))]);
    },
    async end() {},
    async abort() {},
  };
}

/** Rows in COPY's text format: tab between fields, a newline after each row, \N for NULL. */
export function copyText(rows: readonly CopyRow[]): string {
  let text = "";
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const field = row[i];
      if (i > 0) text += "\t";
      text += field === null || field === undefined ? "\\N" : copyField(field);
    }
    text += "\n";
  }
  return text;
}

/** COPY text read back into rows (for the JSON path): the inverse of copyText. */
export function rowsOfCopyText(text: string): CopyRow[] {
  const lines = text.split("\n");
  lines.pop();
  return lines.map((line) =>
    line.split("\t").map((field) => (field === "\\N" ? null : field.replace(/\\(.)/g, unescaped))),
  );
}

const UNESCAPED: Record<string, string> = { t: "\t", n: "\n", r: "\r" };
const unescaped = (_: string, c: string) => UNESCAPED[c] ?? c;

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** A field with the characters COPY's text format reads specially escaped. */
export function copyField(field: string): string {
  return NEEDS_ESCAPE.test(field) ? field.replace(/[\\\t\n\r]/g, (c) => ESCAPED[c]!) : field;
}

/**
 * JSON text as a COPY field: JSON writes no raw tab, newline or carriage return (it escapes every
 * control character), so only its backslashes need doubling, and most JSON has none.
 */
export const copyJson = (json: string) => (json.includes("\\") ? json.replaceAll("\\", "\\\\") : json);
