import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { zipBomb } from "../../bench/import/zip-bomb.ts";
import { HEADER, msg } from "../engine/chatlog/helpers.ts";
import { embeddedEnv, runKpi } from "../support/kpi-process.ts";

/** `kpi import` and `kpi score` from the database, as a supervisor runs them, on the embedded database. */

const fixtures = join(import.meta.dirname, "../fixtures/exports");
const dir = mkdtempSync(join(tmpdir(), "kpi-import-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const agent = (id: string, name: string, shop: string, account: string) =>
  `  - { id: ${id}, name: ${name}, role: presales, team: ${shop}-team, accounts: [{ shop: ${shop}, account: "${account}" }] }`;

writeFileSync(
  join(dir, "kpi.config.yaml"),
  [
    "shops:",
    "  - { id: flagship, name: 赤兔名品旗舰店, platform: taobao }",
    "  - { id: jd, name: 京东店, platform: jd }",
    "  - { id: shop-a, name: 店A, platform: other }",
    "teams: [{ id: flagship-team, shop: flagship, name: 售前组 }, { id: jd-team, shop: jd, name: 京东组 }]",
    "agents:",
    ...["张", "李", "王", "赵", "陈"].map((n, i) => agent(`t${i}`, `小${n}`, "flagship", `小${n}`)),
    '  - { id: chat-zhang, name: 小张, role: presales, team: flagship-team, accounts: [{ shop: shop-a, account: "小张" }] }',
    ...["小美", "阿强", "小雨", "老周", "小婷"].map((n, i) => agent(`j${i}`, n, "jd", `jd_${n}`)),
  ].join("\n"),
);

const kpi = (...args: string[]) => runKpi(args, { cwd: dir, env: embeddedEnv() });

describe("kpi import", () => {
  it("imports Chitu's GBK export and scores the agents in it; the same file again changes nothing", async () => {
    const first = await kpi("import", join(fixtures, "chitu-gbk.csv"), "--shop", "flagship");
    expect(first.stderr).toBe("");
    expect(first.stdout).toMatch(/chitu export, 5 agent-days imported \(import #1\); \d+ periods scored/);
    const again = await kpi("import", join(fixtures, "chitu-gbk.csv"), "--shop", "flagship");
    expect(again.stdout).toMatch(/already imported \(import #1\); nothing changed/);
    const day = await kpi("score", "--date", "2026-11-22", "--format", "json");
    expect(day.code).toBe(0);
    const cards = JSON.parse(day.stdout) as {
      agent: string;
      pending: string[];
      items: { metric: string }[];
    }[];
    expect(cards.map((c) => c.agent).sort()).toEqual(["t0", "t1", "t2", "t3", "t4"]);
    // 小李's final-payment conversion was still 延迟统计 in this export.
    expect(cards.find((c) => c.agent === "t1")?.pending).toEqual(["conversion_rate"]);
  }, 60_000);

  it("ranks a day with Chinese headers by default and English ones with KPI_LANG=en", async () => {
    const { KPI_LANG: _, ...chinese } = embeddedEnv();
    const zh = await runKpi(["score", "--date", "2026-11-22"], { cwd: dir, env: chinese });
    expect(zh.code).toBe(0);
    expect(zh.stdout).toMatch(/^2026-11-22 共 5 份考核结果\n/);
    expect(zh.stdout).toMatch(
      /│ 名次 │ 客服编号 │ 姓名 │ 岗位\s+│ 小组\s+│\s+总分 │ 等级 │ 绩效系数 │ 待补数据\s+│/,
    );
    expect(zh.stdout).toContain("咨询转化率");
    const en = await kpi("score", "--date", "2026-11-22");
    expect(en.stdout).toMatch(/^2026-11-22: 5 scorecards\n/);
    expect(en.stdout).toMatch(
      /│\s+# │ agent │ name │ role\s+│ team\s+│\s+total │ grade │ coef\. │ pending\s+│/,
    );
  }, 60_000);

  it("reads the JD export from xlsx for the JD shop", async () => {
    const { code, stdout } = await kpi("import", join(fixtures, "jd.xlsx"), "--shop", "jd");
    expect(code).toBe(0);
    expect(stdout).toMatch(/jd export, 5 agent-days imported/);
  }, 60_000);

  it("imports nothing of a file naming an unknown agent, and says which row", async () => {
    const path = join(dir, "chitu-unknown.csv");
    const text = readFileSync(join(fixtures, "chitu-utf8-bom.csv"), "utf8").replace("小陈,", "小孙,");
    writeFileSync(path, text);
    const { code, stderr } = await kpi("import", path, "--shop", "flagship");
    expect(code).toBe(2);
    expect(stderr).toMatch(/1 bad row, so nothing was imported/);
    expect(stderr).toMatch(/line 7: "小孙" is not an agent of shop flagship/);
  }, 60_000);

  it("replaces a day's figures from a corrected file and says so", async () => {
    const path = join(dir, "chitu-corrected.csv");
    copyFileSync(join(fixtures, "chitu-utf8-bom.csv"), path);
    const text = readFileSync(path, "utf8").replace("小张,2026-11-22,131,120,", "小张,2026-11-22,131,121,");
    writeFileSync(path, text);
    const { code, stdout } = await kpi("import", path, "--shop", "flagship");
    expect(code).toBe(0);
    expect(stdout).toMatch(/5 agent-days imported \(import #\d+\), 1 replaced/);
  }, 60_000);

  it("names a missing file and a wrong --date plainly", async () => {
    const missing = await kpi("import", join(dir, "nope.csv"), "--shop", "flagship");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/file ".*nope\.csv" does not exist/);
    const badDate = await kpi("import", join(fixtures, "chitu-gbk.csv"), "--date", "2026-13-01");
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/--date: "2026-13-01" is not a day/);
  }, 60_000);

  it("imports a raw chat log through the chat-log metrics, shops matched by name", async () => {
    const path = join(dir, "messages.csv");
    writeFileSync(
      path,
      `${[
        HEADER,
        msg("2026-11-11 10:00:00", "s1", "c1", "小张", "customer"),
        msg("2026-11-11 10:00:30", "s1", "c1", "小张", "agent"),
        msg("2026-11-11 10:01:00", "s1", "c1", "小张", "customer"),
        msg("2026-11-11 10:03:00", "s1", "c1", "小张", "agent"),
        msg("2026-11-11 10:04:00", "s1", "c1", "小张", "customer"),
        msg("2026-11-11 10:07:00", "s1", "c1", "小张", "agent"),
      ].join("\n")}\n`,
    );
    const imported = await kpi("import", path, "--source", "chatlog", "--shop", "shop-a");
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toMatch(/chat log, 1 agent-days imported/);
    // Two agents are called 小张: a card names its agent as chat does, the id in brackets.
    const table = await kpi("score", "--date", "2026-11-11", "--agent", "chat-zhang");
    expect(table.stdout).toMatch(/^小张 \(chat-zhang\) · /);
    const card = await kpi("score", "--date", "2026-11-11", "--agent", "chat-zhang", "--format", "json");
    const [zhang] = JSON.parse(card.stdout) as { items: { metric: string; actual: number | null }[] }[];
    // The first human reply came 30 s after the customer's first message.
    expect(zhang?.items.find((i) => i.metric === "first_response_time")?.actual).toBe(30);
  }, 60_000);

  it("marks a pending figure on kpi score --agent, and gives a card on 55% of the weight no total, grade or place", async () => {
    const { KPI_LANG: _, ...chinese } = embeddedEnv();
    const zh = (...args: string[]) => runKpi(args, { cwd: dir, env: chinese });
    // 小李's conversion was still 延迟统计 in the Chitu export of 2026-11-22 (the first test):
    // not "no figure", but a figure to come.
    const li = await zh("score", "--date", "2026-11-22", "--agent", "小李");
    expect(li.stdout).toMatch(/│ 咨询转化率\s+│\s+≥15% │ 延迟统计\* │/);
    expect(li.stdout).toContain("* 尚未最终确定");

    // 小王 in September: conversion 20% + cross-selling 10% + first response 15% + receptions 10%.
    const path = join(dir, "partial.csv");
    writeFileSync(
      path,
      "agent,date,conversion_rate,cross_sell_rate,first_response_time,receptions\n小王,2026-09-15,30/200,44/200,5000/200,180\n小张,2026-09-15,30/200,44/200,5000/200,180\n",
    );
    expect((await zh("import", path, "--shop", "flagship")).code).toBe(0);
    const board = await zh("score", "--period", "2026-09");
    expect(board.code).toBe(0);
    expect(board.stdout).toMatch(/│\s+– │ t2\s+│ 小王 │[^│]+│[^│]+│\s+– │ –\s+│\s+– │/);
    expect(board.stdout).toContain("小王：有数据的指标只占权重的 55%（至少需要 70%），本期不评定总分和等级");
    const card = await zh("score", "--period", "2026-09", "--agent", "小王");
    expect(card.stdout).toContain("有数据的指标只占权重的 55%（至少需要 70%）");
    expect(card.stdout).not.toMatch(/总分 [\d.]+ →/);
  }, 60_000);
});

describe("kpi import refuses what it can tell from the file before opening the store", () => {
  it("names a missing file and a zip bomb, and creates no database for either", async () => {
    const empty = mkdtempSync(join(tmpdir(), "kpi-import-first-"));
    try {
      writeFileSync(join(empty, "kpi.config.yaml"), "shops:\n  - { id: s1, name: 店, platform: taobao }\n");
      writeFileSync(join(empty, "bomb.xlsx"), await zipBomb({ megabytes: 50 }));
      const env = embeddedEnv({ KPI_DATA_DIR: join(empty, "data") });
      const missing = await runKpi(["import", "nothere.csv"], { cwd: empty, env });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('file "nothere.csv" does not exist');
      const bomb = await runKpi(["import", "bomb.xlsx"], { cwd: empty, env });
      expect(bomb.code).toBe(2);
      expect(bomb.stderr).toMatch(
        /bomb\.xlsx: xl\/worksheets\/sheet1\.xml expands \d+ times .*not an export/,
      );
      expect(existsSync(join(empty, "data"))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);
});
