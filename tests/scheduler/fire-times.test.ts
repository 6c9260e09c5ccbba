import { createTask } from "node-cron";
import { afterAll, describe, expect, it } from "vitest";
import {
  type CronSchedule,
  cronProblem,
  fireTimesBetween,
  nextFireTime,
} from "../../src/scheduler/fire-times.ts";

const tasks: { destroy(): void | Promise<void> }[] = [];
afterAll(() => Promise.all(tasks.map((t) => t.destroy())));

/** node-cron's own match for the schedule, as the scheduler passes it. */
function nodeCronMatch(schedule: CronSchedule) {
  const task = createTask(schedule.cron, () => {}, { timezone: schedule.timeZone });
  tasks.push(task);
  return (instant: Date) => task.match(instant);
}

function between(schedule: CronSchedule, after: string, until: string, limit = 100): string[] {
  return fireTimesBetween(schedule, new Date(after), new Date(until), limit, nodeCronMatch(schedule)).map(
    (d) => d.toISOString(),
  );
}

describe("fire times of a schedule in the past", () => {
  it("puts 09:00 Shanghai at 01:00 UTC, oldest first, counting a fire at exactly `until`", () => {
    const nine = { cron: "0 9 * * *", timeZone: "Asia/Shanghai" };
    expect(between(nine, "2026-03-07T01:00:00Z", "2026-03-10T01:00:00Z")).toEqual([
      "2026-03-08T01:00:00.000Z",
      "2026-03-09T01:00:00.000Z",
      "2026-03-10T01:00:00.000Z",
    ]);
  });

  it("puts 00:30 Shanghai at 16:30 UTC of the day before", () => {
    const halfPastMidnight = { cron: "30 0 * * *", timeZone: "Asia/Shanghai" };
    expect(between(halfPastMidnight, "2026-03-09T00:00:00Z", "2026-03-10T00:00:00Z")).toEqual([
      "2026-03-09T16:30:00.000Z",
    ]);
  });

  it("keeps the newest fires when there are more than the limit", () => {
    const everySecond = { cron: "* * * * * *", timeZone: "UTC" };
    expect(between(everySecond, "2026-03-10T00:00:00Z", "2026-03-10T01:00:00.400Z", 2)).toEqual([
      "2026-03-10T00:59:59.000Z",
      "2026-03-10T01:00:00.000Z",
    ]);
  });

  it("follows node-cron where cron dialects differ: day of month AND day of week", () => {
    // Standard cron (and cron-parser) fire on the 1st OR on Mondays; node-cron only on a Monday the 1st.
    const mondayTheFirst = { cron: "0 9 1 * 1", timeZone: "UTC" };
    expect(between(mondayTheFirst, "2026-01-01T00:00:00Z", "2026-12-31T00:00:00Z")).toEqual([
      "2026-06-01T09:00:00.000Z",
    ]);
  });

  it("reaches back years for a rare fire (29 February)", () => {
    const leapDay = { cron: "0 0 29 2 *", timeZone: "UTC" };
    expect(between(leapDay, "2020-01-01T00:00:00Z", "2026-03-10T00:00:00Z")).toEqual([
      "2020-02-29T00:00:00.000Z",
      "2024-02-29T00:00:00.000Z",
    ]);
  });

  it("names what catch-up cannot enumerate", () => {
    expect(cronProblem({ cron: "0 9 * * *", timeZone: "Asia/Shanghai" })).toBeNull();
    expect(cronProblem({ cron: "0 9 15W * *", timeZone: "UTC" })).toMatch(/15W/);
  });
});

describe("the next fire time of a schedule", () => {
  const next = (schedule: CronSchedule, after: string) =>
    nextFireTime(schedule, new Date(after), nodeCronMatch(schedule))?.toISOString() ?? null;

  it("puts tomorrow's 09:00 Shanghai at 01:00 UTC, and a fire at `after` itself is past", () => {
    const nine = { cron: "0 9 * * *", timeZone: "Asia/Shanghai" };
    expect(next(nine, "2026-12-06T21:00:00Z")).toBe("2026-12-07T01:00:00.000Z");
    expect(next(nine, "2026-12-07T01:00:00Z")).toBe("2026-12-08T01:00:00.000Z");
  });

  it("follows node-cron where cron dialects differ, and says never when no candidate fires within a year", () => {
    expect(next({ cron: "0 9 1 * 1", timeZone: "UTC" }, "2026-01-01T00:00:00Z")).toBe(
      "2026-06-01T09:00:00.000Z",
    );
    const hourly = { cron: "0 * * * *", timeZone: "UTC" };
    expect(nextFireTime(hourly, new Date("2026-01-01T00:00:00Z"), () => false)).toBeNull();
  });
});
