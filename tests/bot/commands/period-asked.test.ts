import { describe, expect, it } from "vitest";
import { resolvePeriod } from "../../../src/bot/commands/period-asked.ts";
import { parseDay } from "../../../src/engine/index.ts";

describe("periods asked in commands", () => {
  // Monday 2026-11-30 … Tuesday 2026-12-01: a week that straddles two months.
  const tuesday = parseDay("2026-12-01");

  it("reads words relative to the shop's today, weeks from Monday", () => {
    const key = (word: Parameters<typeof resolvePeriod>[0]) => resolvePeriod(word, tuesday).key;
    expect(key({ word: "today" })).toBe("2026-12-01");
    expect(key({ word: "yesterday" })).toBe("2026-11-30");
    expect(key({ word: "week" })).toBe("2026-W49");
    expect(key({ word: "last-week" })).toBe("2026-W48");
    expect(key({ word: "month" })).toBe("2026-12");
    expect(key({ word: "last-month" })).toBe("2026-11");
  });

  it("reads a day and a month as themselves", () => {
    expect(resolvePeriod({ key: "2026-11-11" }, tuesday)).toMatchObject({ kind: "day", key: "2026-11-11" });
    expect(resolvePeriod({ key: "2026-06" }, tuesday)).toMatchObject({ kind: "month", key: "2026-06" });
  });
});
