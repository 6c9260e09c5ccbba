import { createTask, type ScheduledTask } from "node-cron";
import { InvalidInput } from "../engine/index.ts";
import type { Db } from "../store/database.ts";
import { type CatchUpPlan, planCatchUp } from "./catch-up.ts";
import { cronProblem, nextFireTime } from "./fire-times.ts";
import type { JobSchedule } from "./job-schedule.ts";
import { logToConsole, type SchedulerLog, type Trigger } from "./scheduler-events.ts";
import { type RunScheduledJob, runSlot, type SlotResult } from "./slot-runner.ts";

/**
 * The configured schedules on node-cron timers, every fire claimed in job_slots before it runs.
 *
 * Why the task callback claims, rather than node-cron's `distributed` option with a RunCoordinator:
 * the coordinator sees only a key, `${name}:${slot.toISOString()}`, whose format is node-cron's
 * own business (and an ISO instant is full of colons); its onComplete is not told whether the run
 * failed, so the outcome would have to be written from the callback anyway; and the catch-up pass
 * and late-timer fires need the very same claim without node-cron. The callback's `context.date`
 * is the slot itself (node-cron passes the planned instant, not the moment the timer woke).
 */

export interface SchedulerOptions<S extends JobSchedule> {
  db: Db;
  schedules: readonly S[];
  /** Runs one slot of a job: a pull (source, import, score the slot's day), a digest … */
  run: RunScheduledJob<S>;
  /** Names this replica in job_slots.claimed_by: host and pid, a pod name … */
  replicaId: string;
  /** Drives catch-up and claim times; node-cron's timers follow the real clock whatever this says. */
  clock?: () => Date;
  log?: SchedulerLog;
}

export interface Scheduler {
  /** Settles when the start-up catch-up pass is over: how many slots this replica ran in it. */
  caughtUp: Promise<number>;
  /**
   * Settles once the start-up catch-up pass has run every slot it planned for these jobs (at
   * once when it planned none), or has ended: what waits on some jobs need not wait on the rest.
   */
  caughtUpWith(jobIds: readonly string[]): Promise<void>;
  /** Runs the slots missed while no replica ran; how many this replica ran (done or failed). */
  catchUp(): Promise<number>;
  /** Each schedule's next fire time after the clock's now (null: never), in the schedules' order. */
  nextFires(): { job: string; at: Date | null }[];
  /** No new fires; resolves once every job running here has finished. */
  stop(): Promise<void>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Arms a timer per schedule, then plans the catch-up pass and starts it. The promise rejects when
 * a cron expression cannot be used or the database cannot be read for the plan; the catch-up runs
 * themselves go on after it resolves (see `caughtUp`), so the caller holds `stop` meanwhile.
 */
export async function startScheduler<S extends JobSchedule>(
  options: SchedulerOptions<S>,
): Promise<Scheduler> {
  options.schedules.forEach(checkSchedule);
  const clock = options.clock ?? (() => new Date());
  const log = neverThrowing(options.log ?? logToConsole);
  const context = { db: options.db, run: options.run, replicaId: options.replicaId, clock, log };
  const running = new Set<Promise<unknown>>();
  let stopping = false;

  const track = <T>(work: Promise<T>): Promise<T> => {
    running.add(work);
    void work.finally(() => running.delete(work)).catch(() => {});
    return work;
  };
  const fire = (schedule: S, slot: Date, trigger: Trigger): Promise<SlotResult | "stopped"> =>
    stopping ? Promise.resolve("stopped") : track(runSlot(context, schedule, slot, trigger));

  const timers = options.schedules.map((schedule) => ({
    schedule,
    task: armTimer(schedule, fire, clock, log, options.replicaId),
  }));

  const plan = async (): Promise<CatchUpPlan<S>[]> => {
    // Planned after the timers are armed, from claims up to now only: a slot either lies in the
    // plan or is still ahead of the timers, and a timer's fresh claim cannot hide older misses.
    const now = clock();
    return Promise.all(
      timers.map(({ schedule, task }) => planCatchUp(options.db, schedule, now, (t) => task.match(t))),
    );
  };
  const runPlans = async (plans: CatchUpPlan<S>[], afterSlot = (_job: string) => {}): Promise<number> => {
    for (const p of plans.filter((p) => p.truncated)) {
      log({
        event: "catch-up-truncated",
        job: p.schedule.id,
        replicaId: options.replicaId,
        planned: p.slots.length,
        oldestPlanned: p.slots[0] ?? clock(),
      });
    }
    const queue = plans
      .flatMap((p) => p.slots.map((slot) => ({ schedule: p.schedule, slot })))
      .sort(
        (a, b) =>
          a.slot.getTime() - b.slot.getTime() ||
          Number(b.schedule.runsFirst ?? false) - Number(a.schedule.runsFirst ?? false),
      );
    let ran = 0;
    for (const { schedule, slot } of queue) {
      const result = await fire(schedule, slot, "catch-up");
      afterSlot(schedule.id);
      if (result === "stopped") break;
      if (result === "ran" || result === "failed") ran += 1;
    }
    return ran;
  };

  for (const { task } of timers) await task.start();
  let startupPlans: CatchUpPlan<S>[];
  try {
    startupPlans = await plan();
  } catch (error) {
    await Promise.all(timers.map(({ task }) => task.destroy()));
    throw error;
  }

  const startup = startupProgress(startupPlans);
  const caughtUp = track(runPlans(startupPlans, startup.slotRan));
  const ended = caughtUp.then(
    () => {},
    () => {},
  );
  return {
    caughtUp,
    caughtUpWith: (jobIds) => Promise.race([startup.ranAllOf(jobIds), ended]),
    catchUp: () => track(plan().then(runPlans)),
    nextFires: () =>
      timers.map(({ schedule, task }) => ({
        job: schedule.id,
        at: nextFireTime(schedule, clock(), (t) => task.match(t)),
      })),
    async stop() {
      stopping = true;
      await Promise.all(timers.map(({ task }) => task.destroy()));
      // Runs started before `stopping` was set are all in `running`; none can be added now.
      await Promise.allSettled([...running]);
    },
  };
}

/** Which jobs still have slots in the start-up pass, and who waits for some of them to have none. */
function startupProgress<S extends JobSchedule>(plans: readonly CatchUpPlan<S>[]) {
  const left = new Map<string, number>();
  for (const p of plans) left.set(p.schedule.id, (left.get(p.schedule.id) ?? 0) + p.slots.length);
  const waiting = new Set<{ jobIds: readonly string[]; resolve: () => void }>();
  const settle = () => {
    for (const w of waiting)
      if (w.jobIds.every((id) => !left.get(id))) {
        waiting.delete(w);
        w.resolve();
      }
  };
  return {
    slotRan(jobId: string) {
      left.set(jobId, (left.get(jobId) ?? 1) - 1);
      settle();
    },
    ranAllOf(jobIds: readonly string[]): Promise<void> {
      return new Promise((resolve) => {
        waiting.add({ jobIds, resolve });
        settle();
      });
    },
  };
}

/** A log that throws must not turn a finished run into an unhandled rejection. */
function neverThrowing(log: SchedulerLog): SchedulerLog {
  return (event) => {
    try {
      log(event);
    } catch {
      // Nothing sensible is left to report it to.
    }
  };
}

function checkSchedule(schedule: JobSchedule): void {
  const problem = cronProblem(schedule);
  if (problem !== null) {
    throw new InvalidInput(
      `schedules.${schedule.id}.cron`,
      `"${schedule.cron}" cannot be scheduled with catch-up (${problem})`,
    );
  }
}

/** The node-cron task of a schedule, not started. */
function armTimer<S extends JobSchedule>(
  schedule: S,
  fire: (schedule: S, slot: Date, trigger: Trigger) => Promise<unknown>,
  clock: () => Date,
  log: SchedulerLog,
  replicaId: string,
): ScheduledTask {
  // No noOverlap: a fire skipped for overlap would be lost for good (later claims hide it from
  // catch-up), and two slots of one job running side by side are still each run once.
  const task = createTask(schedule.cron, (context) => fire(schedule, context.date, "timer"), {
    name: `kpi-bot:${schedule.id}`,
    timezone: schedule.timeZone,
  });
  // node-cron drops a fire whose timer woke more than a second late (blocked event loop, suspended
  // machine). The claim makes a late run harmless, so run it, unless it is older than catch-up
  // would reach. A few seconds late is not downtime: catchUpDays 0 still runs those.
  task.on("execution:missed", (context) => {
    const reachMs = Math.max(schedule.catchUpDays, 1) * DAY_MS;
    if (clock().getTime() - context.date.getTime() <= reachMs)
      void fire(schedule, context.date, "late-timer");
    else
      log({ event: "slot-missed", job: schedule.id, slot: context.date, trigger: "late-timer", replicaId });
  });
  return task;
}
