import { withClaim } from "../store/claims.ts";
import type { Db } from "../store/database.ts";
import { describeFailure } from "./failure-text.ts";
import type { JobSchedule } from "./job-schedule.ts";
import type { SchedulerLog, Trigger } from "./scheduler-events.ts";
import { claimSlot, finishSlot, takeOverAbandoned } from "./slot-claims.ts";

/**
 * One slot, whatever brought it up (the live timer, a late one, catch-up): claim it, run it if the
 * claim is ours, record how it ended. Every path goes through here, so a slot runs once across all
 * replicas however many times it is brought up. Claiming, running and recording happen under the
 * slot's lock (store/claims.ts), which dies with its process: a slot a killed runner left
 * "running" is found with its lock free and run again, by catch-up at the next start. Jobs are
 * safe to run again (imports by file hash, messages by outbox key).
 */

export type RunScheduledJob<S extends JobSchedule = JobSchedule> = (schedule: S, slot: Date) => Promise<void>;

export interface SlotRunnerContext<S extends JobSchedule = JobSchedule> {
  db: Db;
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
  const { db, replicaId, log } = context;
  const about = { job: schedule.id, slot, trigger, replicaId };
  let result: SlotResult | undefined;
  try {
    const claim = await withClaim(db, `slot:${schedule.id}:${slot.toISOString()}`, false, async () => {
      result = await claimAndRun(context, schedule, slot, about);
      return result;
    });
    if (claim.claimed) return claim.value;
  } catch (error) {
    // The run itself never throws (claimAndRun catches it): this is the lock's connection failing.
    if (result !== undefined) return result;
    log({ ...about, event: "store-error", stage: "claim", error: describeFailure(error) });
    return "store-error";
  }
  log({ ...about, event: "slot-skipped", reason: "claimed-elsewhere" });
  return "claimed-elsewhere";
}

async function claimAndRun<S extends JobSchedule>(
  context: SlotRunnerContext<S>,
  schedule: S,
  slot: Date,
  about: { job: string; slot: Date; trigger: Trigger; replicaId: string },
): Promise<SlotResult> {
  const { db, replicaId, clock, log } = context;
  let claimed: boolean;
  let takenOver = false;
  try {
    claimed = await claimSlot(db, schedule.id, slot, replicaId, clock());
    if (!claimed) takenOver = claimed = await takeOverAbandoned(db, schedule.id, slot, replicaId, clock());
  } catch (error) {
    // Fail closed: without a claim, running could duplicate another replica's run.
    log({ ...about, event: "store-error", stage: "claim", error: describeFailure(error) });
    return "store-error";
  }
  if (!claimed) {
    log({ ...about, event: "slot-skipped", reason: "claimed-elsewhere" });
    return "claimed-elsewhere";
  }

  log({ ...about, event: "slot-started", ...(takenOver ? { takenOver: true } : {}) });
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
