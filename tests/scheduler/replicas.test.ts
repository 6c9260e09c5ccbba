import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { openStore, rowsOf } from "../../src/store/database.ts";
import { freshPostgresDatabase } from "../support/stores.ts";

const REPLICA = fileURLToPath(new URL("./replica-process.ts", import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface Replica {
  child: ChildProcess;
  finished: Promise<{ code: number | null; events: Record<string, unknown>[]; stderr: string }>;
}

function startReplica(databaseUrl: string, replicaId: string, runForMs: number, lateTimer = false): Replica {
  const child = spawn(process.execPath, ["--import", "tsx", REPLICA], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      KPI_TEST_DATABASE_URL: databaseUrl,
      KPI_TEST_REPLICA_ID: replicaId,
      KPI_TEST_RUN_FOR_MS: String(runForMs),
      KPI_TEST_LATE_TIMER: lateTimer ? "1" : "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const finished = new Promise<{ code: number | null; events: Record<string, unknown>[]; stderr: string }>(
    (resolve) => {
      child.on("close", (code) => {
        const events = stdout
          .split("\n")
          .filter((line) => line.startsWith("{"))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        resolve({ code, events, stderr });
      });
    },
  );
  return { child, finished };
}

describe("three scheduler processes on one PostgreSQL", () => {
  it("run each per-second slot on exactly one replica, a replica with late timers included", async () => {
    const database = await freshPostgresDatabase();
    const store = await openStore({ databaseUrl: database.url });
    const replicas: Replica[] = [];
    try {
      await store.db.execute(
        sql`CREATE TABLE test_runs (job text NOT NULL, slot timestamptz NOT NULL, replica text NOT NULL)`,
      );
      replicas.push(startReplica(database.url, "replica-a", 4_000));
      replicas.push(startReplica(database.url, "replica-b", 4_000));
      // The third starts once the others have run slots: its start-up pass and its late timers
      // meet slots that are already claimed.
      await vi.waitFor(
        async () => {
          const [row] = rowsOf<{ n: number }>(
            await store.db.execute(sql`SELECT count(*)::int AS n FROM test_runs`),
          );
          expect(Number(row?.n)).toBeGreaterThanOrEqual(2);
        },
        { timeout: 15_000, interval: 100 },
      );
      replicas.push(startReplica(database.url, "replica-late", 2_500, true));
      const results = await Promise.all(replicas.map((r) => r.finished));
      for (const result of results) expect(result.code, result.stderr).toBe(0);

      const runs = rowsOf<{ slot: string; replica: string; times: number }>(
        await store.db.execute(
          sql`SELECT slot::text AS slot, min(replica) AS replica, count(*)::int AS times FROM test_runs GROUP BY slot ORDER BY slot`,
        ),
      );
      expect(runs.length).toBeGreaterThanOrEqual(3);
      expect(runs.filter((r) => Number(r.times) !== 1)).toEqual([]);

      // Every claim ran and finished before its replica stopped, on the replica that claimed it.
      const claims = rowsOf<{ slot: string; replica: string; status: string }>(
        await store.db.execute(
          sql`SELECT slot::text AS slot, claimed_by AS replica, status FROM job_slots WHERE job = 'tick' ORDER BY slot`,
        ),
      );
      expect(claims).toEqual(runs.map((r) => ({ slot: r.slot, replica: r.replica, status: "done" })));

      // The late replica brought up again every slot the others had claimed, and ran none of them.
      const late = results[2]?.events ?? [];
      const refires = late.filter((e) => e.event === "late-refire");
      expect(refires.length).toBeGreaterThanOrEqual(2);
      expect(refires.every((e) => e.result === "claimed-elsewhere")).toBe(true);
      const lateRan = new Set(late.filter((e) => e.event === "slot-started").map((e) => String(e.slot)));
      for (const refire of refires) expect(lateRan.has(String(refire.slot))).toBe(false);
    } finally {
      for (const { child } of replicas) if (child.exitCode === null) child.kill();
      await store.close();
      await database.drop();
    }
  });
});
