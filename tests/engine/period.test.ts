import { describe, expect, it } from "vitest";
import {
  dayInZone,
  dayKey,
  parseDay,
  parsePeriod,
  periodOfDay,
  previousPeriod,
} from "../../src/engine/index.ts";

const day = (key: string) => parseDay(key);

describe("periods", () => {
  it("puts days in ISO weeks that start on Monday", () => {
    expect(periodOfDay(day("2026-11-23"), "week")).toMatchObject({ key: "2026-W48" });
    expect(dayKey(periodOfDay(day("2026-11-29"), "week").first)).toBe("2026-11-23"); // Sunday → its Monday
    expect(periodOfDay(day("2026-11-22"), "week").key).toBe("2026-W47");
  });

  it("gives year-end days the ISO week of their Thursday", () => {
    expect(periodOfDay(day("2027-01-01"), "week").key).toBe("2026-W53");
    expect(periodOfDay(day("2027-01-04"), "week").key).toBe("2027-W01");
    expect(periodOfDay(day("2024-12-30"), "week").key).toBe("2025-W01");
  });

  it("reads and checks period keys", () => {
    expect(parsePeriod("2026-W48")).toMatchObject({
      kind: "week",
      first: day("2026-11-23"),
      last: day("2026-11-29"),
    });
    expect(parsePeriod("2026-02")).toMatchObject({
      kind: "month",
      first: day("2026-02-01"),
      last: day("2026-02-28"),
    });
    expect(parsePeriod("2024-02").last).toBe(day("2024-02-29"));
    expect(parsePeriod("2026-Q4")).toMatchObject({ first: day("2026-10-01"), last: day("2026-12-31") });
    expect(previousPeriod(parsePeriod("2026-01")).key).toBe("2025-12");
    expect(previousPeriod(parsePeriod("2027-W01")).key).toBe("2026-W53");
    for (const bad of ["2026-13", "2026-02-30", "2026-W54", "2025-W53", "11/23", ""]) {
      expect(() => parsePeriod(bad), bad).toThrow(/is not a period/);
    }
  });

  it("finds the shop's local day: Asia/Shanghai midnight is 16:00 UTC the day before", () => {
    const shanghai = dayInZone("Asia/Shanghai");
    expect(dayKey(shanghai(Date.parse("2026-11-22T15:59:59.999Z")))).toBe("2026-11-22");
    expect(dayKey(shanghai(Date.parse("2026-11-22T16:00:00Z")))).toBe("2026-11-23");
    expect(dayKey(shanghai(Date.parse("2026-11-11T00:00:00+08:00")))).toBe("2026-11-11");
  });

  it("follows daylight saving where a shop's zone has it", () => {
    const newYork = dayInZone("America/New_York");
    expect(dayKey(newYork(Date.parse("2026-11-01T03:59:00Z")))).toBe("2026-10-31"); // 23:59 EDT
    expect(dayKey(newYork(Date.parse("2026-11-02T04:30:00Z")))).toBe("2026-11-01"); // 23:30 EST
  });
});
