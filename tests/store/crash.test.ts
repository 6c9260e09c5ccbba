import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/database.ts";
import { importBatch } from "../../src/store/import-repo.ts";
import { agentDays, importRuns } from "../../src/store/schema.ts";
import { freshPostgresDatabase } from "../support/stores.ts";
import { CRASH_ROWS, crashBatch, crashImportOptions } from "./fixtures/crash-import.ts";

/**
 * A process killed with SIGKILL in the middle of an import leaves all of the file or none of
 * it: the import is one transaction. The killed process runs tests/store/fixtures/
 * crash-import-process.ts and says when its transaction has started writing agent-days.
 */

const CHILD = fileURLToPath(new URL("./fixtures/crash-import-process.ts", import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const NOW = new Date("2026-04-02T02:00:00Z");
const SLOW = 240_000;

interface ImportProcess {
  child: ChildProcess;
  /** Resolves when the process prints the event; rejects if it exits first. */
  reached(event: "synced" | "writing" | "imported"): Promise<Record<string, unknown>>;
  /** SIGKILL, then wait until it is gone (and reaped: its pid is free). */
  kill(): Promise<void>;
}

function startImport(env: Record<string, string>): ImportProcess {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: Record<string, unknown>[] = [];
  const waiting: { event: string; resolve: (e: Record<string, unknown>) => void }[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout! }).on("line", (line) => {
    if (!line.startsWith("{")) return;
    const event = JSON.parse(line) as Record<string, unknown>;
    events.push(event);
    for (const w of waiting.filter((w) => w.event === event.event)) w.resolve(event);
  });
  const closed = once(child, "close");
  return {
    child,
    reached: (event) =>
      new Promise((resolve, reject) => {
        const seen = events.find((e) => e.event === event);
        if (seen) return resolve(seen);
        waiting.push({ event, resolve });
        closed.then(() => reject(new Error(`the import process exited before "${event}": ${stderr}`)));
      }),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await closed;
    },
  };
}

async function agentDayCount(store: Store): Promise<number> {
  const [row] = await store.db.select({ n: count() }).from(agentDays);
  return row?.n ?? 0;
}

async function doneRuns(store: Store) {
  return store.db
    .select({ file: importRuns.fileName, records: importRuns.recordCount })
    .from(importRuns)
    .where(eq(importRuns.status, "done"));
}

const theFile = [{ file: "chitu-2026-q1.csv", records: CRASH_ROWS }];

describe("an import killed with SIGKILL, on PostgreSQL", () => {
  it(
    "leaves none of the file when killed mid-transaction, and the same import then runs to completion",
    async () => {
      const database = await freshPostgresDatabase();
      const store = await openStore({ databaseUrl: database.url });
      const importer = startImport({ KPI_CRASH_DATABASE_URL: database.url });
      try {
        const writing = await importer.reached("writing");
        expect(writing).toMatchObject({ total: CRASH_ROWS });
        expect(Number(writing.written)).toBeLessThan(CRASH_ROWS);
        await importer.kill();

        expect(await agentDayCount(store)).toBe(0);
        expect(await doneRuns(store)).toEqual([]);

        // The killed transaction may still hold its rows for a moment; the import waits for it.
        const progress: [number, number][] = [];
        const outcome = await importBatch(store.db, crashBatch(), {
          ...crashImportOptions(NOW),
          onProgress: (written, total) => progress.push([written, total]),
        });
        expect(outcome).toMatchObject({ status: "done", records: CRASH_ROWS });
        expect(progress.length).toBeGreaterThan(1);
        expect(progress.every(([written], i) => i === 0 || written > progress[i - 1]![0])).toBe(true);
        expect(progress.at(-1)).toEqual([CRASH_ROWS, CRASH_ROWS]);
        expect(await agentDayCount(store)).toBe(CRASH_ROWS);
        expect(await doneRuns(store)).toEqual(theFile);
      } finally {
        await importer.kill();
        await store.close();
        await database.drop();
      }
    },
    SLOW,
  );

  it(
    "keeps all of the file when killed after the import committed",
    async () => {
      const database = await freshPostgresDatabase();
      const store = await openStore({ databaseUrl: database.url });
      const importer = startImport({ KPI_CRASH_DATABASE_URL: database.url });
      try {
        expect(await importer.reached("imported")).toMatchObject({ status: "done", records: CRASH_ROWS });
        await importer.kill();
        expect(await agentDayCount(store)).toBe(CRASH_ROWS);
        expect(await doneRuns(store)).toEqual(theFile);
        const again = await importBatch(store.db, crashBatch(), crashImportOptions(NOW));
        expect(again.status).toBe("unchanged");
      } finally {
        await importer.kill();
        await store.close();
        await database.drop();
      }
    },
    SLOW,
  );
});

describe("an import killed with SIGKILL, on PGlite", () => {
  /** Kills an import into a fresh data directory at `stage`, then opens the directory again. */
  async function afterKillAt(stage: "writing" | "imported", check: (store: Store) => Promise<void>) {
    const dataDir = await mkdtemp(join(tmpdir(), "kpi-crash-"));
    const importer = startImport({ KPI_CRASH_DATA_DIR: dataDir });
    try {
      await importer.reached(stage);
      await importer.kill();
      // The killed process's lock file names a dead pid: opening takes the directory over.
      const store = await openStore({ dataDir });
      try {
        await check(store);
      } finally {
        await store.close();
      }
    } finally {
      await importer.kill();
      await rm(dataDir, { recursive: true, force: true });
    }
  }

  it(
    "opens the data directory again after a kill mid-import, holding none of the file, and imports it again",
    () =>
      afterKillAt("writing", async (store) => {
        expect(await agentDayCount(store)).toBe(0);
        expect(await doneRuns(store)).toEqual([]);
        const outcome = await importBatch(store.db, crashBatch(), crashImportOptions(NOW));
        expect(outcome).toMatchObject({ status: "done", records: CRASH_ROWS });
        expect(await agentDayCount(store)).toBe(CRASH_ROWS);
        expect(await doneRuns(store)).toEqual(theFile);
      }),
    SLOW,
  );

  it(
    "keeps all of the file when killed after the import committed",
    () =>
      afterKillAt("imported", async (store) => {
        expect(await agentDayCount(store)).toBe(CRASH_ROWS);
        expect(await doneRuns(store)).toEqual(theFile);
      }),
    SLOW,
  );
});
