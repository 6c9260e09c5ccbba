import { describe, expect, it } from "vitest";
import {
  DEFAULT_RATING_SCALE,
  findLevel,
  InvalidDocument,
  parsePeriod,
  schemeSet,
  scoreAgent,
  scoreRecords,
} from "../../src/engine/index.ts";
import { loadScheme } from "../../src/schemes/index.ts";
import { agentPeriod, schemeFrom, workedExample } from "../helpers.ts";

/** The worked example's nine items at 90%, and 团队协作 rated at 10%. */
const rated = (extra = "") => `
name: rated
itemCap: 100
rounding: { itemScore: 0, total: 1 }
missingData: zero
roles:
  presales:
    items:
      - { metric: conversion_rate, target: 15%, weight: 20% }
      - { metric: aov_uplift, target: 5%, weight: 10% }
      - { metric: cross_sell_rate, target: 20%, weight: 10% }
      - { metric: first_response_time, target: 30s, weight: 15% }
      - { metric: receptions, target: 200, weight: 10% }
      - { metric: csat_rate, target: 90%, weight: 10% }
      - { metric: resolution_rate, target: 85%, weight: 5% }
      - { metric: attendance_rate, target: 98%, weight: 5% }
      - { metric: training_participation, target: 100%, weight: 5% }
      - { metric: teamwork, rule: rated, weight: 10%${extra} }`;

describe("supervisor-rated items", () => {
  it("keeps the worked example of seed 002 at 94.6 (its scheme has no rated item)", async () => {
    expect(scoreAgent(await loadScheme("seed-example"), agentPeriod(workedExample)).total).toBe(94.6);
  });

  it("gives a month awaiting its rating no total, grade, coefficient or pay, but the other items' scores", () => {
    const card = scoreAgent(schemeFrom(rated()), agentPeriod(workedExample));
    expect(card.total).toBeNull();
    expect(card.grade).toBeNull();
    expect(card.coefficient).toBeNull();
    expect(card.awaitingRating).toEqual(["teamwork"]);
    expect(card.belowCoverage).toBeUndefined();
    const teamwork = card.items.find((i) => i.metric === "teamwork")!;
    expect(teamwork).toMatchObject({ status: "awaiting-rating", score: null, weight: 10 });
    expect(card.items.find((i) => i.metric === "conversion_rate")).toMatchObject({
      score: 100,
      weighted: 20,
    });
  });

  it("scores the month fully once rated: 良好 is 90", () => {
    const values = { ...workedExample, teamwork: { num: 90, den: 1 } };
    const card = scoreAgent(schemeFrom(rated()), agentPeriod(values));
    // 20 + 6 + 10 + 15 + 9 + 10 + 4.8 + 5 + 5 + 9 = 93.8
    expect(card.total).toBe(93.8);
    expect(card.grade).toBe("B");
    expect(card.awaitingRating).toBeUndefined();
    expect(card.items.find((i) => i.metric === "teamwork")).toMatchObject({ status: "scored", score: 90 });
  });

  it("caps a level's score at the item's cap", () => {
    const scheme = schemeFrom(
      rated(", scale: [{ level: 卓越, en: outstanding, score: 120 }, { level: 合格, score: 90 }]"),
    );
    const card = scoreAgent(scheme, agentPeriod({ ...workedExample, teamwork: { num: 120, den: 1 } }));
    expect(card.items.find((i) => i.metric === "teamwork")!.score).toBe(100);
  });

  it("shows a week of a monthly scheme the rated item as awaiting, without touching anything", () => {
    const card = scoreAgent(
      schemeFrom(`${rated()}\nassessment: month`),
      agentPeriod(workedExample, { period: "2026-W06" }),
    );
    expect(card.watch).toEqual({ assessment: "month" });
    expect(card.awaitingRating).toBeUndefined();
    expect(card.items.find((i) => i.metric === "teamwork")!.status).toBe("awaiting-rating");
  });

  it("puts a month's rating on the month's card only, and a quarter the mean of its months' ratings", () => {
    const set = schemeSet([schemeFrom(rated())]);
    const days = ["2026-01-15", "2026-02-15", "2026-03-15"].map((day) =>
      agentPeriod(workedExample, { period: day }),
    );
    const ratings = [
      { agent: "小张", metric: "teamwork", period: "2026-01", score: 100 },
      { agent: "小张", metric: "teamwork", period: "2026-02", score: 80 },
      { agent: "小张", metric: "teamwork", period: "2026-03", score: 90 },
    ];
    const feb = scoreRecords(set, days, parsePeriod("2026-02"), ratings)[0]!;
    expect(feb.items.find((i) => i.metric === "teamwork")).toMatchObject({ actual: 80, score: 80 });
    const quarter = scoreRecords(set, days, parsePeriod("2026-Q1"), ratings)[0]!;
    expect(quarter.items.find((i) => i.metric === "teamwork")).toMatchObject({ actual: 90, score: 90 });
    const week = scoreRecords(set, days, parsePeriod("2026-W07"), ratings)[0]!;
    expect(week.items.find((i) => i.metric === "teamwork")!.status).toBe("awaiting-rating");
  });

  it("scores a rated item from the rating only, never from a figure typed into an input file", () => {
    const set = schemeSet([schemeFrom(rated())]);
    const day = agentPeriod({ ...workedExample, teamwork: { num: 100, den: 1 } }, { period: "2026-02-15" });
    const card = scoreRecords(set, [day], parsePeriod("2026-02"))[0]!;
    expect(card.awaitingRating).toEqual(["teamwork"]);
    expect(card.total).toBeNull();
  });

  it("grades the built-in presales-rated scheme only when both behaviour items are rated", async () => {
    const scheme = await loadScheme("presales-rated");
    const waiting = scoreAgent(scheme, agentPeriod(workedExample));
    expect(waiting.awaitingRating).toEqual(["teamwork", "learning_growth"]);
    const both = scoreAgent(
      scheme,
      agentPeriod({
        ...workedExample,
        teamwork: { num: 100, den: 1 },
        learning_growth: { num: 100, den: 1 },
      }),
    );
    expect(both.total).not.toBeNull();
    expect(both.items.find((i) => i.metric === "teamwork")!.weight).toBe(3);
  });

  it("reads levels in either language and rejects a rated item with a target or a duplicated level", () => {
    expect(findLevel(DEFAULT_RATING_SCALE, "良好")?.score).toBe(90);
    expect(findLevel(DEFAULT_RATING_SCALE, "Excellent")?.score).toBe(100);
    expect(findLevel(DEFAULT_RATING_SCALE, "棒")).toBeUndefined();
    expect(() => schemeFrom(rated(", target: 100"))).toThrow(InvalidDocument);
    expect(() => schemeFrom(rated(", scale: [{ level: 好, score: 100 }, { level: 好, score: 90 }]"))).toThrow(
      /named twice/,
    );
  });
});
