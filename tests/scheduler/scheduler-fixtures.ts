/** Schedules, clocks and a recording job for the scheduler tests. */
import type { ScheduleConfig } from "../../src/config.ts";
import type { JobSchedule } from "../../src/scheduler/job-schedule.ts";
import type { SchedulerEvent } from "../../src/scheduler/scheduler-events.ts";

export function dailyAtNineShanghai(
  id: string,
  overrides: Partial<ScheduleConfig & JobSchedule> = {},
): ScheduleConfig & JobSchedule {
  return { id, cron: "0 9 * * *", timeZone: "Asia/Shanghai", job: "pull", catchUpDays: 7, ...overrides };
}

export const fixedClock = (iso: string) => () => new Date(iso);

/** A job that remembers every slot it ran, and a log that remembers every event. */
export function recorder() {
  const runs: { job: string; slot: string }[] = [];
  const events: SchedulerEvent[] = [];
  return {
    runs,
    events,
    run: async (schedule: JobSchedule, slot: Date) => {
      runs.push({ job: schedule.id, slot: slot.toISOString() });
    },
    log: (event: SchedulerEvent) => {
      events.push(event);
    },
  };
}

/** A promise with its resolve function, for holding a job open. */
export function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
