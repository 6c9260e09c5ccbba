import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedEnv, KPI_BIN, runKpi, waitFor } from "../support/kpi-process.ts";

/**
 * README's next commands in a second terminal while `npm start` runs on the embedded default:
 * they reach the bot's database through its socket and answer as they do with no bot running.
 * Real processes: the `kpi` binary, twice.
 */

const dir = mkdtempSync(join(tmpdir(), "kpi-alongside-"));
const dataDir = join(dir, "data");
const env = () => embeddedEnv({ KPI_DATA_DIR: dataDir });
const run = (args: string[]) => runKpi(args, { cwd: dir, env: env() });

const SCORE = ["score", "--period", "month", "--format", "json"];
const CHAT_ME = ["chat", "--as", "xie", "me", "month"];

let bot: ChildProcess | undefined;
const alone: Record<string, string> = {};

beforeAll(async () => {
  // The demo loaded and scored, then the same commands with no bot running.
  const once = await run(["start", "--once"]);
  expect(once.code).toBe(0);
  for (const args of [SCORE, CHAT_ME]) {
    const answer = await run(args);
    expect(answer.code).toBe(0);
    alone[args.join(" ")] = answer.stdout;
  }
  bot = spawn(process.execPath, [KPI_BIN, "start"], { cwd: dir, env: env() });
  await waitFor(bot, "scheduler running");
}, 240_000);

afterAll(() => {
  if (bot && bot.exitCode === null) bot.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("kpi commands while `kpi start` runs on the embedded database", () => {
  it("kpi score --period month answers as with no bot running", async () => {
    const answer = await run(SCORE);
    expect(answer.stderr).toBe("");
    expect(answer.code).toBe(0);
    const cards = JSON.parse(answer.stdout) as { agent: string }[];
    expect(cards.length).toBeGreaterThanOrEqual(24);
    expect(answer.stdout).toBe(alone[SCORE.join(" ")]);
  }, 60_000);

  it("kpi chat --as <agent> me answers as with no bot running", async () => {
    const answer = await run(CHAT_ME);
    expect(answer.code).toBe(0);
    expect(answer.stdout).toContain("小谢");
    expect(answer.stdout).toBe(alone[CHAT_ME.join(" ")]);
  }, 60_000);

  it("kpi db check works through the bot's socket, and says so", async () => {
    const check = await run(["db", "check"]);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain(`database pglite (${dataDir}, through the socket of process ${bot!.pid})`);
    expect(check.stdout).toContain("owed re-scores: none");
  }, 60_000);

  it("the bot stops cleanly on SIGTERM and takes its socket away", async () => {
    const socket = join(dataDir, "socket", ".s.PGSQL.5432");
    expect(existsSync(socket)).toBe(true);
    const closed = new Promise<number | null>((resolve) => bot!.on("close", resolve));
    bot!.kill("SIGTERM");
    expect(await closed).toBe(0);
    expect(existsSync(socket)).toBe(false);
    // And the next command opens the directory itself.
    const after = await run(["db", "check"]);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(`database pglite (${dataDir}) is up to date`);
  }, 60_000);
});
