import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tidy } from "../../../src/engine/index.ts";
import { quickTidy } from "../../../src/sources/exports/quick-tidy.ts";

describe("quickTidy", () => {
  it("gives what the engine's tidy gives, for any double", () => {
    fc.assert(
      fc.property(fc.double(), (x) => Object.is(quickTidy(x), tidy(x))),
      { numRuns: 200_000 },
    );
  });

  it("gives what tidy gives for the figures of export cells: percentages, their products, sums", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 0, max: 5000 }),
        (cents, count) => {
          for (const x of [
            cents / 100,
            cents / 10_000,
            (cents / 10_000) * count,
            cents / 3600,
            cents * 0.01 * count,
          ])
            if (!Object.is(quickTidy(x), tidy(x))) return false;
          return true;
        },
      ),
      { numRuns: 200_000 },
    );
  });

  it("removes binary noise and keeps real digits", () => {
    expect(quickTidy(0.18 * 100)).toBe(18);
    expect(quickTidy(0.1 + 0.2)).toBe(0.3);
    expect(quickTidy(120.00000000000001)).toBe(120);
    expect(quickTidy(0.9915)).toBe(0.9915);
    expect(quickTidy(1234567890123)).toBe(1234567890120);
    expect(quickTidy(-0)).toBe(0);
    for (const nearTie of [
      0.1234567890125,
      1.0000000000005,
      99999999999.95,
      9.9999999999995,
      1e-11,
      1e11 - 0.5,
    ])
      expect(quickTidy(nearTie)).toBe(tidy(nearTie));
  });
});
