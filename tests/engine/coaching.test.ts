import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  adviseNextGrade,
  boundsOf,
  finishedValue,
  type MetricValues,
  type Scheme,
  scoreAgent,
} from "../../src/engine/index.ts";
import { loadScheme } from "../../src/schemes/index.ts";
import { agentPeriod, figures, schemeFrom, workedExample } from "../helpers.ts";

describe("coaching asks only for what can be done", () => {
  it("lifts the worked example B → A with three items together, each to its target", async () => {
    // 5.4 short of A with every item capped at 100 [002]: AOV uplift (60 → 100) adds 4, receptions
    // (90 → 100) 1 and resolution (96 → 100) 0.4; no pair adds 5.4, the three together do.
    const seed = await loadScheme("seed-example");
    const advice = adviseNextGrade(seed, agentPeriod(workedExample));
    expect(advice).toMatchObject({ grade: "B", next: { grade: "A" }, gap: 5.4, lifts: [] });
    expect(advice.together?.map((l) => [l.metric, l.from, l.to])).toEqual([
      ["aov_uplift", 0.03, 0.05],
      ["receptions", 180, 200],
      ["resolution_rate", 0.82, 0.85],
    ]);
    const lifted = scoreAgent(
      seed,
      agentPeriod({
        ...workedExample,
        ...figures({ aov_uplift: 0.05, receptions: 200, resolution_rate: 0.85 }),
      }),
    );
    expect(lifted.grade).toBe("A");
    expect(advice.outOfReach).toBeUndefined();
  });

  it("never asks for attendance above 100%: a full month's attendance is not a lift", async () => {
    const presales = await loadScheme("presales");
    // The built-in scheme scores attendance against 98%: 100% already scores 102.04, its best.
    const month = { ...workedExample, attendance_rate: finishedValue(1), csat_rate: finishedValue(0.9268) };
    const advice = adviseNextGrade(presales, agentPeriod(month));
    const asks = [...advice.lifts, ...(advice.together ?? [])];
    expect(asks.find((l) => l.metric === "attendance_rate")).toBeUndefined();
    for (const lift of asks)
      expect(lift.to).toBeLessThanOrEqual(boundsOf(presales.catalogue.get(lift.metric)!).max);
  });

  it("says the next grade is out of reach when even the best figures fall short", () => {
    const scheme = schemeFrom(`
name: out of reach
itemCap: 100
roles:
  presales:
    items:
      - { metric: attendance_rate, target: 98%, weight: 50 }
      - { metric: csat_rate, target: 90%, weight: 50 }`);
    // Both items at 100%, the most they can be, score 100 (the cap): grade A. S needs 110, which
    // no figure of either can give.
    const card = agentPeriod(figures({ attendance_rate: 1, csat_rate: 0.95 }));
    const advice = adviseNextGrade(scheme, card);
    expect(advice).toMatchObject({ grade: "A", next: { grade: "S" }, lifts: [], outOfReach: true });
    expect(advice.together).toBeUndefined();
  });
});

/** Figures for every item of a scheme, anywhere in the metric's range. */
function randomMonth(scheme: Scheme): fc.Arbitrary<MetricValues> {
  const items = [...scheme.roles.values()][0]!.items;
  return fc.tuple(...items.map(() => fc.double({ min: 0, max: 1, noNaN: true }))).map((draws) =>
    Object.fromEntries(
      items.map((item, k) => {
        const bounds = boundsOf(item.metric);
        const max = Number.isFinite(bounds.max) ? bounds.max : item.target.default * 2 + 1;
        const actual = bounds.min + draws[k]! * (max - bounds.min);
        return [item.metric.id, finishedValue(actual)];
      }),
    ),
  );
}

describe("coaching over random months (property)", () => {
  it.each(["presales", "aftersales", "trainee"])(
    "%s: every suggested figure is one the metric can take, within the item's cap, and reaches the grade",
    async (name) => {
      const scheme = await loadScheme(name);
      const role = [...scheme.roles.keys()][0]!;
      fc.assert(
        fc.property(randomMonth(scheme), (values) => {
          const input = agentPeriod(values, { role, period: "2026-07" });
          const card = scoreAgent(scheme, input);
          const advice = adviseNextGrade(scheme, input, card);
          for (const lift of [...advice.lifts, ...(advice.together ?? [])]) {
            const metric = scheme.catalogue.get(lift.metric)!;
            const bounds = boundsOf(metric);
            expect(lift.to).toBeGreaterThanOrEqual(bounds.min);
            expect(lift.to).toBeLessThanOrEqual(bounds.max);
            const item = [...scheme.roles.get(role)!.items].find((i) => i.metric.id === lift.metric)!;
            expect(lift.toScore).toBeLessThanOrEqual(item.cap);
          }
          for (const lift of advice.lifts) {
            const lifted = scoreAgent(scheme, {
              ...input,
              values: { ...values, [lift.metric]: finishedValue(lift.to) },
            });
            expect(lifted.grade).toBe(advice.next!.grade);
          }
          if (advice.next && advice.lifts.length === 0)
            expect(advice.together !== undefined || advice.outOfReach === true).toBe(true);
        }),
        { numRuns: 150 },
      );
    },
  );
});
