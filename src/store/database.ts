import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { type DataDirLock, lockDataDir } from "./data-dir-lock.ts";
import { describeUrl, type PostgresTarget, postgresTarget } from "./postgres-url.ts";
import * as schema from "./schema.ts";

/**
 * One code path, two databases: PGlite in a local directory (the embedded default, one process
 * only) or PostgreSQL through postgres.js when a URL is given (several replicas).
 */

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A database or a transaction in it: repositories take either. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type Queryable = Db | Tx;

export interface Store {
  db: Db;
  kind: "pglite" | "postgres";
  /** Where it lives, without credentials: a directory, "memory", or host:port/database. */
  location: string;
  /**
   * How the job queue (pg-boss) reaches the same database: PostgreSQL by the URL, on a pool of its
   * own; PGlite through this store's one client, since PGlite serves one process.
   */
  jobQueue: { connectionString: string } | { executeSql: SqlExecutor };
  close(): Promise<void>;
}

/** Rows of db.execute: postgres.js gives an array, PGlite an object holding `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

/** Plain SQL with $1… parameters, for libraries that bring their own (pg-boss). */
export type SqlExecutor = (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;

export interface StoreOptions {
  /** postgres://… — PostgreSQL; absent: PGlite. */
  databaseUrl?: string;
  /** PGlite's directory; "memory" keeps it in memory (tests). Default ./data. */
  dataDir?: string;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
}

// migrations/ sits at the project root: this path works from src/store/ and dist/store/ alike.
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/", import.meta.url));

/** Serialises migrations of replicas starting together (any fixed number would do). */
const MIGRATION_LOCK = 7_240_451;

export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const url = options.databaseUrl;
  return url !== undefined && url !== "" ? openPostgres(url, options) : openPglite(options);
}

async function openPglite(options: StoreOptions): Promise<Store> {
  const dataDir = options.dataDir ?? "./data";
  const inMemory = dataDir === "memory";
  let lock: DataDirLock | undefined;
  if (!inMemory) {
    await mkdir(dataDir, { recursive: true });
    lock = await lockDataDir(dataDir);
  }
  try {
    const client = inMemory ? new PGlite() : new PGlite(dataDir);
    await client.waitReady;
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    if (options.migrate !== false) {
      await migratePglite(db as never, { migrationsFolder: MIGRATIONS_DIR });
    }
    return {
      db,
      kind: "pglite",
      location: inMemory ? "memory" : dataDir,
      jobQueue: { executeSql: pgliteExecutor(client) },
      async close() {
        await client.close();
        await lock?.release();
      },
    };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

async function openPostgres(url: string, options: StoreOptions): Promise<Store> {
  const target = postgresTarget(url);
  if (options.migrate !== false) await migrateLocked(target);
  const client = postgres(target.url, { ...target.options, max: 10, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    location: describeUrl(url),
    // node-postgres reads libpq's ?host=/dir socket form itself.
    jobQueue: { connectionString: url },
    close: () => client.end({ timeout: 5 }),
  };
}

/** Runs migrations on one connection holding an advisory lock, so replicas take turns. */
async function migrateLocked(target: PostgresTarget): Promise<void> {
  const client = postgres(target.url, { ...target.options, max: 1, onnotice: () => {} });
  try {
    await client`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS_DIR });
    await client`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * pg-boss sends parameterless multi-statement SQL (BEGIN; …; COMMIT): PGlite runs that only
 * through exec, one statement at a time in one call; with parameters, one statement via query.
 */
function pgliteExecutor(client: PGlite): SqlExecutor {
  return async (text, values) => {
    if (values === undefined || values.length === 0) {
      const results = await client.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    }
    const result = await client.query(text, values);
    return { rows: result.rows };
  };
}
