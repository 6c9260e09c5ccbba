/** What the scheduler reports as it goes: one event per step of a slot, for logs and tests. */

/** What brought a slot up: the live timer, a timer that fired late, or the catch-up pass. */
export type Trigger = "timer" | "late-timer" | "catch-up";

interface SlotEventBase {
  job: string;
  slot: Date;
  trigger: Trigger;
  replicaId: string;
}

export type SchedulerEvent =
  /** This replica claimed the slot and is running it; `takenOver`: from a runner that died. */
  | (SlotEventBase & { event: "slot-started"; takenOver?: true })
  | (SlotEventBase & { event: "slot-done"; durationMs: number })
  /** The run threw. The slot stays claimed and failed: no replica retries it by itself. */
  | (SlotEventBase & { event: "slot-failed"; durationMs: number; error: string })
  /** Another replica (or this one, earlier) claimed the slot: nothing to do. */
  | (SlotEventBase & { event: "slot-skipped"; reason: "claimed-elsewhere" })
  /** A late timer's slot older than the catch-up window: dropped, as after downtime. */
  | (SlotEventBase & { event: "slot-missed" })
  /**
   * The database failed at a step. At "claim" the slot is not run here (another replica may have
   * run it); at "finish" the run happened but its row still says running, so the next start's
   * catch-up runs it again (jobs are safe to run twice).
   */
  | (SlotEventBase & { event: "store-error"; stage: "claim" | "finish"; error: string })
  /** More missed slots than one pass runs: only the newest were planned. */
  | { event: "catch-up-truncated"; job: string; replicaId: string; planned: number; oldestPlanned: Date };

export type SchedulerLog = (event: SchedulerEvent) => void;

/** The default: routine steps to stdout, failures to stderr, one line each. */
export const logToConsole: SchedulerLog = (event) => {
  const line = JSON.stringify({ scope: "scheduler", ...event });
  if (event.event === "slot-failed" || event.event === "store-error") console.error(line);
  else console.log(line);
};
