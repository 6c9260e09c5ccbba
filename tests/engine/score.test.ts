import { describe, expect, it } from "vitest";
import { finishedValue, scoreAgent } from "../../src/engine/index.ts";
import { loadScheme } from "../../src/schemes/index.ts";
import { agentPeriod, figures, schemeFrom, workedExample } from "../helpers.ts";

describe("the worked example of seed 002", () => {
  it("scores 小张's month as 94.6, grade B, coefficient 1.0, with the nine rows of domain.md", async () => {
    const card = scoreAgent(await loadScheme("seed-example"), agentPeriod(workedExample));
    expect(card.total).toBe(94.6);
    expect(card.grade).toBe("B");
    expect(card.coefficient).toBe(1);
    expect(card.items.map((i) => [i.metric, i.score, i.weight, i.weighted])).toEqual([
      ["conversion_rate", 100, 20, 20],
      ["aov_uplift", 60, 10, 6],
      ["cross_sell_rate", 100, 10, 10],
      ["first_response_time", 100, 15, 15],
      ["receptions", 90, 10, 9],
      ["csat_rate", 100, 10, 10],
      ["resolution_rate", 96, 10, 9.6],
      ["attendance_rate", 100, 10, 10],
      ["training_participation", 100, 5, 5],
    ]);
  });

  it("scores the same month under the built-in pre-sales scheme (cap 120) higher, grade A", async () => {
    const card = scoreAgent(await loadScheme("presales"), agentPeriod(workedExample));
    // 120·20 + 60·10 + 110·10 + 120·15 + 90·10 + 103.33·10 + 96.47·10 + 102.04·10 + 100·5 = 10318.4
    expect(card.total).toBe(103.18);
    expect(card.grade).toBe("A");
    expect(card.coefficient).toBe(1.1);
  });
});

const oneItem = (extra = "") => `
name: one item
itemCap: 120
${extra}
roles:
  presales:
    items: [{ metric: receptions, target: 100, weight: 100 }]`;

describe("grade boundaries", () => {
  const scheme = schemeFrom(oneItem());
  const grade = (receptions: number) => scoreAgent(scheme, agentPeriod(figures({ receptions }))).grade;

  it("puts 89.99 in C and 90 in B", () => {
    expect(grade(89.99)).toBe("C");
    expect(grade(90)).toBe("B");
  });

  it("puts 109.99 in A and 110 in S", () => {
    expect(grade(109.99)).toBe("A");
    expect(grade(110)).toBe("S");
  });

  it("puts 99.99 in B, 100 in A, 79.99 in D and 80 in C", () => {
    expect([grade(99.99), grade(100), grade(79.99), grade(80)]).toEqual(["B", "A", "D", "C"]);
  });

  it("grades the total as shown: 89.995 rounds to 90.00 and is B", () => {
    expect(scoreAgent(scheme, agentPeriod(figures({ receptions: 89.995 })))).toMatchObject({
      total: 90,
      grade: "B",
    });
  });

  it("pays the band's coefficient, or total ÷ 100 with the linear rule [003]", () => {
    const card = (s: typeof scheme, receptions: number) =>
      scoreAgent(s, agentPeriod(figures({ receptions })));
    expect(card(scheme, 85).coefficient).toBe(0.8);
    expect(card(scheme, 75).coefficient).toBe(0.6);
    const linear = schemeFrom(oneItem("coefficient: { mode: linear, min: 0.5, max: 1.2 }"));
    expect(card(linear, 80).coefficient).toBe(0.8);
    expect(card(linear, 94.6).coefficient).toBe(0.946);
    expect(card(linear, 40).coefficient).toBe(0.5);
    expect(card(linear, 120).coefficient).toBe(1.2);
  });
});

const twoItems = (missing: string) => `
name: two items
missingData: ${missing}
minCoverage: 50%
roles:
  presales:
    items:
      - { metric: conversion_rate, target: 15%, weight: 60 }
      - { metric: csat_rate, target: 90%, weight: 40 }`;

describe("missing data and zero denominators", () => {
  it("leaves a missing item out and renormalises the other weights", () => {
    const card = scoreAgent(
      schemeFrom(twoItems("renormalise")),
      agentPeriod(figures({ conversion_rate: 0.12 })),
    );
    expect(card.total).toBe(80);
    expect(card.items[0]).toMatchObject({
      score: 80,
      weight: 100,
      nominalWeight: 60,
      weighted: 80,
      status: "scored",
    });
    expect(card.items[1]).toMatchObject({
      score: null,
      weight: 0,
      nominalWeight: 40,
      weighted: null,
      status: "missing",
    });
  });

  it("scores a missing item 0 when the scheme says so", () => {
    const card = scoreAgent(schemeFrom(twoItems("zero")), agentPeriod(figures({ conversion_rate: 0.12 })));
    expect(card.total).toBe(48);
    expect(card.items[1]).toMatchObject({ score: 0, weight: 40, weighted: 0, status: "missing" });
  });

  it("lets an item override the scheme's rule", () => {
    const yaml = twoItems("renormalise").replace("weight: 40 }", "weight: 40, missing: zero }");
    const card = scoreAgent(schemeFrom(yaml), agentPeriod(figures({ conversion_rate: 0.12 })));
    expect(card.total).toBe(48);
  });

  it("treats a zero denominator (no ratings at all) as no data, not as 0% or NaN", () => {
    const values = { conversion_rate: { num: 30, den: 200 }, csat_rate: { num: 0, den: 0 } };
    const card = scoreAgent(schemeFrom(twoItems("renormalise")), agentPeriod(values));
    expect(card.items[1]).toMatchObject({ actual: null, score: null, status: "no-data" });
    expect(card.total).toBe(100);
    const zero = scoreAgent(schemeFrom(twoItems("zero")), agentPeriod(values));
    expect(zero.total).toBe(60);
  });

  it("leaves a not-combinable item out even under missingData: zero, naming what the export lacked", () => {
    const values = {
      conversion_rate: { num: 0, den: 0, finished: true, notCombinable: true as const, needs: ["询单人数"] },
      csat_rate: { num: 9, den: 10 },
    };
    for (const rule of ["zero", "renormalise"]) {
      const card = scoreAgent(schemeFrom(twoItems(rule)), agentPeriod(values));
      expect(card.items[0]).toMatchObject({
        actual: null,
        score: null,
        weight: 0,
        nominalWeight: 60,
        weighted: null,
        status: "not-combinable",
        needs: ["询单人数"],
      });
      // csat 90% of 90% = 100 on all the weight left; coverage 40% < 50%: no grade.
      expect(card.items[1]).toMatchObject({ score: 100, weight: 100 });
      expect(card).toMatchObject({ coverage: 40, total: null, belowCoverage: { minCoverage: 50 } });
    }
    const graded = scoreAgent(
      schemeFrom(twoItems("zero").replace("minCoverage: 50%", "minCoverage: 40%")),
      agentPeriod(values),
    );
    expect(graded.total).toBe(100);
  });

  it("marks a figure weighed by a stand-in count as approximate, and scores it", () => {
    const values = {
      conversion_rate: { num: 30, den: 200, approx: "接待人数" },
      csat_rate: { num: 9, den: 10 },
    };
    const card = scoreAgent(schemeFrom(twoItems("renormalise")), agentPeriod(values));
    expect(card.items[0]).toMatchObject({ actual: 0.15, score: 100, status: "scored", approx: "接待人数" });
    expect(card.items[1]!.approx).toBeUndefined();
  });

  it("gives no total (not NaN) when nothing at all can be scored and items are left out", () => {
    const card = scoreAgent(schemeFrom(twoItems("renormalise")), agentPeriod({}));
    expect(card).toMatchObject({ total: null, grade: null, coefficient: null });
    expect(card.items.every((i) => i.score === null)).toBe(true);
  });
});

describe("a grade needs figures behind enough of the weight (minCoverage, default 70%)", () => {
  const scheme = schemeFrom(`
name: coverage
roles:
  presales:
    items:
      - { metric: conversion_rate, target: 15%, weight: 30 }
      - { metric: first_response_time, target: 30s, weight: 25 }
      - { metric: csat_rate, target: 90%, weight: 30 }
      - { metric: attendance_rate, target: 98%, weight: 15 }`);

  it("grades nothing on 55% of the weight: no total, grade or coefficient, and says how much had figures", () => {
    const card = scoreAgent(scheme, agentPeriod(figures({ conversion_rate: 0.18, first_response_time: 25 })));
    expect(card).toMatchObject({ total: null, grade: null, coefficient: null, coverage: 55 });
    expect(card.belowCoverage).toEqual({ minCoverage: 70 });
    // The items with figures are still scored, for the agent to see.
    expect(card.items.map((i) => i.score)).toEqual([120, 120, null, null]);
  });

  it("grades at 70%: 30 + 25 + 15 of the weight", () => {
    const card = scoreAgent(
      scheme,
      agentPeriod(figures({ conversion_rate: 0.15, first_response_time: 30, attendance_rate: 0.98 })),
    );
    expect(card).toMatchObject({ total: 100, grade: "A", coverage: 70 });
    expect(card.belowCoverage).toBeUndefined();
  });

  it("counts an item scored 0 for want of figures (missing: zero) as without figures", () => {
    const zero = schemeFrom(`
name: coverage zero
missingData: zero
roles:
  presales:
    items:
      - { metric: conversion_rate, target: 15%, weight: 60 }
      - { metric: csat_rate, target: 90%, weight: 40 }`);
    const card = scoreAgent(zero, agentPeriod(figures({ conversion_rate: 0.15 })));
    expect(card).toMatchObject({ total: null, grade: null, coverage: 60 });
  });

  it("takes the scheme's own minimum", () => {
    const lenient = schemeFrom(`
name: lenient
minCoverage: 50%
roles:
  presales:
    items:
      - { metric: conversion_rate, target: 15%, weight: 55 }
      - { metric: csat_rate, target: 90%, weight: 45 }`);
    expect(scoreAgent(lenient, agentPeriod(figures({ conversion_rate: 0.15 }))).grade).toBe("A");
  });
});

describe("targets by shop category and team", () => {
  const scheme = schemeFrom(`
name: targets
roles:
  presales:
    items:
      - metric: conversion_rate
        weight: 100
        target: { default: 15%, category: { home: 10%, beauty: 15% }, team: { 精英组: 20% } }`);
  const score = (extra: object) => scoreAgent(scheme, agentPeriod(figures({ conversion_rate: 0.12 }), extra));

  it("uses the shop category's target: 12% of a home-goods shop's 10% scores 120", () => {
    expect(score({ category: "home" }).items[0]!.target).toBe(0.1);
    expect(score({ category: "home" }).items[0]!.score).toBe(120);
  });

  it("uses the default for other categories and the team's target over the category's", () => {
    expect(score({ category: "apparel" }).items[0]!.target).toBe(0.15);
    expect(score({ category: "home", team: "精英组" }).items[0]!.target).toBe(0.2);
    expect(score({ team: "精英组" }).items[0]!.score).toBe(60);
  });
});

describe("seasonal overrides by date", () => {
  const scheme = schemeFrom(`
name: seasons
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
  - name: 2026 新品期
    from: 2026-03-01
    to: 2026-03-31
    addItems: [{ metric: new_product_conversion, target: 10%, weight: 20% }]
    `);
  const card = (period: string) =>
    scoreAgent(scheme, agentPeriod(figures({ first_response_time: 45, conversion_rate: 0.15 }), { period }));
  const weights = (period: string) =>
    Object.fromEntries(card(period).items.map((i) => [i.metric, i.nominalWeight]));

  it("applies Double 11 on 11-05 of any year: FRT target 60 s and efficiency 35%", () => {
    for (const day of ["2026-11-05", "2031-11-11", "2026-10-20"]) {
      const c = card(day);
      expect(c.seasons).toEqual(["双11"]);
      expect(c.items[1]).toMatchObject({ target: 60, score: 120 });
    }
    // the other dimensions shrink in proportion: 40:20:15 of the remaining 65%
    expect(weights("2026-11-05")).toEqual({
      conversion_rate: 34.67,
      first_response_time: 35,
      csat_rate: 17.33,
      attendance_rate: 13,
    });
  });

  it("does not apply it the day before or after", () => {
    for (const day of ["2026-10-19", "2026-11-12"]) {
      expect(card(day).seasons).toEqual([]);
      expect(card(day).items[1]).toMatchObject({ target: 30, score: 66.67 });
    }
  });

  it("holds a week that the season covers in part to the targets of its days", () => {
    expect(card("2026-W45").seasons).toEqual(["双11"]); // 11-02 … 11-08: all in
    expect(card("2026-W45").items[1]).toMatchObject({ target: 60, score: 120 });
    // 11-09 … 11-15: three days at 60 s, four at 30 s; a figure with no days under it is held
    // against the days-weighted target, (3·60 + 4·30) ÷ 7 = 42.857 s: 42.857 ÷ 45 = 95.24
    const w46 = card("2026-W46");
    expect(w46.seasons).toEqual(["双11"]);
    expect(w46.seasonDays).toEqual([{ season: "双11", first: "2026-11-09", last: "2026-11-11" }]);
    expect(w46.items[1]).toMatchObject({ score: 95.24 });
    expect(w46.items[1]!.target).toBeCloseTo(300 / 7, 9);
    expect(card("2026-10").seasonDays).toEqual([{ season: "双11", first: "2026-10-20", last: "2026-10-31" }]);
  });

  it("adds a new-product item in March 2026 only, and scales the others to make room", () => {
    expect(weights("2026-03")).toEqual({
      conversion_rate: 32,
      first_response_time: 20,
      csat_rate: 16,
      attendance_rate: 12,
      new_product_conversion: 20,
    });
    expect(card("2027-03").items).toHaveLength(4);
  });
});

describe("pay split [002]", () => {
  it("pays base 60% × attendance, performance 25% × coefficient, bonus 15% × conversion's score, and 超额奖励", async () => {
    const scheme = await loadScheme("presales");
    const card = scoreAgent(scheme, agentPeriod(workedExample, { salary: 6000 }));
    // Attendance 100% → base 3,600; grade A → 1.1 × 1,500 = 1,650; conversion 18% against 15%
    // scores 120 → 1.2 × 900 = 1,080; 18% is 20% over 15% [000] → 100 more. 6,430 in all.
    expect(card.pay).toEqual({
      baseFactor: 1,
      performanceFactor: 1.1,
      bonusFactor: 1.2,
      extras: [{ metric: "conversion_rate", amount: 100 }],
      salary: 6000,
      base: 3600,
      performance: 1650,
      bonus: 1080,
      extra: 100,
      total: 6430,
    });
  });

  it("cuts the base by attendance and pays no 超额奖励 short of 20% over target", async () => {
    const scheme = await loadScheme("presales");
    const month = {
      ...workedExample,
      attendance_rate: finishedValue(0.95),
      conversion_rate: finishedValue(0.17),
    };
    const card = scoreAgent(scheme, agentPeriod(month, { salary: 6000 }));
    // 3,600 × 0.95 = 3,420; 17% is 13.3% over 15%: no extra.
    expect(card.pay).toMatchObject({ baseFactor: 0.95, base: 3420, extras: [], extra: 0 });
  });

  it("gives the factors without a salary, on a month's card only", async () => {
    const scheme = await loadScheme("presales");
    expect(scoreAgent(scheme, agentPeriod(workedExample)).pay).toEqual({
      baseFactor: 1,
      performanceFactor: 1.1,
      bonusFactor: 1.2,
      extras: [{ metric: "conversion_rate", amount: 100 }],
    });
    expect(scoreAgent(scheme, agentPeriod(workedExample, { period: "2026-W07" })).pay).toBeUndefined();
  });

  it("refuses a bonus metric no role scores: it would pay nothing", () => {
    expect(() =>
      schemeFrom(
        `${oneItem()}\npay: { base: 60%, performance: 25%, bonus: 15%, bonusMetrics: [sales_amount] }`,
      ),
    ).toThrow(
      "pay.bonusMetrics[0]: sales_amount is not an item of any role: pay follows items with a target",
    );
  });
});

describe("the built-in schemes", () => {
  it.each(["presales", "aftersales", "supervisor", "trainee", "seed-example"])(
    "%s loads and its weights add up",
    async (name) => {
      const scheme = await loadScheme(name);
      for (const role of scheme.roles.keys()) {
        const card = scoreAgent(scheme, { agent: "x", role, period: "2026-07", values: {} });
        expect(card.items.reduce((a, i) => a + i.nominalWeight, 0)).toBeCloseTo(100, 9);
      }
    },
  );
});
