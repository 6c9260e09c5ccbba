import { describe, expect, it } from "vitest";
import { parseDay, parsePeriod, periodOfDay, scoreAgent } from "../../src/engine/index.ts";
import { agentPeriod, figures, schemeFrom } from "../helpers.ts";

/**
 * Seed 002: "每日导出数据，每周汇总分析，每月绩效评估" — figures are watched daily and weekly, and
 * graded monthly; "新员工试用期可以缩短为双周评估一次" — new hires on probation every two weeks.
 */
const scheme = schemeFrom(`
name: assessment
probation: { weeks: 12, assessment: fortnight }
roles:
  presales:
    items:
      - { metric: conversion_rate, target: 15%, weight: 60 }
      - { metric: first_response_time, target: 30s, weight: 40 }`);
const month = figures({ conversion_rate: 0.18, first_response_time: 25 });

describe("the assessment period", () => {
  it("watches a day and a week (items against targets, no total or grade) and grades the month", () => {
    for (const period of ["2026-11-20", "2026-W47"]) {
      const card = scoreAgent(scheme, agentPeriod(month, { period }));
      expect(card).toMatchObject({
        total: null,
        grade: null,
        coefficient: null,
        watch: { assessment: "month" },
      });
      expect(card.items.map((i) => i.score)).toEqual([120, 120]);
    }
    const graded = scoreAgent(scheme, agentPeriod(month, { period: "2026-11" }));
    expect(graded).toMatchObject({ total: 120, grade: "S" });
    expect(graded.watch).toBeUndefined();
  });

  it("grades a quarter too, which the documents review for promotion (季度评估)", () => {
    expect(scoreAgent(scheme, agentPeriod(month, { period: "2026-Q4" })).grade).toBe("S");
  });

  it("grades a new hire's fortnights during probation, and stops twelve weeks after traineeSince", () => {
    const trainee = { traineeSince: "2026-11-03" };
    const first = scoreAgent(scheme, agentPeriod(month, { period: "2026-11-09~2026-11-22", ...trainee }));
    expect(first).toMatchObject({ grade: "S" });
    // 2027-01-26 is 12 weeks after 11-03; the fortnight from 02-01 starts after it.
    const late = scoreAgent(scheme, agentPeriod(month, { period: "2027-02-01~2027-02-14", ...trainee }));
    expect(late).toMatchObject({ grade: null, watch: { assessment: "month" } });
    const veteran = scoreAgent(scheme, agentPeriod(month, { period: "2026-11-09~2026-11-22" }));
    expect(veteran.watch).toEqual({ assessment: "month" });
    // A week is shorter than a fortnight: watched even on probation.
    expect(scoreAgent(scheme, agentPeriod(month, { period: "2026-W47", ...trainee })).watch).toEqual({
      assessment: "fortnight",
    });
  });
});

describe("fortnights", () => {
  it("are the same two-week blocks for the whole shop, Monday to the Sunday after next", () => {
    const p = periodOfDay(parseDay("2026-11-20"), "fortnight");
    expect(p).toMatchObject({ kind: "fortnight", key: "2026-11-09~2026-11-22" });
    expect(periodOfDay(parseDay("2026-11-23"), "fortnight").key).toBe("2026-11-23~2026-12-06");
    expect(parsePeriod("2026-11-09~2026-11-22")).toEqual(p);
  });

  it("refuses a block that is not one of them", () => {
    expect(() => parsePeriod("2026-11-10~2026-11-23")).toThrow("is not a period");
  });
});
