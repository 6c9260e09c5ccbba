/**
 * Every store test runs on both databases: PGlite in memory, and a fresh database of its own in
 * the real PostgreSQL server of the test run (tests/support/global-setup.ts).
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { inject } from "vitest";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { parseConfig } from "../../src/config.ts";
import { openStore, type Store } from "../../src/store/database.ts";
import { schemeVersions } from "../../src/store/schema.ts";
import { withDatabase } from "./postgres.ts";

export const STORE_KINDS = ["pglite", "postgres"] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** A fresh database of its own in the test server; dropped by the returned drop(). */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = inject("databaseUrl");
  const name = `kpi_t_${randomBytes(6).toString("hex")}`;
  await withDatabase(serverUrl, (sql) => sql.unsafe(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await withDatabase(serverUrl, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

let sharedPglite: Promise<Store> | undefined;

/**
 * One in-memory PGlite per test worker, emptied between tests: starting PGlite (compiling its
 * WebAssembly) takes about two seconds, emptying its tables a few milliseconds.
 */
async function emptyPglite(): Promise<Store> {
  sharedPglite ??= openStore({ dataDir: "memory" });
  const store = await sharedPglite;
  return {
    ...store,
    async close() {
      const tables = await store.db.execute<{ name: string }>(
        sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`,
      );
      const names = (tables as unknown as { rows: { name: string }[] }).rows.map((t) => `"${t.name}"`);
      await store.db.execute(sql.raw(`TRUNCATE ${names.join(", ")} RESTART IDENTITY CASCADE`));
    },
  };
}

/** A migrated, empty store of the kind; close() empties it (PGlite) or drops it (PostgreSQL). */
export async function openTestStore(kind: StoreKind): Promise<Store> {
  if (kind === "pglite") return emptyPglite();
  const database = await freshPostgresDatabase();
  const store = await openStore({ databaseUrl: database.url });
  return {
    ...store,
    async close() {
      await store.close();
      await database.drop();
    },
  };
}

/** A test store with the shop the import tests name: s1, 旗舰店 on Taobao. */
export async function openTestStoreWithShop(kind: StoreKind): Promise<Store> {
  const store = await openTestStore(kind);
  await store.db.execute(
    sql`INSERT INTO shops (id, name, platform) VALUES ('s1', '旗舰店', 'taobao') ON CONFLICT DO NOTHING`,
  );
  return store;
}

/** A test store with a configuration synced (roster, schemes), and the first scheme version's id. */
export async function openSyncedStore(
  kind: StoreKind,
  config: string,
  now: Date,
): Promise<{ store: Store; schemeVersionId: number }> {
  const store = await openTestStore(kind);
  await syncConfig(store.db, { config: parseConfig(config, "test"), origin: "test", baseDir: "." }, now);
  const [version] = await store.db.select({ id: schemeVersions.id }).from(schemeVersions).limit(1);
  return { store, schemeVersionId: version!.id };
}
