import type { Log } from "../log.ts";
import type { SchedulerEvent, SchedulerLog } from "../scheduler/scheduler-events.ts";

/**
 * The scheduler's events as log records of the bot's one log, so they take its format (JSON, or
 * human lines on a terminal) and its level: routine steps are info (hidden on a terminal unless
 * --verbose), what went wrong is a warning or an error (always shown).
 */
export function schedulerEventsTo(log: Log): SchedulerLog {
  return (event) => {
    const record = { scope: "scheduler", ...event };
    const message = `${event.job}: ${event.event}`;
    switch (levelOf(event)) {
      case "error":
        return log.error(record, message);
      case "warn":
        return log.warn(record, message);
      default:
        return log.info(record, message);
    }
  };
}

function levelOf(event: SchedulerEvent): "info" | "warn" | "error" {
  if (event.event === "slot-failed" || event.event === "store-error") return "error";
  if (event.event === "slot-missed" || event.event === "catch-up-truncated") return "warn";
  return "info";
}
