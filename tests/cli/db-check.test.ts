import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/database.ts";
import { embeddedEnv, runKpi } from "../support/kpi-process.ts";

/**
 * `kpi db check [--repair]` as an operator runs it after a crash: on the embedded database, a
 * day whose figures are stored and whose cards are not (what a kill between the import's
 * transaction and its scoring left before owed_scoring, or a lost card) is found and repaired.
 */

const dir = mkdtempSync(join(tmpdir(), "kpi-db-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dataDir = join(dir, "data");
const kpi = (...args: string[]) => runKpi(args, { cwd: dir, env: embeddedEnv({ KPI_DATA_DIR: dataDir }) });

writeFileSync(
  join(dir, "kpi.config.yaml"),
  [
    "shops: [{ id: s1, name: 旗舰店, platform: taobao }]",
    "teams: [{ id: t1, shop: s1, name: 售前组 }]",
    "agents:",
    "  - { id: zhang, name: 小张, role: presales, team: t1, accounts: [{ shop: s1, account: 小张 }] }",
    "  - { id: li, name: 小李, role: presales, team: t1, accounts: [{ shop: s1, account: 小李 }] }",
  ].join("\n"),
);
writeFileSync(join(dir, "header-only.csv"), "日期,客服,咨询人数,首次响应时间\n");
writeFileSync(
  join(dir, "day.csv"),
  ["日期,客服,咨询人数,首次响应时间", "2026-11-18,小张,120,20", "2026-11-18,小李,90,40"].join("\n"),
);

describe("kpi db check", () => {
  it("refuses an export with a header and no agent's row, storing nothing (exit 2)", async () => {
    const run = await kpi("import", "header-only.csv", "--shop", "s1");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/header-only\.csv: has a header row but no agent's row under it/);
    const check = await kpi("db", "check");
    expect(check.stdout).toMatch(/owed re-scores: none/);
    expect(check.code).toBe(0);
  }, 60_000);

  it("finds a day's lost cards (exit 1), and --repair scores them (exit 0)", async () => {
    const imported = await kpi("import", "day.csv", "--shop", "s1");
    expect(imported.code).toBe(0);
    expect((await kpi("db", "check")).code).toBe(0);

    // Cards lost after the figures were stored.
    const store = await openStore({ dataDir });
    try {
      await store.db.execute(sql`DELETE FROM scorecards WHERE period_key IN ('2026-11-18', '2026-11')`);
    } finally {
      await store.close();
    }
    const check = await kpi("db", "check");
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(
      "2026-11 presales: 2 agents without a card, 0 cards older than their figures",
    );
    expect(check.stdout).toContain("2026-11-18 presales: 2 agents without a card");

    const repair = await kpi("db", "check", "--repair");
    expect(repair.code).toBe(0);
    expect(repair.stdout).toMatch(/repaired: 2 periods scored, 4 cards written/);
    expect(repair.stdout).toMatch(
      /after the repair:\nowed re-scores: none\ncards that do not match their figures: none/,
    );
    const day = await kpi("score", "--date", "2026-11-18", "--format", "json");
    expect((JSON.parse(day.stdout) as { agent: string }[]).map((c) => c.agent).sort()).toEqual([
      "li",
      "zhang",
    ]);
  }, 60_000);

  it("says what to do with a wrong action or --repair on migrate (exit 2)", async () => {
    const wrong = await kpi("db", "fix");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/say what to do: kpi db migrate, or kpi db check \(got "fix"\)/);
    const misplaced = await kpi("db", "migrate", "--repair");
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toMatch(/--repair: goes with kpi db check/);
  }, 60_000);
});
