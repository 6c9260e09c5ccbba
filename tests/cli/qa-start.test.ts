import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedEnv, runKpi } from "../support/kpi-process.ts";
import { freshPostgresDatabase, STORE_KINDS } from "../support/stores.ts";

/**
 * The first acceptance of 质检, as a person does it with the built `kpi`: the bot started on a
 * Monday (--date) sends the week before's review cards to the supervisors on the console; the
 * supervisor rates one in `kpi chat`; the agent's `me` shows the QA figure. The same start tells
 * the supervisors of the demo's planted gamers, and of no one else.
 */

const MONDAY = "2026-11-30";

describe.each(STORE_KINDS)("质检 from the start of the bot to the agent's card (%s)", (kind) => {
  const dir = mkdtempSync(join(tmpdir(), "kpi-qa-"));
  let database: { url: string; drop(): Promise<void> } | undefined;
  beforeAll(async () => {
    if (kind === "postgres") database = await freshPostgresDatabase();
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = () =>
    embeddedEnv(database ? { DATABASE_URL: database.url } : { KPI_DATA_DIR: join(dir, "data") });
  const run = (args: string[]) => runKpi(args, { cwd: dir, env: env() });

  it("sends the batch on Monday, and a rating shows on the agent's me", async () => {
    const start = await run(["start", "--once", "--date", MONDAY]);
    expect(start.stderr).not.toMatch(/Error/);
    expect(start.code).toBe(0);
    expect(start.stdout).toMatch(
      /qa:Asia\/Shanghai: \d+ conversations of 2026-W48 sampled for QA, \d+ review cards queued/,
    );
    // Under a heading of their own, after the digests and before the nudges.
    const story = start.stdout.indexOf.bind(start.stdout);
    expect(start.stdout).toMatch(/━━ QA reviews \(\d+ cards\) ━━\n── @ \S+ ──\n质检 #/);
    expect(story("━━ yesterday's digests")).toBeLessThan(story("━━ QA reviews"));
    expect(story("━━ QA reviews")).toBeLessThan(story("━━ nudges"));
    // One card per conversation, to the team's supervisor, with the one-click verdicts.
    const card = /── @ wang-fang ──\n质检 #(\d+)：(小\S+) (2026-11-2\d)\n/.exec(start.stdout);
    expect(card).not.toBeNull();
    const [, id, agentName] = card!;
    expect(start.stdout).toContain("[全部合格（态度5）] [全部合格（态度4）] [回复不完整] [话术不规范]");
    expect(start.stdout).toContain("outbox: every message due has been sent");
    // The same Monday's gaming alerts name the demo's three planted gamers, each to their own
    // supervisor, and none of the honest agents (src/sources/demo/index.ts demoStyles).
    const alerted = [...start.stdout.matchAll(/^■ #\d+ (小\S+) · 2026-W48 · (\S+)$/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(alerted.sort()).toEqual(["小孙 拆句回复", "小宋 引导好评", "小林 卡阈值拖延"]);

    const agent = agentName!;
    const before = await run(["chat", "--as", agent, "me", "2026-W48"]);
    expect(before.stdout).toMatch(/reply completeness\s*│\s*≥95%\s*│\s*no figure/);
    const rated = await run([
      "chat",
      "--as",
      "王芳",
      "qa",
      "rate",
      id!,
      "完整回复=否",
      "话术规范=是",
      "态度=4",
      "问题解决=是",
    ]);
    expect(rated.code).toBe(0);
    expect(rated.stdout).toContain(`QA #${id} (${agent}) recorded: score 68.8.`);
    const after = await run(["chat", "--as", agent, "me", "2026-W48"]);
    expect(after.stdout).toMatch(/reply completeness\s*│\s*≥95%\s*│\s*0%/);
  }, 240_000);

  it("refuses a --date in the future: the outbox keeps the real clock", async () => {
    const future = await run(["start", "--once", "--date", "2099-01-05"]);
    expect(future.code).toBe(2);
    expect(future.stderr).toContain("--date: 2099-01-05 is in the future");
  });
});
