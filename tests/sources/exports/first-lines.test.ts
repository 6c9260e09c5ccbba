import { describe, expect, it } from "vitest";
import { FirstLines } from "../../../src/sources/exports/first-lines.ts";

describe("FirstLines", () => {
  it("names the first line of a shop, day and agent seen again, across the table's growth", () => {
    const lines = new FirstLines();
    let line = 2;
    for (const shop of ["s1", "s2"])
      for (const day of ["2026-11-21", "2026-11-22"])
        for (let agent = 0; agent < 5000; agent++)
          expect(lines.earlier(shop, day, `客服${agent}`, line++)).toBe(undefined);
    expect(lines.earlier("s1", "2026-11-21", "客服0", line)).toBe(2);
    expect(lines.earlier("s2", "2026-11-22", "客服4999", line)).toBe(20_001);
    expect(lines.earlier("s1", "", "客服4999", line)).toBe(undefined);
    expect(lines.earlier("s1", "", "客服4999", line + 1)).toBe(line);
  });
});
