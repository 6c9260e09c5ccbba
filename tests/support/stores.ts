/**
 * Every store test runs on both databases: PGlite in memory, and a fresh database of its own in
 * the real PostgreSQL server of the test run (tests/support/global-setup.ts).
 */
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { openStore, type Store } from "../../src/store/database.ts";
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
    drop: () => withDatabase(serverUrl, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** A migrated, empty store of the kind; close() also drops a PostgreSQL database. */
export async function openTestStore(kind: StoreKind): Promise<Store> {
  if (kind === "pglite") return openStore({ dataDir: "memory" });
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
