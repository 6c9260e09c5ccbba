/**
 * One bot replica for tests/scheduler/replicas.test.ts, run as its own process with
 * `node --import tsx`: a per-second schedule whose runs append (job, slot, replica) to test_runs.
 * Events go to stdout as JSON lines.
 *
 * With KPI_TEST_LATE_TIMER=1 it plays the replica whose timer fires late: it blocks its event
 * loop (node-cron then wakes after slots have passed and reports them missed), and brings up
 * again, as a late timer would, every slot the other replicas have already claimed.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import type { ScheduleConfig } from "../../src/config.ts";
import { startScheduler } from "../../src/scheduler/scheduler.ts";
import type { SchedulerEvent } from "../../src/scheduler/scheduler-events.ts";
import { runSlot } from "../../src/scheduler/slot-runner.ts";
import { openStore } from "../../src/store/database.ts";

const databaseUrl = required("KPI_TEST_DATABASE_URL");
const replicaId = required("KPI_TEST_REPLICA_ID");
const runForMs = Number(required("KPI_TEST_RUN_FOR_MS"));
const lateTimer = process.env.KPI_TEST_LATE_TIMER === "1";

const schedule: ScheduleConfig = {
  id: "tick",
  cron: "* * * * * *",
  timeZone: "UTC",
  job: "pull",
  catchUpDays: 1,
};
const store = await openStore({ databaseUrl, migrate: false });
const log = (event: SchedulerEvent | { event: string; [key: string]: unknown }) =>
  process.stdout.write(`${JSON.stringify({ ...event, replicaId })}\n`);
const run = async (scheduled: ScheduleConfig, slot: Date) => {
  await store.db.execute(
    sql`INSERT INTO test_runs (job, slot, replica) VALUES (${scheduled.id}, ${slot.toISOString()}::timestamptz, ${replicaId})`,
  );
};

const scheduler = await startScheduler({ db: store.db, schedules: [schedule], run, replicaId, log });
await scheduler.caughtUp;

if (lateTimer) {
  blockEventLoop(1_500);
  const claimedByOthers = (await store.db.execute(
    sql`SELECT slot FROM job_slots WHERE job = ${schedule.id} AND claimed_by <> ${replicaId} ORDER BY slot`,
  )) as unknown as { slot: string | Date }[];
  const context = { db: store.db, run, replicaId, clock: () => new Date(), log };
  for (const { slot } of claimedByOthers) {
    const result = await runSlot(context, schedule, new Date(slot), "late-timer");
    log({ event: "late-refire", slot: new Date(slot), result });
  }
}

await sleep(runForMs);
await scheduler.stop();
await store.close();
log({ event: "replica-stopped" });

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`${name} is not set`);
  return value;
}

function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Busy on purpose: timers cannot fire meanwhile.
  }
}
