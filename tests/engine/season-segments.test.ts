import { describe, expect, it } from "vitest";
import {
  type AgentPeriod,
  buildScheme,
  DEFAULT_SEASON_CALENDAR,
  parsePeriod,
  schemeSet,
  scoreAgent,
  scoreRecords,
  withSeasonWindows,
} from "../../src/engine/index.ts";
import { schemeFrom } from "../helpers.ts";

/**
 * A month that Double 11 covers in part is scored with each day's own rules: November 2026 has
 * 11 days of 双11 (11-01 … 11-11, FRT ≤ 60 s, efficiency 35%) and 19 everyday ones (≤ 30 s, 25%).
 */
const scheme = schemeFrom(`
name: seasons by day
roles:
  presales:
    dimensions: { business: 40%, efficiency: 25%, quality: 20%, behaviour: 15% }
    items:
      - { metric: conversion_rate, target: 15% }
      - { metric: first_response_time, target: 30s }
      - { metric: csat_rate, target: 90% }
      - { metric: attendance_rate, target: 98% }
seasons:
  - { name: 双11, from: 10-20, to: 11-11, dimensions: { efficiency: 35% }, targets: { first_response_time: 60s } }
`);

const day = (period: string, values: AgentPeriod["values"]): AgentPeriod => ({
  agent: "小张",
  role: "presales",
  period,
  values,
});

// 100 sessions at 50 s on 11-05 (in the season), 300 at 40 s on 11-20 (after it).
const days = [
  day("2026-11-05", {
    first_response_time: { num: 5000, den: 100 },
    conversion_rate: { num: 30, den: 200 },
    csat_rate: { num: 90, den: 100 },
  }),
  day("2026-11-20", {
    first_response_time: { num: 12000, den: 300 },
    conversion_rate: { num: 30, den: 200 },
    csat_rate: { num: 90, den: 100 },
    attendance_rate: { num: 49, den: 50 },
  }),
];

describe("November's card under Double 11 (11-01 … 11-11)", () => {
  const [card] = scoreRecords(schemeSet([scheme]), days, parsePeriod("2026-11"));

  it("lists the season with its days", () => {
    expect(card!.seasons).toEqual(["双11"]);
    expect(card!.seasonDays).toEqual([{ season: "双11", first: "2026-11-01", last: "2026-11-11" }]);
  });

  it("scores FRT against each stretch's target, by volume: (120·100 + 75·300) ÷ 400 = 86.25", () => {
    const frt = card!.items.find((i) => i.metric === "first_response_time")!;
    // 50 s against 60 s scores 120 (the cap); 40 s against 30 s scores 75.
    expect(frt.segments).toEqual([
      {
        first: "2026-11-01",
        last: "2026-11-11",
        seasons: ["双11"],
        target: 60,
        actual: 50,
        score: 120,
        volume: 100,
      },
      {
        first: "2026-11-12",
        last: "2026-11-30",
        seasons: [],
        target: 30,
        actual: 40,
        score: 75,
        volume: 300,
      },
    ]);
    expect(frt.score).toBe(86.25);
    expect(frt.actual).toBe(42.5); // 17,000 s over 400 sessions
    expect(frt.target).toBe(37.5); // (60·100 + 30·300) ÷ 400
  });

  it("weighs each item by its days: efficiency (25%·19 + 35%·11) ÷ 30 = 28.67%", () => {
    // Season weights: efficiency 35%, the rest 65% in 40:20:15 (34.67, 17.33, 13).
    expect(card!.items.map((i) => [i.metric, i.nominalWeight])).toEqual([
      ["conversion_rate", 38.04],
      ["first_response_time", 28.67],
      ["csat_rate", 19.02],
      ["attendance_rate", 14.27],
    ]);
  });

  it("totals (100·38.04 + 86.25·28.67 + 100·19.02 + 100·14.27) ÷ 100 = 96.06, grade B", () => {
    // Items with one target all month are scored on the month's figure: 60/400 = 15% → 100.
    expect(card!.items.find((i) => i.metric === "conversion_rate")).toMatchObject({ score: 100 });
    expect(card!.items.find((i) => i.metric === "conversion_rate")!.segments).toBeUndefined();
    expect(card!.total).toBe(96.06);
    expect(card!.grade).toBe("B");
  });

  it("scores a month wholly outside the season by everyday rules, with no split", () => {
    const december = days.map((d) => ({ ...d, period: d.period.replace("-11-", "-12-") }));
    const [plain] = scoreRecords(schemeSet([scheme]), december, parsePeriod("2026-12"));
    expect(plain!.seasons).toEqual([]);
    expect(plain!.seasonDays).toBeUndefined();
    const frt = plain!.items.find((i) => i.metric === "first_response_time")!;
    expect(frt).toMatchObject({ target: 30, actual: 42.5, score: 70.59 });
    expect(frt.segments).toBeUndefined();
  });
});

describe("the season calendar", () => {
  const doc = {
    name: "calendar",
    roles: { presales: { items: [{ metric: "first_response_time", target: "30s", weight: "100%" }] } },
    seasons: [{ name: "双11", targets: { first_response_time: "60s" } }],
  };
  const frtTarget = (scheme: ReturnType<typeof buildScheme>, day: string) =>
    scoreAgent(scheme, { agent: "a", role: "presales", period: day, values: {} }).items[0]!.target;

  it("gives a season without dates the calendar's window: 双11 is 10-20 … 11-11 by default", () => {
    const scheme = buildScheme(doc);
    expect(scheme.seasons[0]).toMatchObject({ from: { month: 10, day: 20 }, to: { month: 11, day: 11 } });
    expect([
      frtTarget(scheme, "2026-10-19"),
      frtTarget(scheme, "2026-10-20"),
      frtTarget(scheme, "2026-11-12"),
    ]).toEqual([30, 60, 30]);
  });

  it("moves the window where the configuration says", () => {
    const scheme = buildScheme(doc, "calendar", {
      ...DEFAULT_SEASON_CALENDAR,
      双11: { from: "11-01", to: "11-11" },
    });
    expect([frtTarget(scheme, "2026-10-25"), frtTarget(scheme, "2026-11-01")]).toEqual([30, 60]);
  });

  it("keeps a scheme's own dates over the calendar's", () => {
    const own = { ...doc, seasons: [{ ...doc.seasons[0], from: "10-20", to: "11-20" }] };
    expect(frtTarget(buildScheme(own), "2026-11-15")).toBe(60);
    expect(withSeasonWindows(own)).toEqual(own);
  });

  it("names a season the calendar does not know", () => {
    const unknown = { ...doc, seasons: [{ name: "38节", targets: { first_response_time: "60s" } }] };
    expect(() => buildScheme(unknown)).toThrow(
      "seasons[0]: season 38节 gives no dates and the season calendar has no window named 38节",
    );
  });
});
