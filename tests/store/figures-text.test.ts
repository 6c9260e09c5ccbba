import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MetricValue } from "../../src/engine/index.ts";
import { figuresOfText, figuresText } from "../../src/store/figures-text.ts";

describe("agent-day figures as stored text", () => {
  it("writes num/den pairs as short arrays", () => {
    expect(figuresText({ reply_rate: { num: 117, den: 118 }, aov: { num: 18718.28, den: 14 } })).toBe(
      '{"reply_rate":[117,118],"aov":[18718.28,14]}',
    );
  });

  it("reads back every kind of value: plain, with a base, finished, and the first version's objects", () => {
    const values = {
      reply_rate: { num: 117, den: 118 },
      aov_uplift: { num: 300, den: 2, base: { num: 250, den: 2 } },
      conversion_rate: { num: 0.18, den: 1, finished: true },
    };
    expect(figuresOfText(figuresText(values))).toEqual(values);
    expect(figuresOfText('{"reply_rate": {"num": 118, "den": 120}}')).toEqual({
      reply_rate: { num: 118, den: 120 },
    });
  });

  it("round-trips any finite figures and any metric id", () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    const value: fc.Arbitrary<MetricValue> = fc.oneof(
      fc.record({ num: finite, den: finite }),
      fc.record({ num: finite, den: finite, base: fc.record({ num: finite, den: finite }) }),
      fc.record({ num: finite, den: finite, finished: fc.constant(true) }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), value), (values) => {
        const text = figuresText(values);
        expect(figuresOfText(text)).toEqual(JSON.parse(JSON.stringify(values)));
      }),
    );
  });

  it("keeps an id that is also an Object.prototype name as data", () => {
    const text = '{"__proto__":[0,1],"constructor":[2,3]}';
    const values = figuresOfText(text);
    expect(Object.keys(values)).toEqual(["__proto__", "constructor"]);
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(figuresText(values)).toBe(text);
  });

  it("refuses a figure that JSON cannot hold instead of storing a broken document", () => {
    expect(() => figuresText({ reply_rate: { num: Number.NaN, den: 1 } })).toThrow(/reply_rate is NaN/);
  });
});
