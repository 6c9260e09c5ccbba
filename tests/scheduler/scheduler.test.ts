import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InvalidInput } from "../../src/engine/index.ts";
import { startScheduler } from "../../src/scheduler/scheduler.ts";
import { claimSlot, finishSlot } from "../../src/scheduler/slot-claims.ts";
import { runSlot } from "../../src/scheduler/slot-runner.ts";
import type { Store } from "../../src/store/database.ts";
import { jobSlots } from "../../src/store/schema.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";
import { dailyAtNineShanghai, fixedClock, gate, recorder } from "./scheduler-fixtures.ts";

const TEN_AM_SHANGHAI = "2026-03-10T02:00:00.000Z";
const NINE_AM_SHANGHAI = new Date("2026-03-10T01:00:00.000Z");

describe.each(STORE_KINDS)("the scheduler on the %s store", (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(() => store.close());

  const slotsOf = (job: string) => store.db.select().from(jobSlots).where(eq(jobSlots.job, job));

  it("marks a failed run's slot failed with its message, secrets blanked, and carries on", async () => {
    const day = new Date("2026-03-07T01:00:00.000Z");
    await claimSlot(store.db, "flaky", day, "replica-before", day);
    await finishSlot(store.db, "flaky", day, { status: "done" }, day);
    const job = recorder();
    const scheduler = await startScheduler({
      db: store.db,
      schedules: [dailyAtNineShanghai("flaky")],
      run: async (schedule, slot) => {
        if (slot.toISOString() === "2026-03-08T01:00:00.000Z") {
          throw new Error("GET https://stats.example.com/day?token=hunter2 answered 503");
        }
        await job.run(schedule, slot);
      },
      replicaId: "replica-a",
      clock: fixedClock(TEN_AM_SHANGHAI),
      log: job.log,
    });
    expect(await scheduler.caughtUp).toBe(3);
    expect(job.runs.map((r) => r.slot)).toEqual(["2026-03-09T01:00:00.000Z", "2026-03-10T01:00:00.000Z"]);
    expect(job.events).toContainEqual(
      expect.objectContaining({
        event: "slot-failed",
        job: "flaky",
        slot: new Date("2026-03-08T01:00:00.000Z"),
        error: "GET https://stats.example.com/day?token=*** answered 503",
      }),
    );
    const failed = (await slotsOf("flaky")).find((r) => r.status === "failed");
    expect(failed).toMatchObject({
      slot: new Date("2026-03-08T01:00:00.000Z"),
      claimedBy: "replica-a",
      error: "GET https://stats.example.com/day?token=*** answered 503",
    });
    // Claimed for good: neither this replica's next pass nor another replica retries it.
    expect(await scheduler.catchUp()).toBe(0);
    await scheduler.stop();
  });

  it("does not run a slot again when a late timer brings it up after another replica finished it", async () => {
    const job = recorder();
    const context = { db: store.db, run: job.run, clock: fixedClock(TEN_AM_SHANGHAI), log: job.log };
    const schedule = dailyAtNineShanghai("late-timer");
    expect(await runSlot({ ...context, replicaId: "replica-a" }, schedule, NINE_AM_SHANGHAI, "timer")).toBe(
      "ran",
    );
    expect(
      await runSlot({ ...context, replicaId: "replica-b" }, schedule, NINE_AM_SHANGHAI, "late-timer"),
    ).toBe("claimed-elsewhere");
    expect(job.runs).toHaveLength(1);
    expect(job.events.map((e) => [e.event, e.replicaId])).toEqual([
      ["slot-started", "replica-a"],
      ["slot-done", "replica-a"],
      ["slot-skipped", "replica-b"],
    ]);
    expect(await slotsOf("late-timer")).toMatchObject([{ claimedBy: "replica-a", status: "done" }]);
  });

  it("runs again at the next start a slot whose runner died mid-run, once, and leaves a live one's alone", async () => {
    // A replica claimed 03-09's slot and was killed: its row still says running, no one holds its lock.
    const dead = new Date("2026-03-09T01:00:00.000Z");
    await claimSlot(store.db, "killed", dead, "replica-killed", dead);
    await claimSlot(store.db, "killed", NINE_AM_SHANGHAI, "replica-before", NINE_AM_SHANGHAI);
    await finishSlot(store.db, "killed", NINE_AM_SHANGHAI, { status: "done" }, NINE_AM_SHANGHAI);
    const job = recorder();
    const options = {
      db: store.db,
      schedules: [dailyAtNineShanghai("killed")],
      run: job.run,
      clock: fixedClock(TEN_AM_SHANGHAI),
      log: job.log,
    };
    const scheduler = await startScheduler({ ...options, replicaId: "replica-a" });
    expect(await scheduler.caughtUp).toBe(1);
    expect(job.runs).toEqual([{ job: "killed", slot: dead.toISOString() }]);
    expect(job.events).toContainEqual(expect.objectContaining({ event: "slot-started", takenOver: true }));
    expect((await slotsOf("killed")).map((r) => [r.slot.toISOString(), r.claimedBy, r.status])).toEqual([
      [dead.toISOString(), "replica-a", "done"],
      [NINE_AM_SHANGHAI.toISOString(), "replica-before", "done"],
    ]);
    // Done now: another start runs nothing.
    expect(await scheduler.catchUp()).toBe(0);
    await scheduler.stop();
  });

  it("does not take over a slot whose runner is alive, holding it, even from a start's catch-up", async () => {
    const release = gate();
    const started = gate();
    const live = recorder();
    const schedule = dailyAtNineShanghai("alive");
    const context = { db: store.db, clock: fixedClock(TEN_AM_SHANGHAI), log: live.log };
    const running = runSlot(
      {
        ...context,
        replicaId: "replica-live",
        run: async (s, slot) => {
          started.open();
          await release.opened;
          await live.run(s, slot);
        },
      },
      schedule,
      NINE_AM_SHANGHAI,
      "timer",
    );
    await started.opened;
    const other = recorder();
    const scheduler = await startScheduler({
      db: store.db,
      schedules: [schedule],
      run: other.run,
      replicaId: "replica-b",
      clock: fixedClock(TEN_AM_SHANGHAI),
      log: other.log,
    });
    expect(await scheduler.caughtUp).toBe(0);
    expect(other.runs).toEqual([]);
    expect(other.events).toContainEqual(
      expect.objectContaining({ event: "slot-skipped", replicaId: "replica-b" }),
    );
    release.open();
    expect(await running).toBe("ran");
    expect(live.runs).toHaveLength(1);
    await scheduler.stop();
  });

  it("stops cleanly: stop() waits for the running job, and no later slot of the pass starts", async () => {
    const day = new Date("2026-03-07T01:00:00.000Z");
    await claimSlot(store.db, "slow", day, "replica-before", day);
    await finishSlot(store.db, "slow", day, { status: "done" }, day);
    const started = gate();
    const release = gate();
    const job = recorder();
    const scheduler = await startScheduler({
      db: store.db,
      schedules: [dailyAtNineShanghai("slow")],
      run: async (schedule, slot) => {
        started.open();
        await release.opened;
        await job.run(schedule, slot);
      },
      replicaId: "replica-a",
      clock: fixedClock(TEN_AM_SHANGHAI),
      log: job.log,
    });
    await started.opened;
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release.open();
    await stopping;
    expect(await scheduler.caughtUp).toBe(1);
    expect(job.runs).toEqual([{ job: "slow", slot: "2026-03-08T01:00:00.000Z" }]);
    expect((await slotsOf("slow")).map((r) => [r.slot.toISOString(), r.status])).toEqual([
      ["2026-03-07T01:00:00.000Z", "done"],
      ["2026-03-08T01:00:00.000Z", "done"],
    ]);
  });

  it("fires on node-cron's timer at the slot instant and claims it like any other", async () => {
    const job = recorder();
    const scheduler = await startScheduler({
      db: store.db,
      schedules: [{ id: "every-second", cron: "* * * * * *", timeZone: "UTC", job: "pull", catchUpDays: 0 }],
      run: job.run,
      replicaId: "replica-a",
      log: job.log,
    });
    await vi.waitFor(() => expect(job.runs.length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    await scheduler.stop();
    for (const run of job.runs) expect(run.slot).toMatch(/\.000Z$/);
    expect(job.events.filter((e) => e.event === "slot-started").map((e) => e.trigger)).toContain("timer");
    const rows = await slotsOf("every-second");
    expect(rows.map((r) => r.slot.toISOString()).sort()).toEqual(job.runs.map((r) => r.slot).sort());
    expect(rows.every((r) => r.status === "done" && r.claimedBy === "replica-a")).toBe(true);
  });
});

describe("a schedule the scheduler cannot use", () => {
  it("is refused at start, naming the schedule", async () => {
    const store = await openTestStore("pglite");
    try {
      const start = startScheduler({
        db: store.db,
        schedules: [dailyAtNineShanghai("weekday-nearest", { cron: "0 9 15W * *" })],
        run: async () => {},
        replicaId: "replica-a",
        log: () => {},
      });
      await expect(start).rejects.toThrow(InvalidInput);
      await expect(start).rejects.toThrow(
        /schedules\.weekday-nearest\.cron: "0 9 15W \* \*" cannot be scheduled/,
      );
    } finally {
      await store.close();
    }
  });
});
