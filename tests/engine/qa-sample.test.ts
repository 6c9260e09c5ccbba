import { describe, expect, it } from "vitest";
import {
  conversationFacts,
  keptOfAgentDay,
  MASK_RULES,
  maskCustomer,
  maskText,
  pickQaSample,
  type QaCandidate,
  type QaStratum,
} from "../../src/engine/index.ts";

describe("masking customer data (the table of MASK_RULES)", () => {
  it.each([
    ["mobile", "电话13812345678", "电话138****5678"],
    ["mobile with spaces", "138 1234 5678 打我", "138****5678 打我"],
    ["landline", "座机0571-88886666", "座机0571-********"],
    ["id card", "身份证33010619900101123X", "身份证330106************"],
    ["order number", "订单号3912345678901234还没到", "订单号****1234还没到"],
    ["name after 收件人", "收件人：张三丰", "收件人：张**"],
    ["name after 姓名", "姓名 李四", "姓名 李*"],
    ["address", "地址浙江省杭州市西湖区文三路90号3号楼501室", "地址浙江省杭州市西湖区****"],
    ["e-mail", "邮箱zhang.san@qq.com", "邮箱z***@qq.com"],
    ["nothing personal", "尺码偏小了，有色差", "尺码偏小了，有色差"],
  ])("%s", (_what, text, masked) => {
    expect(maskText(text)).toBe(masked);
  });

  it("documents every rule", () => {
    for (const rule of MASK_RULES) expect(rule.what.length).toBeGreaterThan(10);
    expect(maskCustomer("tb_zhang88")).toBe("t********8");
    expect(maskCustomer("ab")).toBe("a*");
  });
});

describe("a conversation's facts", () => {
  it("finds the first and longest waits, the transfer and the forbidden phrases in the agent's lines", () => {
    const t = 1_800_000_000_000;
    const facts = conversationFacts({
      shop: "s",
      session: "1",
      customer: "c",
      agent: "a",
      day: "2026-11-23",
      messages: [
        { at: t, from: "customer", event: "message", text: "我不知道选哪个码" },
        { at: t + 30_000, from: "agent", event: "message", text: "亲，不知道您平时穿什么码？" },
        { at: t + 60_000, from: "customer", event: "message", text: "M" },
        { at: t + 460_000, from: "agent", event: "message", text: "这个我不知道，随便你" },
        { at: t + 500_000, from: "system", event: "transfer", text: "转接" },
      ],
      rating: { score: 2, at: t + 600_000 },
    });
    expect(facts).toMatchObject({
      firstWaitSeconds: 30,
      longestWaitSeconds: 400,
      transferred: true,
      rating: 2,
      agentLines: 2,
    });
    // The customer's 不知道 and the polite 不知道您 are not hits.
    expect(facts.phraseHits.sort()).toEqual(["不知道", "随便你"].sort());
  });
});

const candidate = (id: number, strata: QaStratum[]): QaCandidate => ({
  id,
  sampleKey: String(id).padStart(4, "0"),
  strata: [...strata, "random"],
});

describe("the weekly stratified sample", () => {
  const week = [
    candidate(1, []),
    candidate(2, ["low_rating"]),
    candidate(3, ["low_rating", "long_wait"]),
    candidate(4, ["phrase_hit"]),
    candidate(5, []),
    candidate(6, ["long_wait"]),
    candidate(7, []),
  ];
  const sizes = { low_rating: 1, bad_review: 1, long_wait: 1, phrase_hit: 1, transfer: 0, random: 1 };

  it("takes each stratum's smallest keys, never a conversation twice, and fills a short stratum from random", () => {
    const picked = pickQaSample(week, sizes, 5).map((p) => [p.picked.id, p.stratum]);
    expect(picked).toEqual([
      [2, "low_rating"],
      [3, "long_wait"],
      [4, "phrase_hit"],
      [1, "random"],
      [5, "random"],
    ]);
  });

  it("is the same whatever order the candidates come in, and stops at the size asked", () => {
    const forward = pickQaSample(week, sizes, 3).map((p) => p.picked.id);
    const backward = pickQaSample([...week].reverse(), sizes, 3).map((p) => p.picked.id);
    expect(forward).toEqual([2, 3, 4]);
    expect(backward).toEqual(forward);
  });

  it("gives all there are when the week has fewer than asked", () => {
    expect(pickQaSample(week.slice(0, 2), sizes, 5)).toHaveLength(2);
  });

  it("keeps per agent-day only what a week's sample could pick (bottom-k per stratum)", () => {
    const day = Array.from({ length: 30 }, (_, i) => candidate(i, i % 7 === 0 ? ["transfer"] : []));
    const kept = keptOfAgentDay(day, 3);
    expect(kept.map((c) => c.id)).toEqual([0, 1, 2, 7, 14]);
    // The union of days' bottom-k holds the week's bottom-k.
    const weekOfDays = [day, day.map((c) => ({ ...c, id: c.id + 100, sampleKey: `x${c.sampleKey}` }))];
    const all = weekOfDays.flat();
    const fromKept = keptOfAgentDay(
      weekOfDays.flatMap((d) => keptOfAgentDay(d, 3)),
      3,
    );
    expect(fromKept).toEqual(keptOfAgentDay(all, 3));
  });
});
