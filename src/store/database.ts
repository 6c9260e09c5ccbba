import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { type DataDirLock, DataDirLocked, lockDataDir } from "./data-dir-lock.ts";
import { reachHolder } from "./holder-socket.ts";
import { pgliteTemplateFor } from "./pglite-template.ts";
import { describeUrl, type PostgresTarget, postgresTarget } from "./postgres-url.ts";
import * as schema from "./schema.ts";
import { type ServedSocket, serveSocket } from "./served-socket.ts";
import { discardSocketPlace, type SocketPlace, socketPlaceFor } from "./socket-path.ts";

/**
 * One code path, two databases: PGlite in a local directory (the embedded default, one process
 * only) or PostgreSQL through postgres.js when a URL is given (several replicas). The process
 * holding PGlite may serve it on a Unix socket (served-socket.ts); another process finding it held
 * then reaches it there, through postgres.js like PostgreSQL (an "attached" store).
 *
 * Each driver is imported when a store of its kind opens: a process on PGlite never loads
 * postgres.js, one on PostgreSQL never loads PGlite's WebAssembly build.
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
   * PGlite only: where this process serves the database to others, or why it could not; on an
   * attached store, the holder's socket.
   */
  socket?: { path: string } | { failed: string };
  /**
   * How the job queue (pg-boss) reaches the same database: PostgreSQL by the URL, on a pool of its
   * own; PGlite through this store's one client, since PGlite serves one process.
   */
  jobQueue: { connectionString: string } | { executeSql: SqlExecutor };
  close(): Promise<void>;
}

/**
 * How a store's driver takes COPY (copy-in.ts): postgres.js streams it ("stream"), PGlite in this
 * process reads a blob ("blob"), and postgres.js on PGlite's socket cannot ("json"). Noted when
 * the store opens, so that a big import needs no query to find it out.
 */
export type CopyWay = "stream" | "blob" | "json";

const copyWays = new WeakMap<Db, CopyWay>();

export const copyWayOf = (db: Db): CopyWay | undefined => copyWays.get(db);

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
  /** PGlite in a directory: serve it on a Unix socket to other processes while this one holds it. */
  serve?: boolean;
  /**
   * PGlite in a directory held by another live process that serves it: use it through that
   * process's socket rather than fail (DataDirLocked).
   */
  attach?: boolean;
  /** A new PGlite database's starting directory (pglite-template.ts); default the build's template. */
  pgliteTemplate?: URL;
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
  if (dataDir === "memory") return openPgliteHeld(dataDir, options, undefined);
  await mkdir(dataDir, { recursive: true });
  // A holder that died between our look at its lock and our use of its socket has left the lock
  // to be taken over: look again, a few times.
  for (let attempt = 1; ; attempt++) {
    const place = options.serve ? await socketPlaceFor(dataDir) : undefined;
    let lock: DataDirLock;
    try {
      lock = await lockDataDir(dataDir, place ? { socket: place.path } : {});
    } catch (error) {
      if (place) await discardSocketPlace(place);
      if (!(options.attach && error instanceof DataDirLocked)) throw error;
      const holder = await reachHolder(error);
      if (holder.kind === "gone" && attempt < ATTACH_ATTEMPTS) continue;
      if (holder.kind === "silent") {
        const owner = { pid: error.ownerPid ?? 0, host: error.ownerHost ?? "" };
        throw new DataDirLocked(dataDir, owner, ` (its socket ${holder.path} did not answer)`);
      }
      if (holder.kind !== "served") throw error;
      try {
        return await openAttached(dataDir, holder.path, error.ownerPid, options);
      } catch (failure) {
        if (isHolderGone(failure) && attempt < ATTACH_ATTEMPTS) continue;
        throw failure;
      }
    }
    try {
      return await openPgliteHeld(dataDir, options, { lock, place });
    } catch (error) {
      await lock.release();
      throw error;
    }
  }
}

const ATTACH_ATTEMPTS = 3;

async function openPgliteHeld(
  dataDir: string,
  options: StoreOptions,
  held: { lock: DataDirLock; place: SocketPlace | undefined } | undefined,
): Promise<Store> {
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }, template] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
    pgliteTemplateFor(dataDir, options.pgliteTemplate),
  ]);
  // A new database from the build's template rather than PGlite's own initdb (pglite-template.ts).
  const start = template ? { loadDataDir: template } : {};
  const client = dataDir === "memory" ? new PGlite(start) : new PGlite(dataDir, start);
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  copyWays.set(db, "blob");
  if (options.migrate !== false) {
    await migratePglite(db as never, { migrationsFolder: MIGRATIONS_DIR });
  }
  let served: ServedSocket | undefined;
  let socket: Store["socket"];
  if (held?.place) {
    try {
      served = await serveSocket(client, held.place);
      socket = { path: served.path };
    } catch (error) {
      // Serving is for the other commands' convenience: the holder goes on without it.
      await discardSocketPlace(held.place).catch(() => {});
      socket = { failed: error instanceof Error ? error.message : String(error) };
    }
  }
  return {
    db,
    kind: "pglite",
    location: dataDir,
    ...(socket ? { socket } : {}),
    jobQueue: { executeSql: pgliteExecutor(client) },
    async close() {
      try {
        await served?.close();
        await client.close();
      } finally {
        await held?.lock.release();
      }
    },
  };
}

/**
 * The embedded database through its holder's socket: PostgreSQL's path (postgres.js, migrations
 * under the advisory lock, harmless when the holder has run them). Named prepared statements would
 * outlive this process in the holder's one session, so statements go unnamed.
 */
async function openAttached(dataDir: string, path: string, pid: number | undefined, options: StoreOptions) {
  const target: PostgresTarget = {
    url: "postgres://postgres@localhost/template1",
    options: { path, prepare: false },
  };
  return openPostgresTarget(target, options, {
    kind: "pglite",
    location: `${dataDir}, through the socket of process ${pid}`,
    socket: { path },
    jobQueue: { connectionString: `postgres://postgres@localhost/template1?host=${dirname(path)}` },
  });
}

/** The holder went away: its socket is gone or refuses. */
function isHolderGone(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    code === "ENOENT" || code === "ECONNREFUSED" || code === "CONNECTION_CLOSED" || code === "ECONNRESET"
  );
}

async function openPostgres(url: string, options: StoreOptions): Promise<Store> {
  return openPostgresTarget(postgresTarget(url), options, {
    kind: "postgres",
    location: describeUrl(url),
    // node-postgres reads libpq's ?host=/dir socket form itself.
    jobQueue: { connectionString: url },
  });
}

async function openPostgresTarget(
  target: PostgresTarget,
  options: StoreOptions,
  described: Pick<Store, "kind" | "location" | "jobQueue" | "socket">,
): Promise<Store> {
  if (options.migrate !== false) await migrateLocked(target);
  const [{ default: postgres }, { drizzle: drizzlePostgres }] = await Promise.all([
    import("postgres"),
    import("drizzle-orm/postgres-js"),
  ]);
  const client = postgres(target.url, { ...target.options, max: 10, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  // postgres.js on PGlite's socket (an attached store) cannot COPY: see copy-in.ts.
  copyWays.set(db, described.kind === "pglite" ? "json" : "stream");
  return { db, ...described, close: () => client.end({ timeout: 5 }) };
}

/** Runs migrations on one connection holding an advisory lock, so replicas take turns. */
async function migrateLocked(target: PostgresTarget): Promise<void> {
  const [{ default: postgres }, { drizzle: drizzlePostgres }, { migrate: migratePostgres }] =
    await Promise.all([
      import("postgres"),
      import("drizzle-orm/postgres-js"),
      import("drizzle-orm/postgres-js/migrator"),
    ]);
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
