import { describe, expect, it } from "vitest";
import {
  type DutyHours,
  inQuietHours,
  instantOfWall,
  localDayOf,
  nextOnDuty,
  quietHoursBegan,
} from "../../src/nudges/on-duty.ts";

const SHANGHAI: DutyHours = { timeZone: "Asia/Shanghai", quietHours: { from: "21:00", to: "08:30" } };
const at = (iso: string) => new Date(iso);
const due = (iso: string, hours: DutyHours, urgent = false) =>
  nextOnDuty(at(iso), hours, urgent).toISOString();

describe("the earliest time a message may go", () => {
  it("sends at once outside quiet hours when no shift is known", () => {
    expect(due("2026-11-30T10:00:00+08:00", SHANGHAI)).toBe(at("2026-11-30T10:00:00+08:00").toISOString());
    expect(due("2026-11-30T20:59:59+08:00", SHANGHAI)).toBe(at("2026-11-30T20:59:59+08:00").toISOString());
  });

  it("holds a nudge computed at 23:00 until 08:30 the next morning, and one at 03:00 until 08:30 the same day", () => {
    expect(due("2026-11-30T23:00:00+08:00", SHANGHAI)).toBe(at("2026-12-01T08:30:00+08:00").toISOString());
    expect(due("2026-12-01T03:00:00+08:00", SHANGHAI)).toBe(at("2026-12-01T08:30:00+08:00").toISOString());
    expect(due("2026-11-30T21:00:00+08:00", SHANGHAI)).toBe(at("2026-12-01T08:30:00+08:00").toISOString());
    expect(due("2026-12-01T08:29:59+08:00", SHANGHAI)).toBe(at("2026-12-01T08:30:00+08:00").toISOString());
    expect(due("2026-12-01T08:30:00+08:00", SHANGHAI)).toBe(at("2026-12-01T08:30:00+08:00").toISOString());
  });

  it("holds a nudge that can wait until the shift begins, and lets an urgent one go at the end of quiet hours", () => {
    const early = { ...SHANGHAI, shift: { start: "09:00", end: "18:00" } };
    expect(due("2026-11-30T23:00:00+08:00", early)).toBe(at("2026-12-01T09:00:00+08:00").toISOString());
    expect(due("2026-11-30T23:00:00+08:00", early, true)).toBe(at("2026-12-01T08:30:00+08:00").toISOString());
    expect(due("2026-12-01T12:00:00+08:00", early)).toBe(at("2026-12-01T12:00:00+08:00").toISOString());
    // After the shift, before quiet hours: tomorrow's shift for a nudge that can wait, now for an urgent one.
    expect(due("2026-12-01T19:00:00+08:00", early)).toBe(at("2026-12-02T09:00:00+08:00").toISOString());
    expect(due("2026-12-01T19:00:00+08:00", early, true)).toBe(at("2026-12-01T19:00:00+08:00").toISOString());
  });

  it("sends a late-shift agent's morning nudge at 14:00, and stops at the start of quiet hours though the shift runs to 23:00", () => {
    const late = { ...SHANGHAI, shift: { start: "14:00", end: "23:00" } };
    expect(due("2026-11-30T23:00:00+08:00", late)).toBe(at("2026-12-01T14:00:00+08:00").toISOString());
    expect(due("2026-12-01T09:00:00+08:00", late)).toBe(at("2026-12-01T14:00:00+08:00").toISOString());
    expect(due("2026-12-01T20:00:00+08:00", late)).toBe(at("2026-12-01T20:00:00+08:00").toISOString());
    expect(due("2026-12-01T22:00:00+08:00", late)).toBe(at("2026-12-02T14:00:00+08:00").toISOString());
  });

  it("handles a shift that crosses midnight", () => {
    const evening = {
      ...SHANGHAI,
      quietHours: { from: "02:00", to: "07:00" },
      shift: { start: "18:00", end: "03:00" },
    };
    expect(due("2026-12-01T12:00:00+08:00", evening)).toBe(at("2026-12-01T18:00:00+08:00").toISOString());
    expect(due("2026-12-02T01:00:00+08:00", evening)).toBe(at("2026-12-02T01:00:00+08:00").toISOString());
    expect(due("2026-12-02T02:30:00+08:00", evening)).toBe(at("2026-12-02T18:00:00+08:00").toISOString());
    expect(due("2026-12-02T02:30:00+08:00", evening, true)).toBe(
      at("2026-12-02T07:00:00+08:00").toISOString(),
    );
  });

  it("does not hold a night-shift agent's nudges for ever when the whole shift lies in quiet hours", () => {
    const night = { ...SHANGHAI, shift: { start: "22:00", end: "06:00" } };
    expect(due("2026-12-01T10:00:00+08:00", night)).toBe(at("2026-12-01T22:00:00+08:00").toISOString());
    expect(due("2026-12-01T23:00:00+08:00", night)).toBe(at("2026-12-01T23:00:00+08:00").toISOString());
  });

  it("reads equal quiet-hour times as no quiet hours and an equal shift start and end as all day", () => {
    const none = { timeZone: "Asia/Shanghai", quietHours: { from: "00:00", to: "00:00" } };
    expect(due("2026-12-01T03:00:00+08:00", none)).toBe(at("2026-12-01T03:00:00+08:00").toISOString());
    const allDay = { ...SHANGHAI, shift: { start: "08:00", end: "08:00" } };
    expect(due("2026-12-01T23:00:00+08:00", allDay)).toBe(at("2026-12-02T08:30:00+08:00").toISOString());
  });

  it("reads the clock of the shop's zone, also for zones half or three quarters of an hour off", () => {
    const kolkata = { timeZone: "Asia/Kolkata", quietHours: { from: "21:00", to: "08:30" } };
    expect(due("2026-12-01T22:00:00+05:30", kolkata)).toBe(at("2026-12-02T08:30:00+05:30").toISOString());
    const kathmandu = { timeZone: "Asia/Kathmandu", quietHours: { from: "21:00", to: "08:30" } };
    expect(due("2026-12-01T22:00:00+05:45", kathmandu)).toBe(at("2026-12-02T08:30:00+05:45").toISOString());
    // 23:00 in Shanghai is 10:00 in New York: a New York shop's staff are at work.
    const newYork = { timeZone: "America/New_York", quietHours: { from: "21:00", to: "08:30" } };
    expect(due("2026-11-30T23:00:00+08:00", newYork)).toBe(at("2026-11-30T23:00:00+08:00").toISOString());
  });

  it("keeps the wall-clock time across a change of the clocks", () => {
    const newYork = { timeZone: "America/New_York", quietHours: { from: "21:00", to: "08:30" } };
    // The night the clocks go forward (2026-03-08 02:00 EST → 03:00 EDT) and back (11-01 02:00 EDT → 01:00 EST).
    expect(due("2026-03-07T23:00:00-05:00", newYork)).toBe(at("2026-03-08T08:30:00-04:00").toISOString());
    expect(due("2026-10-31T23:00:00-04:00", newYork)).toBe(at("2026-11-01T08:30:00-05:00").toISOString());
    const gap = { ...newYork, quietHours: { from: "00:00", to: "02:30" } };
    // 02:30 does not exist that night: the first moment after quiet hours is the jump to 03:00.
    expect(due("2026-03-08T00:30:00-05:00", gap)).toBe(at("2026-03-08T03:00:00-04:00").toISOString());
  });
});

describe("clock helpers", () => {
  it("finds the first instant of a wall-clock time, the earlier one where the clock is set back", () => {
    const wall = Date.UTC(2026, 10, 1, 1, 30);
    expect(new Date(instantOfWall(wall, "America/New_York")).toISOString()).toBe("2026-11-01T05:30:00.000Z");
    expect(new Date(instantOfWall(Date.UTC(2026, 11, 1, 8, 30), "Asia/Shanghai")).toISOString()).toBe(
      "2026-12-01T00:30:00.000Z",
    );
  });

  it("tells quiet hours and when they began", () => {
    expect(inQuietHours(at("2026-12-01T22:00:00+08:00"), SHANGHAI)).toBe(true);
    expect(inQuietHours(at("2026-12-01T08:30:00+08:00"), SHANGHAI)).toBe(false);
    expect(quietHoursBegan(at("2026-12-02T03:00:00+08:00"), SHANGHAI).toISOString()).toBe(
      at("2026-12-01T21:00:00+08:00").toISOString(),
    );
    expect(quietHoursBegan(at("2026-12-01T22:00:00+08:00"), SHANGHAI).toISOString()).toBe(
      at("2026-12-01T21:00:00+08:00").toISOString(),
    );
  });

  it("gives the shop-local day an instant falls in", () => {
    const day = localDayOf(at("2026-12-01T00:30:00+08:00"), "Asia/Shanghai");
    expect(day.from.toISOString()).toBe(at("2026-12-01T00:00:00+08:00").toISOString());
    expect(day.to.toISOString()).toBe(at("2026-12-02T00:00:00+08:00").toISOString());
  });
});
