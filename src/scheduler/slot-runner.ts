import type { Queryable } from "../store/database.ts";
import { describeFailure } from "./failure-text.ts";
import type { JobSchedule } from "./job-schedule.ts";
import type { SchedulerLog, Trigger } from "./scheduler-events.ts";
import { claimSlot, finishSlot } from "./slot-claims.ts";

/**
 * One slot, whatever brought it up (the live timer, a late one, catch-up): claim it, run it if the
 * claim is ours, record how it ended. Every path goes through here, so a slot runs once across all
 * replicas however many times it is brought up.
 */

export type RunScheduledJob<S extends JobSchedule = JobSchedule> = (schedule: S, slot: Date) => Promise<void>;

export interface SlotRunnerContext<S extends JobSchedule = JobSchedule> {
  db: Queryable;
  run: RunScheduledJob<S>;
  replicaId: string;
  clock: () => Date;
  log: SchedulerLog;
}

/** ran / failed: this replica ran it. claimed-elsewhere / store-error: it did not. */
export type SlotResult = "ran" | "failed" | "claimed-elsewhere" | "store-error";

/** Never throws: a failing job or database is reported through `log`, and the process carries on. */
export async function runSlot<S extends JobSchedule>(
  context: SlotRunnerContext<S>,
  schedule: S,
  slot: Date,
  trigger: Trigger,
): Promise<SlotResult> {
  const { db, replicaId, clock, log } = context;
  const about = { job: schedule.id, slot, trigger, replicaId };
  let claimed: boolean;
  try {
    claimed = await claimSlot(db, schedule.id, slot, replicaId, clock());
  } catch (error) {
    // Fail closed: without a claim, running could duplicate another replica's run.
    log({ ...about, event: "store-error", stage: "claim", error: describeFailure(error) });
    return "store-error";
  }
  if (!claimed) {
    log({ ...about, event: "slot-skipped", reason: "claimed-elsewhere" });
    return "claimed-elsewhere";
  }

  log({ ...about, event: "slot-started" });
  const startedAt = clock().getTime();
  let failure: string | null = null;
  try {
    await context.run(schedule, slot);
  } catch (error) {
    failure = describeFailure(error);
  }
  const finishedAt = clock();
  const durationMs = finishedAt.getTime() - startedAt;
  try {
    await finishSlot(
      db,
      schedule.id,
      slot,
      failure === null ? { status: "done" } : { status: "failed", error: failure },
      finishedAt,
    );
  } catch (error) {
    log({ ...about, event: "store-error", stage: "finish", error: describeFailure(error) });
  }
  if (failure === null) {
    log({ ...about, event: "slot-done", durationMs });
    return "ran";
  }
  log({ ...about, event: "slot-failed", durationMs, error: failure });
  return "failed";
}
