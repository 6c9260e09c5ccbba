import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../../src/delivery/backoff.ts";

describe("the wait before a failed send is tried again", () => {
  const backoff = { baseMs: 1000, maxMs: 60_000 };
  const middle = () => 0.5;

  it("doubles from the base with each attempt, up to the cap", () => {
    expect([1, 2, 3, 4, 10].map((attempt) => retryDelayMs(attempt, backoff, undefined, middle))).toEqual([
      1000, 2000, 4000, 8000, 60_000,
    ]);
  });

  it("spreads waits by ±20% so messages that failed together come back apart", () => {
    expect(retryDelayMs(2, backoff, undefined, () => 0)).toBe(1600);
    expect(retryDelayMs(2, backoff, undefined, () => 0.999_999)).toBe(2400);
  });

  it("never waits less than the platform's Retry-After", () => {
    expect(retryDelayMs(1, backoff, 30_000, middle)).toBe(30_000);
    expect(retryDelayMs(4, backoff, 3_000, middle)).toBe(8000);
  });
});
