import { describe, expect, it } from "vitest";
import { useChatFixture } from "../../support/chat-fixture.ts";
import { STORE_KINDS } from "../../support/stores.ts";

describe.each(STORE_KINDS)("`explain` on the %s database", (kind) => {
  const fixture = useChatFixture(kind);
  const { ask } = fixture;

  it("explains a metric asked by its Chinese alias: definition, direction, the caller's target and weight, their month so far", async () => {
    fixture.deps = { ...fixture.deps, now: () => new Date("2026-11-25T02:00:00Z") };
    const text = await ask("U_ZHANG", "explain 转化率");
    expect(text).toContain("咨询转化率（conversion_rate）");
    expect(text).toContain("业务指标，越高越好 ↑");
    expect(text).toContain("计算：询单后在归因期内付款的顾客 ÷ 询单顾客");
    expect(text).toContain("你的考核（售前客服）：目标 ≥15%，权重 20%，按完成比例计分，最高 100 分");
    expect(text).toContain("你本月（2026-11）至今：18%");
  });

  it("finds a metric by an English abbreviation and says when this month has no figure yet", async () => {
    const text = await ask("U_ZHANG", "explain FRT");
    expect(text).toContain("首次响应时间（first_response_time）");
    expect(text).toContain("越低越好 ↓");
    expect(text).toContain("目标 ≤30 s，权重 15%");
    expect(text).toContain("你本月（2026-12）还没有这个指标的数据");
  });

  it("names a metric's other names in Chinese only for a Chinese team, and the Chinese name for an English one", async () => {
    const zh = await ask("U_ZHANG", "explain 问答比");
    expect(zh).toContain("又称：答问比");
    expect(zh).not.toContain("reply-to-question");
    expect(await ask("U_ZHANG", "explain FRT")).toContain("又称：首响时间、首响");
    expect(await ask("U_ZHANG", "explain 回复率")).not.toContain("又称");
    const t1 = fixture.deps.teams.get("t1")!;
    fixture.deps = { ...fixture.deps, teams: new Map([["t1", { ...t1, lang: "en" }]]) };
    expect(await ask("U_ZHANG", "explain qa_ratio")).toContain("Also called: 问答比, 答问比");
  });

  it("answers in the team's language", async () => {
    const t1 = fixture.deps.teams.get("t1")!;
    fixture.deps = { ...fixture.deps, teams: new Map([["t1", { ...t1, lang: "en" }]]) };
    const text = await ask("U_ZHANG", "explain conversion rate");
    expect(text).toContain("conversion rate (conversion_rate)");
    expect(text).toContain("a business metric, higher is better ↑");
    expect(text).toContain("Your scheme (售前客服): target ≥15%, weight 20%");
  });

  it("says when the caller's scheme does not score the metric", async () => {
    const text = await ask("U_ZHANG", "explain 差评率");
    expect(text).toContain("计算：差评 ÷ 评价");
    expect(text).toContain("你的考核方案（售前客服）不考核这个指标");
  });

  it("answers an unknown metric with its usage and the close matches", async () => {
    const typo = await ask("U_ZHANG", "explain convrsion_rate");
    expect(typo).toContain("找不到指标「convrsion_rate」");
    expect(typo).toContain("你是不是想找：咨询转化率（conversion_rate）");
    expect(typo).toContain("用法：/kpi explain <指标>");
    const nothing = await ask("U_ZHANG", "explain xyzzy");
    expect(nothing).toContain("找不到指标「xyzzy」");
    expect(nothing).not.toContain("你是不是想找");
  });

  it("tells an unlinked user to link first", async () => {
    expect(await ask("U_STRANGER", "explain FRT")).toContain("link <客服账号>");
  });
});
