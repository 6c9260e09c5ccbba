import { describe, expect, it } from "vitest";
import { actualForScore, builtinCatalogue, type ItemRule, rawItemScore } from "../../src/engine/index.ts";

const conversion = builtinCatalogue.get("conversion_rate")!; // ↑ percent
const frt = builtinCatalogue.get("first_response_time")!; // ↓ seconds
const longWaits = builtinCatalogue.get("long_wait_count")!; // ↓ count
const proportional: ItemRule = { kind: "proportional" };

describe("proportional item score [002]", () => {
  it("scores ↑ metrics as actual ÷ target × 100", () => {
    expect(rawItemScore(conversion, proportional, 0.15, 0.12, 120)).toBeCloseTo(80, 10);
    expect(rawItemScore(conversion, proportional, 0.15, 0.15, 120)).toBe(100);
  });

  it("scores ↓ metrics as target ÷ actual × 100", () => {
    expect(rawItemScore(frt, proportional, 30, 40, 120)).toBe(75);
    expect(rawItemScore(frt, proportional, 30, 30, 120)).toBe(100);
  });

  it("adds above target in proportion up to the cap, 100 or 120", () => {
    expect(rawItemScore(conversion, proportional, 0.15, 0.165, 120)).toBeCloseTo(110, 10);
    expect(rawItemScore(conversion, proportional, 0.15, 0.18, 120)).toBe(120);
    expect(rawItemScore(conversion, proportional, 0.15, 0.3, 120)).toBe(120);
    expect(rawItemScore(conversion, proportional, 0.15, 0.18, 100)).toBe(100);
    expect(rawItemScore(frt, proportional, 30, 25, 100)).toBe(100);
    expect(rawItemScore(frt, proportional, 30, 25, 120)).toBe(120);
  });

  it("never goes below 0, even for a negative AOV uplift", () => {
    const uplift = builtinCatalogue.get("aov_uplift")!;
    expect(rawItemScore(uplift, proportional, 0.05, -0.03, 120)).toBe(0);
    expect(rawItemScore(conversion, proportional, 0.15, 0, 120)).toBe(0);
  });

  it("gives a ↓ actual of zero the cap when the target is positive (no division by zero)", () => {
    expect(rawItemScore(frt, proportional, 30, 0, 120)).toBe(120);
  });

  it("scores a zero target as met (100) or missed (0): no proportion against nothing", () => {
    expect(rawItemScore(longWaits, proportional, 0, 0, 120)).toBe(100);
    expect(rawItemScore(longWaits, proportional, 0, 1, 120)).toBe(0);
    const uplift = builtinCatalogue.get("aov_uplift")!;
    expect(rawItemScore(uplift, proportional, 0, 0.02, 120)).toBe(100);
    expect(rawItemScore(uplift, proportional, 0, -0.01, 120)).toBe(0);
  });

  it("never returns NaN", () => {
    expect(rawItemScore(conversion, proportional, 0.15, Number.NaN, 120)).toBe(0);
  });
});

describe("pass-fail and deduct rules", () => {
  it("pass-fail scores 100 at or beyond target, else 0, and ignores the cap", () => {
    const rule: ItemRule = { kind: "pass-fail" };
    expect(rawItemScore(conversion, rule, 0.15, 0.3, 120)).toBe(100);
    expect(rawItemScore(conversion, rule, 0.15, 0.149, 120)).toBe(0);
    expect(rawItemScore(frt, rule, 30, 30, 120)).toBe(100);
    expect(rawItemScore(frt, rule, 30, 31, 120)).toBe(0);
  });

  it("deduct takes points per display unit short of the target, down to 0", () => {
    const rule: ItemRule = { kind: "deduct", pointsPerUnit: 10 };
    expect(rawItemScore(longWaits, rule, 0, 0, 120)).toBe(100);
    expect(rawItemScore(longWaits, rule, 0, 2, 120)).toBe(80);
    expect(rawItemScore(longWaits, rule, 0, 11, 120)).toBe(0);
    // per percentage point: 2 points short of 15% at 5 points each
    expect(rawItemScore(conversion, { kind: "deduct", pointsPerUnit: 5 }, 0.15, 0.13, 120)).toBeCloseTo(
      90,
      9,
    );
  });
});

describe("actualForScore inverts the rule", () => {
  it("finds the figure that scores a given score", () => {
    expect(actualForScore(conversion, proportional, 0.15, 110, 120)).toBeCloseTo(0.165, 12);
    expect(actualForScore(frt, proportional, 30, 120, 120)).toBe(25);
    expect(actualForScore(conversion, proportional, 0.15, 121, 120)).toBeUndefined();
    expect(actualForScore(longWaits, { kind: "deduct", pointsPerUnit: 10 }, 0, 80, 120)).toBeCloseTo(2, 12);
  });
});
