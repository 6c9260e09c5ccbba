import { describe, expect, it } from "vitest";
import { adviseNextGrade, scoreAgent } from "../../src/engine/index.ts";
import { messagesFor } from "../../src/i18n/index.ts";
import { scorecardView } from "../../src/present/scorecard-view.ts";
import { loadScheme } from "../../src/schemes/index.ts";
import { agentPeriod, figures, schemeFrom, workedExample } from "../helpers.ts";

const scheme = schemeFrom(`
name: coaching
roles:
  presales:
    items:
      - { metric: conversion_rate, target: 15%, weight: 60 }
      - { metric: first_response_time, target: 30s, weight: 40 }`);

describe("what it takes to reach the next grade", () => {
  // conversion 12% → 80 × 0.6 = 48; FRT 30 s → 100 × 0.4 = 40; total 88, grade C.
  const input = agentPeriod(figures({ conversion_rate: 0.12, first_response_time: 30 }));

  it("finds, for each item alone, the figure that lifts C to B (≥ 90)", () => {
    const advice = adviseNextGrade(scheme, input);
    expect(advice).toMatchObject({ grade: "C", next: { grade: "B", min: 90 }, gap: 2 });
    // conversion: 12.5% scores 83.33 → 49.998 + 40 = 89.998 → 90.00; 12.4% would give 89.6.
    // FRT: 28 s scores 107.14 → 48 + 42.856 = 90.86; 29 s would give 89.38.
    expect(advice.lifts.map((l) => [l.metric, l.from, l.to, l.toScore])).toEqual([
      ["conversion_rate", 0.12, 0.125, 83.33],
      ["first_response_time", 30, 28, 107.14],
    ]);
    for (const lift of advice.lifts) {
      const lifted = scoreAgent(scheme, {
        ...input,
        values: { ...input.values, ...figures({ [lift.metric]: lift.to }) },
      });
      expect(lifted.grade).toBe("B");
    }
    const justShort = scoreAgent(scheme, {
      ...input,
      values: { ...input.values, ...figures({ conversion_rate: 0.124 }) },
    });
    expect(justShort.grade).toBe("C");
  });

  it("says it in the agent's language", () => {
    const view = scorecardView(
      scheme,
      scoreAgent(scheme, input),
      messagesFor("zh-CN"),
      adviseNextGrade(scheme, input),
    );
    expect(view.advice).toEqual([
      "咨询转化率 12%→12.5%，可从 C 升到 B",
      "首次响应时间 30 s→28 s，可从 C 升到 B",
    ]);
    const en = scorecardView(
      scheme,
      scoreAgent(scheme, input),
      messagesFor("en"),
      adviseNextGrade(scheme, input),
    );
    expect(en.advice?.[0]).toBe("conversion rate 12%→12.5% lifts C to B");
  });

  it("says when no single item is enough: the worked example is 5.4 short of A with every item capped at 100", async () => {
    const seed = await loadScheme("seed-example");
    const advice = adviseNextGrade(seed, agentPeriod(workedExample));
    expect(advice).toMatchObject({ grade: "B", next: { grade: "A" }, gap: 5.4, lifts: [] });
    expect(advice.notEnough).toHaveLength(9);
    const view = scorecardView(
      seed,
      scoreAgent(seed, agentPeriod(workedExample)),
      messagesFor("zh-CN"),
      advice,
    );
    // …but three together are: AOV uplift, receptions and resolution, each to its target.
    expect(view.advice).toEqual([
      "单靠任何一项都不够；客单价提升率 +3%→+5%、日均接待量 180→200、一次解决率 82%→85%一起达到，可从 B 升到 A",
    ]);
  });

  it("has nothing to add at the top grade", () => {
    const top = agentPeriod(figures({ conversion_rate: 0.2, first_response_time: 20 }));
    expect(adviseNextGrade(scheme, top)).toMatchObject({ grade: "S", next: null, lifts: [] });
  });
});

describe("the breakdown table", () => {
  it("reads like the worked example's table", async () => {
    const seed = await loadScheme("seed-example");
    const view = scorecardView(seed, scoreAgent(seed, agentPeriod(workedExample)), messagesFor("zh-CN"));
    expect(view.rows[0]).toEqual({
      metric: "咨询转化率",
      target: "≥15%",
      actual: "18%",
      score: "100",
      weight: "20%",
      weighted: "20.0",
    });
    expect(view.rows[1]).toMatchObject({ metric: "客单价提升率", target: "≥5%", actual: "+3%", score: "60" });
    expect(view.rows[3]).toMatchObject({ target: "≤30 s", actual: "25 s" });
    expect(view.rows[6]).toMatchObject({ score: "96", weighted: "9.6" });
    expect(view.summary).toBe("总分 94.6 → B（良好），绩效系数 1.0");
  });
});
