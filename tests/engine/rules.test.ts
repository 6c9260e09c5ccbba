import { describe, expect, it } from "vitest";
import { rankCards, type Scheme, type Scorecard, scoreAgent, scoreTeamLead } from "../../src/engine/index.ts";
import { loadScheme } from "../../src/schemes/index.ts";
import { agentPeriod, figures, schemeFrom, workedExample } from "../helpers.ts";
import { analyze, day, msg, pairs } from "./chatlog/helpers.ts";

/**
 * Rules of the documents (../shared/seeds, read out in ../shared/domain.md) that had no test
 * with a number computed by hand; docs/rules.md lists every rule with the test that holds it.
 * Each test's title names the rule, and a comment gives the computation.
 */

/** A role's card for a period with no figures: its items, as planned for that period. */
const plan = (scheme: Scheme, role: string, period: string): Scorecard =>
  scoreAgent(scheme, { agent: "x", role, period, values: {} });

const weights = (card: Scorecard) => card.items.map((i) => [i.metric, i.nominalWeight]);

const frtTarget = (scheme: Scheme, role: string, period: string) =>
  plan(scheme, role, period).items.find((i) => i.metric === "first_response_time")!.target;

describe("weights by role and dimension [002], split over the items by their shares", () => {
  it("splits pre-sales business 40 / efficiency 25 / quality 20 / behaviour 15 into the worked example's 20, 10, 10, 15, 10, 10, 10, 10, 5", async () => {
    // business 40 over shares 2:1:1; efficiency 25 over 3:2; quality 20 over 1:1; behaviour 15 over 2:1.
    expect(weights(plan(await loadScheme("presales"), "presales", "2026-07"))).toEqual([
      ["conversion_rate", 20],
      ["aov_uplift", 10],
      ["cross_sell_rate", 10],
      ["first_response_time", 15],
      ["receptions", 10],
      ["csat_rate", 10],
      ["resolution_rate", 10],
      ["attendance_rate", 10],
      ["training_participation", 5],
    ]);
  });

  it("splits after-sales quality 40 / efficiency 25 / business 20 / behaviour 15: 15, 10, 10, 5 | 15, 10 | 10, 10 | 10, 5", async () => {
    // quality 40 over 3:2:2:1 = 15, 10, 10, 5; efficiency 25 over 3:2 (returns audited within 24 h
    // counted as efficiency) = 15, 10; business 20 over 1:1; behaviour 15 over 2:1.
    expect(weights(plan(await loadScheme("aftersales"), "aftersales", "2026-07"))).toEqual([
      ["resolution_rate", 15],
      ["csat_rate", 10],
      ["complaint_rate", 10],
      ["dispute_rate", 5],
      ["first_response_time", 15],
      ["return_audit_24h", 10],
      ["return_rate", 10],
      ["repurchase_rate", 10],
      ["attendance_rate", 10],
      ["training_participation", 5],
    ]);
  });

  it("splits the supervisor's team results 35 / quality 25 / efficiency 20 / building 20: 20, 15 | 15, 10 | 10, 10 | 10, 10", async () => {
    // team results 35 over 4:3 = 20, 15; team quality 25 over 3:2 = 15, 10; the others 1:1.
    expect(weights(plan(await loadScheme("supervisor"), "supervisor", "2026-07"))).toEqual([
      ["conversion_rate", 20],
      ["aov_uplift", 15],
      ["csat_rate", 15],
      ["complaint_rate", 10],
      ["first_response_time", 10],
      ["response_30s_rate", 10],
      ["training_pass_rate", 10],
      ["attrition_rate", 10],
    ]);
  });

  it("weighs a trainee's response time and script compliance most [000]: 25, 15 | 25, 15 | 10, 10", async () => {
    // efficiency 40 over FRT 5 : ART 3; quality 40 over script compliance 5 : CSAT 3; behaviour 20 over 1:1.
    expect(weights(plan(await loadScheme("trainee"), "trainee", "2026-07"))).toEqual([
      ["first_response_time", 25],
      ["avg_response_time", 15],
      ["script_compliance", 25],
      ["csat_rate", 15],
      ["training_pass_rate", 10],
      ["attendance_rate", 10],
    ]);
  });
});

describe("item scores and totals under the built-in schemes [002]", () => {
  const afterSalesMonth = figures({
    resolution_rate: 0.8, // 80 ÷ 85 = 94.12
    csat_rate: 0.9, // 100
    complaint_rate: 0.008, // ↓ 1% ÷ 0.8% = 125, capped at 120
    dispute_rate: 0.04, // ↓ 3% ÷ 4% = 75
    first_response_time: 24, // ↓ 30 ÷ 24 = 125, capped at 120
    return_audit_24h: 0.9, // 100
    return_rate: 0.05, // ↓ 5% ÷ 5% = 100
    repurchase_rate: 0.22, // 22 ÷ 20 = 110
    attendance_rate: 0.98, // 100
    training_participation: 1, // 100
  });

  it("totals an after-sales month (94.12·15 + 100·10 + 120·10 + 75·5 + 120·15 + 100·10 + 100·10 + 110·10 + 100·10 + 100·5) ÷ 100 = 103.87, grade A", async () => {
    const card = scoreAgent(
      await loadScheme("aftersales"),
      agentPeriod(afterSalesMonth, { role: "aftersales", period: "2026-07" }),
    );
    expect(card.items.map((i) => [i.metric, i.score])).toEqual([
      ["resolution_rate", 94.12],
      ["csat_rate", 100],
      ["complaint_rate", 120],
      ["dispute_rate", 75],
      ["first_response_time", 120],
      ["return_audit_24h", 100],
      ["return_rate", 100],
      ["repurchase_rate", 110],
      ["attendance_rate", 100],
      ["training_participation", 100],
    ]);
    expect(card).toMatchObject({ total: 103.87, grade: "A", coefficient: 1.1 });
  });

  it("pays an after-sales agent's 15% bonus by the grade, no after-sales item being a sales figure: 3,000 × 98% + 1,250 × 1.1 + 750 × 1.1 = 5,140", async () => {
    // Salary 5,000: base 60% = 3,000 × attendance 98% = 2,940; performance 25% = 1,250 × 1.1 (A)
    // = 1,375; bonus 15% = 750 × 1.1 = 825, as the scheme names no bonus items; no 超额奖励 rule.
    const card = scoreAgent(
      await loadScheme("aftersales"),
      agentPeriod(afterSalesMonth, { role: "aftersales", period: "2026-07", salary: 5000 }),
    );
    expect(card.pay).toMatchObject({
      baseFactor: 0.98,
      performanceFactor: 1.1,
      bonusFactor: 1.1,
      extras: [],
      base: 2940,
      performance: 1375,
      bonus: 825,
      total: 5140,
    });
  });

  it("totals a trainee's month with script compliance 95% against 98% [000]: (83.33·25 + 120·15 + 96.94·25 + 100·15 + 100·10 + 102.04·10) ÷ 100 = 98.27, grade B", async () => {
    // FRT ↓ 30 ÷ 36 = 83.33; ART ↓ 60 ÷ 48 = 125 → 120; script 95 ÷ 98 = 96.94; CSAT 90 ÷ 90 = 100;
    // training pass 95 ÷ 95 = 100; attendance 100 ÷ 98 = 102.04. 9827.15 ÷ 100 = 98.27.
    const card = scoreAgent(
      await loadScheme("trainee"),
      agentPeriod(
        figures({
          first_response_time: 36,
          avg_response_time: 48,
          script_compliance: 0.95,
          csat_rate: 0.9,
          training_pass_rate: 0.95,
          attendance_rate: 1,
        }),
        { role: "trainee", period: "2026-07" },
      ),
    );
    expect(card.items.map((i) => i.score)).toEqual([83.33, 120, 96.94, 100, 100, 102.04]);
    expect(card).toMatchObject({ total: 98.27, grade: "B", coefficient: 1 });
  });

  it("holds a pre-sales shop to its category's targets [000, 001]: 60 receptions score 75 in apparel (≥80), 120 in appliances (≥50), 30 elsewhere (≥200)", async () => {
    const presales = await loadScheme("presales");
    const month = figures({ receptions: 60, resolution_rate: 0.76, conversion_rate: 0.12 });
    const item = (category: string | undefined, metric: string) =>
      scoreAgent(
        presales,
        agentPeriod(month, { period: "2026-07", ...(category ? { category } : {}) }),
      ).items.find((i) => i.metric === metric)!;
    // receptions: 60 ÷ 80 = 75; 60 ÷ 50 = 120; 60 ÷ 200 = 30.
    expect(item("apparel", "receptions")).toMatchObject({ target: 80, score: 75 });
    expect(item("appliances", "receptions")).toMatchObject({ target: 50, score: 120 });
    expect(item(undefined, "receptions")).toMatchObject({ target: 200, score: 30 });
    // resolution: appliances ≥80% [001], 76 ÷ 80 = 95; elsewhere ≥85%, 76 ÷ 85 = 89.41.
    expect(item("appliances", "resolution_rate")).toMatchObject({ target: 0.8, score: 95 });
    expect(item("apparel", "resolution_rate")).toMatchObject({ target: 0.85, score: 89.41 });
    // conversion: home ≥10% [000], 12 ÷ 10 = 120; beauty ≥15%, 12 ÷ 15 = 80.
    expect(item("home", "conversion_rate")).toMatchObject({ target: 0.1, score: 120 });
    expect(item("beauty", "conversion_rate")).toMatchObject({ target: 0.15, score: 80 });
  });
});

describe("超额奖励 [000]: conversion 20% over target earns 100 yuan", () => {
  it("reads 20% over a home shop's 10% target as 12%: 12% earns it, 11.9% does not (bonus factors 1.2 and 1.19)", async () => {
    const presales = await loadScheme("presales");
    const pay = (conversion: number) =>
      scoreAgent(
        presales,
        agentPeriod(
          { ...workedExample, ...figures({ conversion_rate: conversion }) },
          { category: "home", salary: 6000 },
        ),
      ).pay!;
    // 10% × 1.2 = 12%; the bonus part follows conversion's score: 12 ÷ 10 = 120, 11.9 ÷ 10 = 119.
    expect(pay(0.12)).toMatchObject({
      bonusFactor: 1.2,
      extras: [{ metric: "conversion_rate", amount: 100 }],
    });
    expect(pay(0.12).extra).toBe(100);
    expect(pay(0.119)).toMatchObject({ bonusFactor: 1.19, extras: [], extra: 0 });
  });
});

describe("big promotions (大促) in the built-in schemes", () => {
  it("holds pre-sales FRT to ≤60 s [000] inside 双11 10-20…11-11, 618 05-20…06-18 and 年货节 01-05…01-20, and ≤30 s the day before and after", async () => {
    const presales = await loadScheme("presales");
    const days = [
      ["2026-10-19", 30],
      ["2026-10-20", 60],
      ["2026-11-11", 60],
      ["2026-11-12", 30],
      ["2026-05-19", 30],
      ["2026-05-20", 60],
      ["2026-06-18", 60],
      ["2026-06-19", 30],
      ["2026-01-04", 30],
      ["2026-01-05", 60],
      ["2026-01-20", 60],
      ["2026-01-21", 30],
    ] as const;
    expect(days.map(([d]) => [d, frtTarget(presales, "presales", d)])).toEqual(days);
  });

  it("runs after-sales 双11 on to 11-20 and 618 to 06-25 (returns follow the promotion), 年货节 as the calendar", async () => {
    const aftersales = await loadScheme("aftersales");
    const days = [
      ["2026-10-19", 30],
      ["2026-10-20", 60],
      ["2026-11-20", 60],
      ["2026-11-21", 30],
      ["2026-05-19", 30],
      ["2026-05-20", 60],
      ["2026-06-25", 60],
      ["2026-06-26", 30],
      ["2026-01-04", 30],
      ["2026-01-05", 60],
      ["2026-01-20", 60],
      ["2026-01-21", 30],
    ] as const;
    expect(days.map(([d]) => [d, frtTarget(aftersales, "aftersales", d)])).toEqual(days);
  });

  it("raises efficiency to 35% on a promotion day [001]: FRT 35 × 3/5 = 21, receptions 35 × 2/5 = 14, the other dimensions × 65/75", async () => {
    const card = plan(await loadScheme("presales"), "presales", "2026-11-05");
    const weight = (metric: string) => card.items.find((i) => i.metric === metric)!.nominalWeight;
    const dimension = (name: string) =>
      card.items.filter((i) => i.dimension === name).reduce((sum, i) => sum + i.nominalWeight, 0);
    expect([weight("first_response_time"), weight("receptions")]).toEqual([21, 14]);
    // business 40 × 65/75 = 34.67; quality 20 × 65/75 = 17.33; behaviour 15 × 65/75 = 13.
    expect(dimension("business")).toBeCloseTo(34.67, 1);
    expect(dimension("quality")).toBeCloseTo(17.33, 1);
    expect(dimension("behaviour")).toBeCloseTo(13, 1);
    expect(card.items.reduce((sum, i) => sum + i.nominalWeight, 0)).toBeCloseTo(100, 9);
  });

  it("adds 催付响应率 at 15% beside efficiency at 35% [001]: the rest, 40 : 20 : 15, share 50%: 26.67, 13.33, 10", () => {
    const scheme = schemeFrom(`
name: promotion items
roles:
  presales:
    dimensions: { business: 40%, efficiency: 25%, quality: 20%, behaviour: 15% }
    items:
      - { metric: conversion_rate, target: 15% }
      - { metric: first_response_time, target: 30s }
      - { metric: csat_rate, target: 90% }
      - { metric: attendance_rate, target: 98% }
seasons:
  - name: 双11
    from: 10-20
    to: 11-11
    dimensions: { efficiency: 35% }
    targets: { first_response_time: 60s }
    addItems: [{ metric: payment_reminder_rate, target: 90%, weight: 15% }]
`);
    // 100 − 35 − 15 = 50 left for 40 : 20 : 15 → 50 × 40/75 = 26.67, 50 × 20/75 = 13.33, 50 × 15/75 = 10.
    expect(weights(plan(scheme, "presales", "2026-11-05"))).toEqual([
      ["conversion_rate", 26.67],
      ["first_response_time", 35],
      ["csat_rate", 13.33],
      ["attendance_rate", 10],
      ["payment_reminder_rate", 15],
    ]);
    expect(plan(scheme, "presales", "2026-11-12").items).toHaveLength(4);
  });
});

describe("chat-log definitions at their edges", () => {
  it("counts a first reply at 30 s as within 30 s [004] and a wait of more than 5 minutes as a long wait [000]: 30, 31, 300, 301 s → 1/4 within 30 s, 1 long wait, FRT 662/4", () => {
    const result = analyze([
      msg("2026-11-20 10:00:00", "s1", "c1", "小张", "customer"),
      msg("2026-11-20 10:00:30", "s1", "c1", "小张", "agent"), // 30 s
      msg("2026-11-20 10:10:00", "s2", "c2", "小张", "customer"),
      msg("2026-11-20 10:10:31", "s2", "c2", "小张", "agent"), // 31 s
      msg("2026-11-20 10:20:00", "s3", "c3", "小张", "customer"),
      msg("2026-11-20 10:25:00", "s3", "c3", "小张", "agent"), // 300 s: five minutes, not more
      msg("2026-11-20 10:30:00", "s4", "c4", "小张", "customer"),
      msg("2026-11-20 10:35:01", "s4", "c4", "小张", "agent"), // 301 s: a long wait
    ]);
    expect(
      pairs(
        day(result, "小张", "2026-11-20"),
        "response_30s_rate",
        "long_wait_count",
        "first_response_time",
        "reply_rate",
      ),
    ).toEqual({
      response_30s_rate: "1/4",
      long_wait_count: "1/1",
      first_response_time: "662/4", // (30 + 31 + 300 + 301) ÷ 4 = 165.5 s
      reply_rate: "4/4",
    });
    expect(result.facts.filter((f) => f.kind === "long_wait")).toEqual([
      expect.objectContaining({ session: "s4", waitSeconds: 301, endedBy: "reply" }),
    ]);
  });

  it("counts ratings 5 and 4 as satisfied and flags only the 3 for review (复盘) [000]: CSAT 2/3, mean 12/3 = 4.0, 评价率 3/4 [004]", () => {
    const sessions = ["r1", "r2", "r3", "r4"].flatMap((s, k) => [
      msg(`2026-11-05 1${k}:00:00`, s, `c${k}`, "小张", "customer"),
      msg(`2026-11-05 1${k}:00:10`, s, `c${k}`, "小张", "agent"),
    ]);
    const ratings = [
      "session,agent,score,at",
      "r1,,5,2026-11-05T18:00:00+08:00",
      "r2,,4,2026-11-05T18:00:00+08:00",
      "r3,,3,2026-11-05T18:00:00+08:00",
    ].join("\n");
    const result = analyze(sessions, {}, { ratings });
    expect(pairs(day(result, "小张", "2026-11-05"), "csat_rate", "csat_score", "review_rate")).toEqual({
      csat_rate: "2/3",
      csat_score: "12/3",
      review_rate: "3/4",
    });
    expect(result.facts.filter((f) => f.kind === "low_rating")).toEqual([
      expect.objectContaining({ session: "r3", score: 3 }),
    ]);
  });

  it("counts inquiring customers, not sessions, for conversion (最终付款人数 ÷ 询单人数 [004]): A twice and B once, A pays → 1/2, not 2/3", () => {
    const lines = [
      msg("2026-11-01 10:00:00", "a1", "A", "小张", "customer"),
      msg("2026-11-01 10:00:05", "a1", "A", "小张", "agent"),
      msg("2026-11-01 11:00:00", "b1", "B", "小张", "customer"),
      msg("2026-11-01 11:00:05", "b1", "B", "小张", "agent"),
      msg("2026-11-01 14:00:00", "a2", "A", "小张", "customer"),
      msg("2026-11-01 14:00:05", "a2", "A", "小张", "agent"),
    ];
    const orders = ["order,shop,customer,paid_at,amount,cod", "o1,店A,A,2026-11-01T20:00:00+08:00,99,"].join(
      "\n",
    );
    const result = analyze(lines, {}, { orders });
    expect(pairs(day(result, "小张", "2026-11-01"), "conversion_rate", "receptions")).toEqual({
      conversion_rate: "1/2",
      receptions: "3/1",
    });
  });
});

describe("ranking cohorts [002]", () => {
  it("gives a team lead scored on the team's roll-up no place: 101 → 1, 98 and 98 → 2, the lead's 110 none", () => {
    const card = (agent: string, role: string, total: number, extra: Partial<Scorecard> = {}) =>
      ({ agent, role, team: "一组", total, period: "2026-11", items: [], ...extra }) as unknown as Scorecard;
    const ranks = rankCards([
      card("a", "presales", 98),
      card("b", "presales", 101),
      card("c", "presales", 98),
      card("boss", "supervisor", 110, { teamLead: true }),
    ]);
    expect(["b", "a", "c"].map((id) => ranks.get(id)!.place)).toEqual([1, 2, 2]);
    expect(ranks.has("boss")).toBe(false);
  });

  it("marks the supervisor's card as the team's (teamLead), which is what keeps it out", async () => {
    const lead = scoreTeamLead(
      await loadScheme("supervisor"),
      { agent: "王主管", role: "supervisor", period: "2026-11", team: "一组", values: {} },
      [
        agentPeriod(
          { conversion_rate: { num: 3, den: 20 } },
          { agent: "a", team: "一组", period: "2026-11" },
        ),
      ],
    );
    // The team's conversion 3 ÷ 20 = 15% meets the 15% target: 100.
    expect(lead.teamLead).toBe(true);
    expect(lead.items.find((i) => i.metric === "conversion_rate")).toMatchObject({
      actual: 0.15,
      score: 100,
    });
  });
});
