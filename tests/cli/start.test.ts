import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { embeddedEnv, KPI_BIN, runKpi, waitFor } from "../support/kpi-process.ts";

/**
 * What a new user does first: `npm start` on a fresh directory, the embedded database created,
 * the demo shop loaded and scored, with no other step. Runs the real `kpi` binary in a child.
 */

const dir = mkdtempSync(join(tmpdir(), "kpi-start-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = () => embeddedEnv({ KPI_DATA_DIR: join(dir, "data") });
const run = (args: string[]) => runKpi(args, { cwd: dir, env: env() });

describe("npm start on the embedded default", () => {
  it("creates the database, loads the demo shop and scores it, with no other step", async () => {
    const first = await run(["start", "--once"]);
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/database pglite \(.*data\)/);
    expect(first.stdout).toMatch(/demo shop loaded: 28 agents, 90 days to \d{4}-\d{2}-\d{2}, \d+ scorecards/);
    // The console shows what the bot would post: each team's digest of yesterday, the nudges.
    expect(first.stdout).toMatch(/── # presales-team ──\n售前组 · 日报 · \d{4}-\d{2}-\d{2}/);
    expect(first.stdout).toMatch(/── # aftersales-team ──\n售后组 · 日报/);
    // A day is watched, not graded: the daily digest has no ranking and no grade [002].
    const daily = first.stdout.split("── # presales-team ──\n")[1]!.split("\n── ")[0]!;
    expect(daily).toContain("不排名、不评等级");
    expect(daily).not.toMatch(/排行榜|等级分布|│ [SABCD] /);
    expect(first.stdout).toMatch(/── @ \w+ ──\n小\S+，有 \d+ 项需要你处理/);
    // The catch-up's pull, the watch and the first look are one run: one message per person.
    // On a Monday two batches of their own come too: one 质检 card per sampled conversation
    // (qa/qa-card.ts) and, from 10:30, the supervisors' gaming alerts (gaming/alert-run.ts).
    const people = [...first.stdout.matchAll(/── @ (\S+) ──\n(?!质检 #|疑似刷指标提醒)/g)].map((m) => m[1]);
    expect(people.length).toBeGreaterThan(10);
    expect(new Set(people).size).toBe(people.length);
    expect(first.stdout).toContain("outbox: every message due has been sent");
    // Not on a terminal: the log is JSON lines on stderr, the scheduler's events among them.
    const logged = first.stderr
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as { level: number; scope?: string; event?: string });
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 30, scope: "scheduler", event: "slot-started" }),
    );
    expect(first.stdout).not.toMatch(/^\{/m);
    const month = await run(["score", "--period", "last-month", "--format", "json"]);
    expect(month.code).toBe(0);
    const cards = JSON.parse(month.stdout) as { agent: string; total: number | null; grade: string | null }[];
    expect(cards.length).toBeGreaterThanOrEqual(24);
    expect(cards.every((c) => c.total === null || Number.isFinite(c.total))).toBe(true);
    expect(new Set(cards.map((c) => c.grade)).size).toBeGreaterThan(1);
  }, 120_000);

  it("does not post the same digests again on the next start", async () => {
    const again = await run(["start", "--once"]);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain("── # presales-team ──");
    expect(again.stdout).toMatch(/^data: 28 agents, figures up to \d{4}-\d{2}-\d{2}, \d+ scorecards$/m);
  }, 120_000);

  it("opens the same database again, then stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [KPI_BIN, "start"], { cwd: dir, env: env() });
    const printed = await waitFor(child, "Ctrl+C stops");
    expect(printed).not.toContain("demo shop loaded");
    // The story ends with what it waits for: the next pull and digest, in the shop's time zone.
    expect(printed.trimEnd().split("\n").at(-1)).toMatch(
      /^scheduler running: waiting for the next schedule at \d{4}-\d{2}-\d{2} 09:00 \(Asia\/Shanghai\): daily-pull \(pull\), daily digest/,
    );
    const url = /chat: console; listening on (http:\/\/\S+) /.exec(printed)?.[1];
    expect(url).toBeDefined();
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", checks: { database: "ok" } });
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.kill("SIGTERM");
    expect(await closed).toBe(0);
  }, 120_000);

  it("refuses a log format it does not know before opening the database", async () => {
    const wrong = await run(["start", "--log-format", "xml"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--log-format: "xml" is not one of json, pretty/);
    const fromEnv = await runKpi(["start", "--once"], {
      cwd: dir,
      env: { ...env(), KPI_LOG_FORMAT: "yaml" },
    });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toMatch(/KPI_LOG_FORMAT: "yaml"/);
  }, 60_000);

  it("refuses a second bot on the same data directory with a clear error", async () => {
    const child = spawn(process.execPath, [KPI_BIN, "start"], { cwd: dir, env: env() });
    await waitFor(child, "scheduler running");
    // Other commands work through the bot's socket (tests/cli/alongside-bot.test.ts); a second bot
    // would share the first one's session, and so its locks and claims: it is refused.
    const second = await run(["start", "--once"]);
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.kill("SIGTERM");
    await closed;
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/in use by process \d+.*DATABASE_URL/s);
  }, 120_000);
});
