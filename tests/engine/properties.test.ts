import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AgentPeriod,
  actualOf,
  builtinCatalogue,
  dayKey,
  type ItemRule,
  type MetricValues,
  parseDay,
  rawItemScore,
  rollUpPeriods,
  scoreAgent,
} from "../../src/engine/index.ts";
import { figures, schemeFrom } from "../helpers.ts";

const metrics = [...builtinCatalogue.all()].filter((m) => m.aggregation !== "change");
const rules: fc.Arbitrary<ItemRule> = fc.oneof(
  fc.constant({ kind: "proportional" } as const),
  fc.constant({ kind: "pass-fail" } as const),
  fc
    .double({ min: 0.1, max: 50, noNaN: true })
    .map((pointsPerUnit) => ({ kind: "deduct", pointsPerUnit }) as const),
);
const figure = fc.double({ min: 0, max: 10_000, noNaN: true });

describe("properties of the engine", () => {
  it("a better actual never lowers an item score", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...metrics),
        rules,
        figure,
        figure,
        figure,
        fc.constantFrom(100, 120, 150),
        (metric, rule, target, a, b, cap) => {
          const [worse, better] =
            metric.direction === "up" ? [Math.min(a, b), Math.max(a, b)] : [Math.max(a, b), Math.min(a, b)];
          const s1 = rawItemScore(metric, rule, target, worse, cap);
          const s2 = rawItemScore(metric, rule, target, better, cap);
          expect(s2).toBeGreaterThanOrEqual(s1);
          expect(s1).toBeGreaterThanOrEqual(0);
          expect(s2).toBeLessThanOrEqual(cap);
        },
      ),
    );
  });

  it("rolling up N identical days gives the day's ratios and means", () => {
    const ratioOrMean = metrics.filter((m) => m.aggregation === "ratio" || m.aggregation === "mean");
    const dayValues = fc.dictionary(
      fc.constantFrom(...ratioOrMean.map((m) => m.id)),
      fc.record({ num: fc.integer({ min: 0, max: 1_000_000 }), den: fc.integer({ min: 1, max: 100_000 }) }),
      { minKeys: 1 },
    );
    fc.assert(
      fc.property(dayValues, fc.integer({ min: 1, max: 31 }), (values: MetricValues, n) => {
        const first = parseDay("2026-12-01");
        const days: AgentPeriod[] = Array.from({ length: n }, (_, i) => ({
          agent: "a",
          role: "r",
          period: dayKey(first + i),
          values: structuredClone(values),
        }));
        const [month] = rollUpPeriods(days, "month", builtinCatalogue);
        for (const [id, v] of Object.entries(values)) {
          const metric = builtinCatalogue.get(id)!;
          expect(actualOf(metric, month!.values[id]!)).toBeCloseTo(actualOf(metric, v)!, 9);
        }
      }),
    );
  });

  it("weights that add up to 100% give a total within [0, cap]", () => {
    const scheme = (weights: number[], cap: number) =>
      schemeFrom(`
name: random
itemCap: ${cap}
roles:
  r:
    items:
${weights.map((w, i) => `      - { metric: ${metrics[i]!.id}, target: ${i + 1}, weight: ${w / 100} }`).join("\n")}`);
    const weights = fc
      .array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 10 })
      .map((parts) => {
        const sum = parts.reduce((a, b) => a + b, 0);
        const bp = parts.map((p) => Math.floor((p / sum) * 10_000));
        bp[0]! += 10_000 - bp.reduce((a, b) => a + b, 0);
        return bp;
      });
    fc.assert(
      fc.property(
        weights,
        fc.constantFrom(100, 120),
        fc.array(figure, { minLength: 10, maxLength: 10 }),
        (bp, cap, actuals) => {
          const s = scheme(bp, cap);
          const values = figures(Object.fromEntries(bp.map((_, i) => [metrics[i]!.id, actuals[i]!])));
          const card = scoreAgent(s, { agent: "a", role: "r", period: "2026-11", values });
          expect(card.total).not.toBeNull();
          expect(card.total!).toBeGreaterThanOrEqual(0);
          expect(card.total!).toBeLessThanOrEqual(cap);
        },
      ),
      { numRuns: 200 },
    );
  });
});
