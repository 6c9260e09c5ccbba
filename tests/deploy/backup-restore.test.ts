import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { checkDb } from "../../src/bot/db-check.ts";
import { loadDemo } from "../../src/bot/load-demo.ts";
import { scorePeriod } from "../../src/bot/score-period.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { DEFAULT_CONFIG_TEXT, parseConfig } from "../../src/config.ts";
import { parsePeriod } from "../../src/engine/index.ts";
import { type Db, openStore, rowsOf } from "../../src/store/database.ts";
import { freshPostgresDatabase } from "../support/stores.ts";

/**
 * What docs/deploy.md says about backups, done: a scored PostgreSQL database dumped with pg_dump
 * and restored with pg_restore into a new database, and a stopped bot's PGlite directory copied,
 * each score the same as the original: the same cards, and the same again when re-scored from
 * the restored figures, with nothing owed.
 */

const run = promisify(execFile);
const NOW = new Date("2026-03-02T02:00:00Z");
const DEMO = { endDay: "2026-03-01", days: 7, seed: 7, actor: "backup test", now: NOW };

/** The demo shop scored, as `kpi start` leaves it on the built-in configuration. */
async function scoredDemo(db: Db): Promise<void> {
  const config = parseConfig(DEFAULT_CONFIG_TEXT, "built-in");
  await syncConfig(db, { config, origin: "built-in", baseDir: "." }, NOW);
  await loadDemo(db, DEMO);
}

/** Every card as stored, but for when it was computed. */
async function cards(db: Db): Promise<string[]> {
  return rowsOf<{ row: string }>(
    await db.execute(sql`SELECT concat_ws(' | ', agent_id, period_kind, period_key, scheme_version_id,
      total, grade, coefficient, card::text) AS row FROM scorecards ORDER BY agent_id, period_kind, period_key`),
  ).map((r) => r.row);
}

/** Scores every period that has cards again from the stored figures; returns the re-scores. */
async function scoreAgain(db: Db): Promise<number> {
  const periods = rowsOf<{ key: string }>(
    await db.execute(sql`SELECT DISTINCT period_key AS key FROM scorecards ORDER BY 1`),
  );
  let rescored = 0;
  for (const { key } of periods)
    rescored += (await scorePeriod(db, parsePeriod(key), { actor: "restore check", now: NOW })).rescored;
  return rescored;
}

async function majorOf(command: string): Promise<number> {
  const { stdout } = await run(command, ["--version"]);
  return Number(/\) (\d+)/.exec(stdout)?.[1]);
}

describe("backups restore to the same scores", () => {
  const cleanup: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "kpi-backup-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it("PostgreSQL: pg_dump of a scored database, pg_restore into a new one, scores the same", async () => {
    const original = await freshPostgresDatabase();
    cleanup.push(() => original.drop());
    const source = await openStore({ databaseUrl: original.url });
    cleanup.push(() => source.close());
    await scoredDemo(source.db);
    const before = await cards(source.db);
    expect(before.length).toBeGreaterThan(28 * 7);

    // pg_dump refuses a server newer than itself; pg_restore reads what the same version wrote.
    const [row] = rowsOf<{ version: number }>(
      await source.db.execute(sql`SELECT current_setting('server_version_num')::int AS version`),
    );
    const serverMajor = Math.floor(Number(row?.version) / 10_000);
    expect(await majorOf("pg_dump")).toBe(serverMajor);
    expect(await majorOf("pg_restore")).toBe(serverMajor);

    const dump = join(tempDir(), "kpi.dump");
    await run("pg_dump", ["--format=custom", `--file=${dump}`, `--dbname=${original.url}`]);
    const copy = await freshPostgresDatabase();
    cleanup.push(() => copy.drop());
    await run("pg_restore", ["--no-owner", "--exit-on-error", `--dbname=${copy.url}`, dump]);

    // Opened as a bot opens it: migrations find nothing to do.
    const restored = await openStore({ databaseUrl: copy.url });
    cleanup.push(() => restored.close());
    expect(await cards(restored.db)).toEqual(before);
    expect(await checkDb(restored.db)).toMatchObject({ owed: [], mismatches: [] });
    expect(await scoreAgain(restored.db)).toBe(0);
    expect(await cards(restored.db)).toEqual(before);
  }, 180_000);

  it("PGlite: the data directory of a stopped bot, copied, scores the same", async () => {
    const dataDir = join(tempDir(), "data");
    const source = await openStore({ dataDir });
    let before: string[];
    try {
      await scoredDemo(source.db);
      before = await cards(source.db);
    } finally {
      await source.close();
    }
    expect(before.length).toBeGreaterThan(28 * 7);
    const copyDir = join(tempDir(), "restored");
    cpSync(dataDir, copyDir, { recursive: true });

    const restored = await openStore({ dataDir: copyDir });
    try {
      expect(await cards(restored.db)).toEqual(before);
      expect(await checkDb(restored.db)).toMatchObject({ owed: [], mismatches: [] });
      expect(await scoreAgain(restored.db)).toBe(0);
      expect(await cards(restored.db)).toEqual(before);
    } finally {
      await restored.close();
    }
  }, 180_000);
});
