import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dayInZone, dayKey, parseDay, periodOfDay, previousPeriod } from "../../src/engine/index.ts";
import { embeddedEnv, runKpi } from "../support/kpi-process.ts";

/**
 * Supervisor-rated items end to end, with the built `kpi` (npm run build first): a team under the
 * presales-rated scheme with one day of figures last month. The month awaits the supervisor's
 * rating on `kpi score` and `/kpi me`; `kpi start --once` sends the supervisor the rating card on
 * the console; the supervisor rates in `kpi chat`, and the card gets its total and grade.
 */

const dir = mkdtempSync(join(tmpdir(), "kpi-rated-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Last month by the shop's clock, whatever day the test runs.
const today = dayInZone("Asia/Shanghai")(Date.now());
const lastMonth = previousPeriod(periodOfDay(today, "month"));
const day = dayKey(parseDay(`${lastMonth.key}-15`));

writeFileSync(
  join(dir, "kpi.config.yaml"),
  `shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售前一组 }]
agents:
  - { id: zhang, name: 小张, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小张 }] }
  - { id: li, name: 小李, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小李 }] }
  - { id: boss, name: 王主管, role: supervisor, team: t1 }
schemes:
  presales: [{ scheme: presales-rated }]
  supervisor: [{ scheme: supervisor }]
`,
);
writeFileSync(
  join(dir, "day.csv"),
  [
    "客服,咨询转化率,客单价提升率,关联销售率,首次响应时间,日均接待量,客户满意度,一次解决率,出勤率,培训参与",
    "小张,18%,+3%,22%,25秒,180,93%,82%,100%,100%",
    "小李,16%,+3%,22%,25秒,180,93%,82%,100%,100%",
  ].join("\n"),
);

const kpi = async (...args: string[]) => {
  const result = await runKpi(args, { cwd: dir, env: embeddedEnv() });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
};
const scoreRow = (stdout: string, agent: string) =>
  stdout
    .split("\n")
    .find((line) => line.includes(`│ ${agent} `))!
    .split("│")
    .map((cell) => cell.trim());

describe("a supervisor-rated month, from the command line", () => {
  it("awaits the rating, sends the card, and grades the month once rated", async () => {
    expect(await kpi("import", "day.csv", "--shop", "s1", "--date", day)).toContain("2 agent-days imported");

    const waiting = await kpi("score", "--period", lastMonth.key);
    expect(scoreRow(waiting, "zhang")[6]).toBe("–");
    expect(waiting).toMatch(
      /Awaiting the supervisor's rating \(teamwork, learning and growth\): (小李, 小张|小张, 小李); no total, grade, place or coefficient until then/,
    );
    const before = await kpi("chat", "--as", "zhang", "me", "last-month");
    expect(before).toContain("等待主管评分：团队协作、学习成长；评分后才计总分、等级和绩效系数");
    expect(before).not.toMatch(/总分 \d/);

    // The rating job's start-up run: the card goes to the supervisor, on the console.
    const started = await kpi("start", "--once");
    expect(started).toContain("── @ boss ──");
    expect(started).toContain(`请为「售前一组」评分 · ${lastMonth.key}`);
    expect(started).toMatch(/小张：团队协作、学习成长\n\[团队协作 优秀\]/);

    expect(await kpi("chat", "--as", "王主管", "rate", "小张", "团队协作", "优秀")).toContain(
      `已评分：小张 团队协作 优秀（100 分）· ${lastMonth.key}`,
    );
    expect(
      await kpi("chat", "--as", "boss", "评分", "zhang", "learning_growth", "良好", "主动分享话术"),
    ).toContain("还有 2 项待评分");

    const after = await kpi("chat", "--as", "zhang", "me", "last-month");
    expect(after).not.toContain("等待主管评分");
    expect(after).toMatch(/总分 \d+(\.\d+)? → [SA-D]/);
    expect(after).toMatch(/团队协作\s+│\s+—\s+│\s+100\s+│\s+100/);
    const graded = await kpi("score", "--period", lastMonth.key);
    expect(scoreRow(graded, "zhang")[6]).toMatch(/^\d+(\.\d+)?$/);
    expect(graded).toContain("Awaiting the supervisor's rating (teamwork, learning and growth): 小李;");
  }, 180_000);
});
