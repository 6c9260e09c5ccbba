/**
 * A database made by an earlier version keeps its data through the later migrations: each
 * migration that rewrites a table is run here against rows written the old way.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { afterEach, describe, expect, it } from "vitest";
import { agentDaysBetween } from "../../src/store/agent-day-repo.ts";
import { MIGRATIONS_DIR, openStore, type Store } from "../../src/store/database.ts";
import { freshPostgresDatabase, STORE_KINDS } from "../support/stores.ts";

/** A migrations folder holding only the first `count` migrations of the real one. */
async function firstMigrations(count: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "kpi-migrations-"));
  const journal = JSON.parse(await readFile(join(MIGRATIONS_DIR, "meta", "_journal.json"), "utf8"));
  journal.entries = journal.entries.slice(0, count);
  await mkdir(join(dir, "meta"));
  await writeFile(join(dir, "meta", "_journal.json"), JSON.stringify(journal));
  for (const { tag } of journal.entries)
    await copyFile(join(MIGRATIONS_DIR, `${tag}.sql`), join(dir, `${tag}.sql`));
  return dir;
}

describe.each(STORE_KINDS)("upgrading a %s database", (kind) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** The store with only the first `count` migrations applied, and a way to apply the rest. */
  async function storeAt(count: number): Promise<{ store: Store; migrateAll(): Promise<void> }> {
    const folder = await firstMigrations(count);
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    let options: { databaseUrl?: string; dataDir?: string } = { dataDir: "memory" };
    if (kind === "postgres") {
      const database = await freshPostgresDatabase();
      cleanups.push(() => database.drop());
      options = { databaseUrl: database.url };
    }
    const store = await openStore({ ...options, migrate: false });
    cleanups.push(() => store.close());
    const migrate = (migrationsFolder: string) =>
      kind === "postgres"
        ? migratePostgres(store.db as never, { migrationsFolder })
        : migratePglite(store.db as never, { migrationsFolder });
    await migrate(folder);
    return { store, migrateAll: () => migrate(MIGRATIONS_DIR) };
  }

  it("keeps agent-days stored as jsonb by the first version", async () => {
    const { store, migrateAll } = await storeAt(1);
    await store.db.execute(sql`INSERT INTO shops (id, name, platform) VALUES ('s1', '旗舰店', 'taobao')`);
    await store.db.execute(sql`INSERT INTO agents (id, name, role) VALUES ('zhang', '小张', 'presales')`);
    await store.db.execute(sql`INSERT INTO import_runs (source, file_hash, shop_id, status, record_count, problem_count, problems, started_at)
      VALUES ('chitu', 'h', 's1', 'done', 1, 0, '[]', now())`);
    await store.db.execute(sql`INSERT INTO agent_days (shop_id, agent_id, day, source, values, pending, import_run_id, updated_at)
      VALUES ('s1', 'zhang', '2026-11-20', 'chitu', '{"reply_rate": {"num": 118, "den": 120}}'::jsonb, '["conversion_rate"]', 1, now())`);
    await migrateAll();
    expect(await agentDaysBetween(store.db, "2026-11-20", "2026-11-20")).toEqual([
      {
        agentId: "zhang",
        shopId: "s1",
        day: "2026-11-20",
        values: { reply_rate: { num: 118, den: 120 } },
        pending: ["conversion_rate"],
      },
    ]);
  });
});
