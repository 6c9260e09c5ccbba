import { describe, expect, it } from "vitest";
import { InvalidInput } from "../../src/engine/index.ts";
import { describeFailure } from "../../src/scheduler/failure-text.ts";

describe("the text stored for a failed run", () => {
  it("keeps the message and blanks credentials, tokens and bearer headers", () => {
    const error = new Error(
      "GET https://bot:s3cret@stats.example.com/day?date=2026-03-09&access_token=abc123&shop=7 failed: 401 (Authorization: Bearer eyJhbGciOi.xyz)",
    );
    expect(describeFailure(error)).toBe(
      "GET https://***@stats.example.com/day?date=2026-03-09&access_token=***&shop=7 failed: 401 (Authorization: Bearer ***)",
    );
  });

  it("names the error type the core knows, and is never a stack", () => {
    const text = describeFailure(new InvalidInput("row 14, column 首次响应时间", '"abc" is not a duration'));
    expect(text).toBe('InvalidInput: row 14, column 首次响应时间: "abc" is not a duration');
    expect(describeFailure("plain string")).toBe("plain string");
  });

  it("is cut to a readable length", () => {
    expect(describeFailure(new Error("x".repeat(2000)))).toHaveLength(500);
  });
});
