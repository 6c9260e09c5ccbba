import { describe, expect, it } from "vitest";
import {
  type AgentPeriod,
  actualOf,
  builtinCatalogue,
  finishedValue,
  parsePeriod,
  RollupError,
  rollUpGroups,
  rollUpPeriods,
} from "../../src/engine/index.ts";

const catalogue = builtinCatalogue;
const actual = (record: AgentPeriod | undefined, id: string) =>
  actualOf(catalogue.get(id)!, record!.values[id]!);

function dayOf(
  period: string,
  frt: [number, number],
  conversion: [number, number],
  receptions: number,
): AgentPeriod {
  return {
    agent: "小张",
    role: "presales",
    period,
    values: {
      first_response_time: { num: frt[0], den: frt[1] },
      conversion_rate: { num: conversion[0], den: conversion[1] },
      receptions: { num: receptions, den: 1 },
    },
  };
}

// Uneven days: averaging the daily figures would give FRT 30 s and conversion 46.7% for the week.
const days = [
  dayOf("2026-11-16", [200, 10], [3, 10], 10), // Mon: 20 s, 30%
  dayOf("2026-11-17", [1500, 50], [5, 50], 50), // Tue: 30 s, 10%
  dayOf("2026-11-18", [40, 1], [1, 1], 1), // Wed: 40 s, 100%
  dayOf("2026-11-30", [600, 20], [2, 20], 20), // Mon of the next-but-one week, same month
  dayOf("2026-12-01", [90, 3], [0, 3], 3), // December
];

describe("roll-ups sum numerators and denominators", () => {
  it("gives the week's FRT as 1740 s ÷ 61 sessions and conversion as 9 ÷ 61", () => {
    const weeks = rollUpPeriods(days, "week", catalogue);
    const w47 = weeks.find((w) => w.period === "2026-W47");
    expect(actual(w47, "first_response_time")).toBe(1740 / 61);
    expect(actual(w47, "conversion_rate")).toBe(9 / 61);
    expect(actual(w47, "receptions")).toBe(61 / 3); // sessions per day worked
    expect(weeks.map((w) => w.period)).toEqual(["2026-W47", "2026-W49"]);
  });

  it("gives November's FRT as 2340 s ÷ 81 and conversion as 11 ÷ 81, leaving December out", () => {
    const [november, december] = rollUpPeriods(days, "month", catalogue);
    expect(november!.period).toBe("2026-11");
    expect(actual(november, "first_response_time")).toBe(2340 / 81);
    expect(actual(november, "conversion_rate")).toBe(11 / 81);
    expect(actual(november, "receptions")).toBe(81 / 4);
    expect(december!.period).toBe("2026-12");
    expect(actual(december, "conversion_rate")).toBe(0);
  });

  it("rolls months into the quarter exactly as the days would", () => {
    const quarter = rollUpPeriods(rollUpPeriods(days, "month", catalogue), "quarter", catalogue);
    const direct = rollUpPeriods(days, "quarter", catalogue);
    expect(quarter).toEqual(direct);
    expect(actual(direct[0], "conversion_rate")).toBe(11 / 84);
  });

  it("keeps only the records inside a given period", () => {
    const rolled = rollUpPeriods(days, parsePeriod("2026-12"), catalogue);
    expect(rolled).toHaveLength(1);
    expect(actual(rolled[0], "first_response_time")).toBe(30);
  });

  it("leaves the records' own figures as they were, a group of one record or of several", () => {
    // Two shops' records of one day, and a day alone: the sums go into the rolled-up records only.
    const twoShops = [dayOf("2026-11-16", [200, 10], [3, 10], 10), dayOf("2026-11-16", [100, 5], [1, 5], 5)];
    const alone = dayOf("2026-11-17", [1500, 50], [5, 50], 50);
    const before = structuredClone([...twoShops, alone]);
    const rolled = rollUpPeriods([...twoShops, alone], "day", catalogue);
    expect(actual(rolled[0], "first_response_time")).toBe(300 / 15);
    expect(actual(rolled[1], "conversion_rate")).toBe(5 / 50);
    expect([...twoShops, alone]).toEqual(before);
    // A change metric's base goes onto the rolled-up record, not onto the day it came from.
    const aov = (period: string, num: number, den: number): AgentPeriod => ({
      agent: "小张",
      role: "presales",
      period,
      values: { aov: { num, den } },
    });
    const pair = [aov("2026-11-16", 1000, 10), aov("2026-11-17", 1100, 10)];
    const [tuesday] = rollUpPeriods(pair, parsePeriod("2026-11-17"), catalogue);
    expect(actual(tuesday, "aov_uplift")).toBeCloseTo(0.1, 12);
    expect(pair[1]!.values).toEqual({ aov: { num: 1100, den: 10 } });
  });

  it("refuses to split a week across months", () => {
    const weeks = rollUpPeriods(days, "week", catalogue);
    expect(() => rollUpPeriods(weeks, "month", catalogue)).toThrow(RollupError);
  });

  it("makes two finished ratios not combinable (no figure), keeping what each export lacked, and sums the rest", () => {
    const finished = (period: string, v: number, needs: string[]): AgentPeriod => ({
      agent: "小张",
      role: "presales",
      period,
      values: {
        conversion_rate: { ...finishedValue(v), needs },
        long_wait_count: finishedValue(2),
        csat_rate: { num: 9, den: 10 },
      },
    });
    const [month] = rollUpPeriods(
      [finished("2026-11-01", 0.1, ["询单人数"]), finished("2026-11-02", 0.2, ["询单人数", "最终付款人数"])],
      "month",
      catalogue,
    );
    expect(month!.values.conversion_rate).toEqual({
      num: 0,
      den: 0,
      finished: true,
      notCombinable: true,
      needs: ["询单人数", "最终付款人数"],
    });
    expect(actual(month, "conversion_rate")).toBeNull();
    expect(actual(month, "long_wait_count")).toBe(4);
    expect(actual(month, "csat_rate")).toBe(0.9);
    const single = rollUpPeriods([finished("2026-11-01", 0.1, [])], "month", catalogue);
    expect(actual(single[0], "conversion_rate")).toBe(0.1);
  });

  it("makes a finished ratio and an exact one not combinable too, and a third day keeps it so", () => {
    const day = (period: string, value: AgentPeriod["values"][string]): AgentPeriod => ({
      agent: "小张",
      role: "presales",
      period,
      values: { conversion_rate: value },
    });
    const [month] = rollUpPeriods(
      [
        day("2026-11-01", { num: 3, den: 10 }),
        day("2026-11-02", finishedValue(0.2)),
        day("2026-11-03", { num: 1, den: 5 }),
      ],
      "month",
      catalogue,
    );
    expect(month!.values.conversion_rate?.notCombinable).toBe(true);
  });

  it("adds up approximate figures and keeps them marked with the count they stand on", () => {
    const day = (period: string, num: number, den: number): AgentPeriod => ({
      agent: "小张",
      role: "presales",
      period,
      values: { conversion_rate: { num, den, approx: "接待人数" } },
    });
    const [month] = rollUpPeriods([day("2026-11-01", 3, 10), day("2026-11-02", 1, 30)], "month", catalogue);
    expect(month!.values.conversion_rate).toEqual({ num: 4, den: 40, approx: "接待人数" });
  });

  it("sums counts and amounts even when they arrive as plain figures", () => {
    const day = (period: string): AgentPeriod => ({
      agent: "a",
      role: "r",
      period,
      values: { long_wait_count: finishedValue(2), sales_amount: finishedValue(1000.5) },
    });
    const [month] = rollUpPeriods([day("2026-11-01"), day("2026-11-02")], "month", catalogue);
    expect(actual(month, "long_wait_count")).toBe(4);
    expect(actual(month, "sales_amount")).toBe(2001);
  });

  it("computes AOV uplift against the agent's previous period", () => {
    const aov = (period: string, sales: number, orders: number): AgentPeriod => ({
      agent: "小张",
      role: "presales",
      period,
      values: { aov: { num: sales, den: orders } },
    });
    const records = [aov("2026-10-03", 6000, 60), aov("2026-10-20", 4000, 40), aov("2026-11-05", 11000, 100)];
    const [october, november] = rollUpPeriods(records, "month", catalogue);
    expect(october!.values.aov_uplift).toBeUndefined(); // nothing to compare with
    expect(actual(november, "aov")).toBe(110);
    expect(actual(november, "aov_uplift")).toBeCloseTo(0.1, 12); // 110 ÷ 100 − 1
  });

  it("rolls agents up into teams by summing, not averaging", () => {
    const agent = (name: string, team: string, num: number, den: number): AgentPeriod => ({
      agent: name,
      role: "presales",
      period: "2026-11",
      team,
      values: { conversion_rate: { num, den } },
    });
    const groups = rollUpGroups(
      [agent("a", "一组", 3, 10), agent("b", "一组", 30, 200), agent("c", "二组", 1, 2)],
      "team",
      catalogue,
    );
    expect(
      groups.map((g) => [
        g.group,
        g.members,
        actualOf(catalogue.get("conversion_rate")!, g.values.conversion_rate!),
      ]),
    ).toEqual([
      ["一组", ["a", "b"], 33 / 210],
      ["二组", ["c"], 0.5],
    ]);
  });
});
