import { describe, expect, it } from "vitest";
import { drainOwed } from "../../../src/bot/drain-owed.ts";
import { auditEntries } from "../../../src/store/audit-repo.ts";
import { owedPeriod } from "../../../src/store/owed-scoring-repo.ts";
import { ratingsOfPeriod } from "../../../src/store/rating-repo.ts";
import { CHAT_FIXTURE_CONFIG, CHAT_FIXTURE_NOW, useChatFixture } from "../../support/chat-fixture.ts";
import { STORE_KINDS } from "../../support/stores.ts";

/** The chat fixture's team under the built-in presales-rated scheme: 团队协作 and 学习成长 rated. */
const RATED_CONFIG = CHAT_FIXTURE_CONFIG.replace(
  "presales: [{ scheme: seed-example }]",
  "presales: [{ scheme: presales-rated }]",
);

describe.each(STORE_KINDS)("supervisor-rated items on %s", (kind) => {
  const fx = useChatFixture(kind, RATED_CONFIG);
  const score = () => drainOwed(fx.store.db, { actor: "t", now: CHAT_FIXTURE_NOW, wait: true });

  it("/kpi me shows the month awaiting the supervisor's rating, and grades it once rated", async () => {
    const before = await fx.ask("U_ZHANG", "me last-month");
    expect(before).toContain("等待主管评分");
    expect(before).not.toMatch(/总分 \d/);
    expect(await fx.ask("U_BOSS", "评分 小张 团队协作 优秀")).toContain(
      "已评分：小张 团队协作 优秀（100 分）",
    );
    expect(await fx.ask("U_BOSS", "rate zhang learning_growth 良好 主动分享话术")).toContain("已评分");
    await score();
    const after = await fx.ask("U_ZHANG", "me last-month");
    expect(after).not.toContain("等待主管评分");
    expect(after).toMatch(/总分 \d/);
  });

  it("audits a rating and a re-rating (old → new) and owes the month a re-score", async () => {
    await fx.ask("U_BOSS", "rate 小张 团队协作 良好");
    expect(await owedPeriod(fx.store.db, "2026-11")).toBeTruthy();
    const reply = await fx.ask("U_BOSS", "rate 小张 团队协作 优秀");
    expect(reply).toContain("原为 良好");
    const audits = (await auditEntries(fx.store.db, "rating.given")).map(
      (a) => a.detail as Record<string, unknown>,
    );
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({
      old: { level: "良好", score: 90 },
      new: { level: "优秀", score: 100 },
    });
    const rows = await ratingsOfPeriod(fx.store.db, "2026-11");
    expect(rows.map((r) => [r.agentId, r.metric, r.level, r.ratedBy])).toEqual([
      ["zhang", "teamwork", "优秀", "boss"],
    ]);
  });

  it("lets only the agent's supervisor rate, and lists the valid agents, items and levels", async () => {
    expect(await fx.ask("U_LI", "rate 小张 团队协作 优秀")).toContain(
      "只有 小张 的主管或管理员可以给 小张 评分",
    );
    expect(await fx.ask("U_BOSS", "rate 小王 团队协作 优秀")).toMatch(
      /找不到客服「小王」。可以评分的客服：(小张、小李|小李、小张)/,
    );
    expect(await fx.ask("U_BOSS", "rate 小张 协作 优秀")).toContain("评分项：团队协作、学习成长");
    expect(await fx.ask("U_BOSS", "rate 小张 团队协作 棒")).toContain("等级：优秀、良好、待改进、不合格");
    expect(await fx.ask("U_BOSS", "rate 小张 团队协作")).toContain("缺少等级");
    fx.deps.teams = new Map([[...fx.deps.teams][0]!].map(([id, t]) => [id, { ...t, lang: "en" as const }]));
    expect(await fx.ask("U_BOSS", "rate zhang teamwork great")).toContain(
      "is not a level: excellent, good, needs-improvement, unsatisfactory",
    );
    expect(await ratingsOfPeriod(fx.store.db, "2026-11")).toEqual([]);
  });

  it("`rate` alone lists what is still to rate, and says when nothing is left", async () => {
    const listed = await fx.ask("U_BOSS", "rate");
    expect(listed).toContain("小张：团队协作、学习成长");
    expect(listed).toContain("小李：团队协作、学习成长");
    for (const who of ["小张", "小李"])
      for (const item of ["团队协作", "学习成长"]) await fx.ask("U_BOSS", `rate ${who} ${item} 良好`);
    expect(await fx.ask("U_BOSS", "rate")).toContain("没有待评分的项目");
  });
});
