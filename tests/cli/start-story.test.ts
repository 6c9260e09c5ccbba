import { describe, expect, it } from "vitest";
import type { BotSchedule } from "../../src/bot/bot-schedules.ts";
import { cliMessagesFor } from "../../src/cli/cli-messages.ts";
import { nextSchedule } from "../../src/cli/start-story.ts";

/** The last line of `kpi start`'s story: what it waits for, when, in the shops' time zone. */

const SCHEDULES: BotSchedule[] = [
  { id: "daily-pull", cron: "0 9 * * *", timeZone: "Asia/Shanghai", catchUpDays: 3, job: "pull" },
  {
    id: "digest-daily:Asia/Shanghai",
    cron: "0 9 * * *",
    timeZone: "Asia/Shanghai",
    catchUpDays: 1,
    job: "digest",
    digest: "daily",
  },
  {
    id: "digest-weekly:Asia/Shanghai",
    cron: "0 9 * * 1",
    timeZone: "Asia/Shanghai",
    catchUpDays: 1,
    job: "digest",
    digest: "weekly",
  },
  { id: "follow-up-watch", cron: "*/5 * * * *", timeZone: "UTC", catchUpDays: 1, job: "follow-ups" },
];

describe("waiting for the next schedule", () => {
  it("names the earliest pull or digest in its zone's time, with every job due then, not the follow-up watch", () => {
    const next = nextSchedule(SCHEDULES, [
      { job: "daily-pull", at: new Date("2026-12-08T01:00:00Z") },
      { job: "digest-daily:Asia/Shanghai", at: new Date("2026-12-08T01:00:00Z") },
      { job: "digest-weekly:Asia/Shanghai", at: new Date("2026-12-14T01:00:00Z") },
      { job: "follow-up-watch", at: new Date("2026-12-07T21:05:00Z") },
    ]);
    expect(next).toEqual({
      at: "2026-12-08 09:00",
      timeZone: "Asia/Shanghai",
      jobs: [
        { job: "pull", id: "daily-pull" },
        { job: "digest", digest: "daily" },
      ],
    });
    expect(cliMessagesFor("zh-CN").start.waiting(next)).toBe(
      "调度器已运行，等待下一次计划任务：2026-12-08 09:00（Asia/Shanghai）拉取 daily-pull、日报；按 Ctrl+C 停止",
    );
    expect(cliMessagesFor("en").start.waiting(next)).toBe(
      "scheduler running: waiting for the next schedule at 2026-12-08 09:00 (Asia/Shanghai): daily-pull (pull), daily digest; Ctrl+C stops",
    );
  });

  it("says so when only the follow-up watch is ahead", () => {
    const next = nextSchedule(SCHEDULES, [
      { job: "daily-pull", at: null },
      { job: "follow-up-watch", at: new Date("2026-12-07T21:05:00Z") },
    ]);
    expect(next).toBeUndefined();
    expect(cliMessagesFor("en").start.waiting(next)).toMatch(/^scheduler running: no pull or digest ahead/);
  });
});
