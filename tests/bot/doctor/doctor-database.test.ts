import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDoctor } from "../../../src/bot/doctor.ts";
import { findingLine } from "../../../src/cli/doctor.ts";
import { openStore, type Store } from "../../../src/store/database.ts";
import { freshPostgresDatabase, STORE_KINDS, type StoreKind } from "../../support/stores.ts";

/**
 * `kpi doctor`'s database and migration lines on both databases: all applied, some pending, a
 * database newer than the code, and one that cannot be reached. The doctor itself applies nothing.
 */

const dir = mkdtempSync(join(tmpdir(), "kpi-doctor-db-"));
const configPath = join(dir, "kpi.config.yaml");
writeFileSync(configPath, "dataDir: ./data\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const databaseLines = async (env: Record<string, string>) =>
  (await runDoctor({ configPath, env }))
    .filter((f) => f.subject === "database" || f.subject === "migrations")
    .map(findingLine);

describe.each(STORE_KINDS)("kpi doctor's database check on %s", (kind: StoreKind) => {
  let env: Record<string, string>;
  let open: () => Promise<Store>;
  let drop = async () => {};
  beforeAll(async () => {
    if (kind === "postgres") {
      const database = await freshPostgresDatabase();
      env = { DATABASE_URL: database.url };
      drop = database.drop;
      open = () => openStore({ databaseUrl: database.url });
    } else {
      env = { KPI_DATA_DIR: join(dir, "pglite") };
      open = () => openStore({ dataDir: join(dir, "pglite") });
    }
  });
  afterAll(() => drop());

  const where = () =>
    kind === "postgres" ? /PostgreSQL at 127\.0\.0\.1:\d+\/kpi_t_\w+/ : /embedded \(PGlite\) in .*pglite/;

  // Creating a PGlite directory runs initdb: about 15 s on a busy machine, once.
  it("says how many migrations are applied, pending ones applied at start, and a newer database", {
    timeout: 90_000,
  }, async () => {
    const store = await open();
    await store.close();
    const all = await databaseLines(env);
    expect(all[0]).toMatch(new RegExp(`^✓ database: ${where().source} answers$`));
    expect(all[1]).toMatch(/^✓ migrations: all \d+ applied$/);

    const newest = async (change: "forget" | "invent") => {
      const db = await openStore({
        ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
        dataDir: join(dir, "pglite"),
        migrate: false,
      });
      try {
        if (change === "forget")
          await db.db.execute(
            sql`DELETE FROM drizzle.__drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM drizzle.__drizzle_migrations)`,
          );
        else
          await db.db.execute(
            sql`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('from-the-future', 99999999999999)`,
          );
      } finally {
        await db.close();
      }
    };
    await newest("forget");
    const pending = await databaseLines(env);
    expect(pending[1]).toMatch(
      /^✓ migrations: (\d+) of (\d+) applied; 1 pending: kpi start applies them \(or kpi db migrate now\)$/,
    );
    const [, applied, known] = /(\d+) of (\d+)/.exec(pending[1]!)!;
    expect(Number(applied)).toBe(Number(known) - 1);

    await newest("invent");
    expect((await databaseLines(env))[1]).toBe(
      "✗ migrations: the database has migrations this kpi-bot does not know → upgrade kpi-bot to the version that wrote them",
    );
  });
});

describe("kpi doctor's database check when there is none", () => {
  it("takes an embedded database not yet created as fine, and creates nothing", async () => {
    const lines = await databaseLines({ KPI_DATA_DIR: join(dir, "not-yet") });
    expect(lines).toEqual([
      expect.stringMatching(
        /^✓ database: embedded \(PGlite\) in .*not-yet, not created yet: kpi start creates it$/,
      ),
      "– migrations: none applied yet: kpi start (or kpi db migrate) applies them all",
    ]);
    const { existsSync } = await import("node:fs");
    expect(existsSync(join(dir, "not-yet"))).toBe(false);
  });

  it("names a PostgreSQL server that does not answer, without its password", async () => {
    const url = "postgres://kpi:hunter2-password@127.0.0.1:1/kpi";
    const lines = await databaseLines({ DATABASE_URL: url });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^✗ database: PostgreSQL at 127\.0\.0\.1:1\/kpi cannot be opened: .*ECONNREFUSED.* → start the server, or correct DATABASE_URL/,
    );
    expect(lines[0]).not.toContain("hunter2");
  });
});
