import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScheduler } from "../../src/scheduler/scheduler.ts";
import { claimSlot, finishSlot } from "../../src/scheduler/slot-claims.ts";
import type { Store } from "../../src/store/database.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";
import { dailyAtNineShanghai, fixedClock, gate, recorder } from "./scheduler-fixtures.ts";

/** 2026-03-10 10:00 in Shanghai. */
const TEN_AM_SHANGHAI = "2026-03-10T02:00:00.000Z";

describe.each(STORE_KINDS)("catching up on the %s store", (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(() => store.close());

  async function ranBefore(job: string, slotIso: string) {
    const slot = new Date(slotIso);
    await claimSlot(store.db, job, slot, "replica-before-downtime", slot);
    await finishSlot(store.db, job, slot, { status: "done" }, slot);
  }

  it("runs the three 09:00 pulls missed since three days ago, oldest first, once each", async () => {
    await ranBefore("three-days", "2026-03-07T01:00:00.000Z");
    const job = recorder();
    const scheduler = await startScheduler({
      db: store.db,
      schedules: [dailyAtNineShanghai("three-days")],
      run: job.run,
      replicaId: "replica-a",
      clock: fixedClock(TEN_AM_SHANGHAI),
      log: job.log,
    });
    try {
      expect(await scheduler.caughtUp).toBe(3);
      expect(job.runs).toEqual([
        { job: "three-days", slot: "2026-03-08T01:00:00.000Z" },
        { job: "three-days", slot: "2026-03-09T01:00:00.000Z" },
        { job: "three-days", slot: "2026-03-10T01:00:00.000Z" },
      ]);
      expect(await scheduler.catchUp()).toBe(0);
      expect(job.runs).toHaveLength(3);
    } finally {
      await scheduler.stop();
    }
  });

  it("runs a same-day job's missed fire later that day, but not the next day", async () => {
    await ranBefore("digest-a", "2026-03-08T01:00:00.000Z");
    await ranBefore("digest-b", "2026-03-08T01:00:00.000Z");
    const job = recorder();
    const run = async (id: string, clock: string) => {
      const scheduler = await startScheduler({
        db: store.db,
        schedules: [dailyAtNineShanghai(id, { catchUpSameDay: true })],
        run: job.run,
        replicaId: "replica-a",
        clock: fixedClock(clock),
        log: job.log,
      });
      await scheduler.caughtUp;
      await scheduler.stop();
    };
    // Down since the 8th: at 10:00 on the 10th only the 10th's fire is run, not the 9th's.
    await run("digest-a", TEN_AM_SHANGHAI);
    // At 08:00 on the 10th nothing of the day is due yet, and the 9th's is a day late.
    await run("digest-b", "2026-03-10T00:00:00.000Z");
    expect(job.runs).toEqual([{ job: "digest-a", slot: "2026-03-10T01:00:00.000Z" }]);
  });

  it("runs only the latest missed fire of a job that looks at the present", async () => {
    await ranBefore("watch", "2026-03-10T00:00:00.000Z");
    const job = recorder();
    const scheduler = await startScheduler({
      db: store.db,
      schedules: [
        { id: "watch", cron: "*/5 * * * *", timeZone: "UTC", catchUpDays: 1, catchUpLatestOnly: true },
      ],
      run: job.run,
      replicaId: "replica-a",
      clock: fixedClock("2026-03-10T02:03:00.000Z"),
      log: job.log,
    });
    await scheduler.caughtUp;
    await scheduler.stop();
    expect(job.runs).toEqual([{ job: "watch", slot: "2026-03-10T02:00:00.000Z" }]);
  });

  it("runs pulls before other jobs due at the same instant", async () => {
    const job = recorder();
    const scheduler = await startScheduler({
      db: store.db,
      schedules: [
        dailyAtNineShanghai("z-digest"),
        dailyAtNineShanghai("a-pull-last", { runsFirst: false }),
        dailyAtNineShanghai("pull", { runsFirst: true }),
      ],
      run: job.run,
      replicaId: "replica-a",
      clock: fixedClock(TEN_AM_SHANGHAI),
      log: job.log,
    });
    await scheduler.caughtUp;
    await scheduler.stop();
    expect(job.runs[0]).toEqual({ job: "pull", slot: "2026-03-10T01:00:00.000Z" });
    expect(job.runs).toHaveLength(3);
  });

  it("pulls a job that never ran once, for its latest fire, not for the whole week", async () => {
    const morning = recorder();
    const atTen = await startScheduler({
      db: store.db,
      schedules: [dailyAtNineShanghai("fresh-install")],
      run: morning.run,
      replicaId: "replica-a",
      clock: fixedClock(TEN_AM_SHANGHAI),
      log: morning.log,
    });
    expect(await atTen.caughtUp).toBe(1);
    await atTen.stop();
    expect(morning.runs).toEqual([{ job: "fresh-install", slot: "2026-03-10T01:00:00.000Z" }]);

    const early = recorder();
    const atHalfPastEight = await startScheduler({
      db: store.db,
      schedules: [dailyAtNineShanghai("fresh-before-nine")],
      run: early.run,
      replicaId: "replica-a",
      clock: fixedClock("2026-03-10T00:30:00.000Z"),
      log: early.log,
    });
    expect(await atHalfPastEight.caughtUp).toBe(1);
    await atHalfPastEight.stop();
    expect(early.runs).toEqual([{ job: "fresh-before-nine", slot: "2026-03-09T01:00:00.000Z" }]);
  });

  it("goes back no further than catchUpDays, and not at all with 0", async () => {
    await ranBefore("long-outage", "2026-02-28T01:00:00.000Z");
    const job = recorder();
    const scheduler = await startScheduler({
      db: store.db,
      schedules: [
        dailyAtNineShanghai("long-outage", { catchUpDays: 3 }),
        dailyAtNineShanghai("no-catch-up", { catchUpDays: 0 }),
      ],
      run: job.run,
      replicaId: "replica-a",
      clock: fixedClock(TEN_AM_SHANGHAI),
      log: job.log,
    });
    expect(await scheduler.caughtUp).toBe(3);
    await scheduler.stop();
    expect(job.runs).toEqual([
      { job: "long-outage", slot: "2026-03-08T01:00:00.000Z" },
      { job: "long-outage", slot: "2026-03-09T01:00:00.000Z" },
      { job: "long-outage", slot: "2026-03-10T01:00:00.000Z" },
    ]);
  });

  it("reads the cron in the schedule's time zone: 00:30 Shanghai is 16:30 UTC the day before", async () => {
    const job = recorder();
    const scheduler = await startScheduler({
      db: store.db,
      schedules: [dailyAtNineShanghai("half-past-midnight", { cron: "30 0 * * *" })],
      run: job.run,
      replicaId: "replica-a",
      clock: fixedClock("2026-03-10T00:00:00.000Z"),
      log: job.log,
    });
    await scheduler.caughtUp;
    await scheduler.stop();
    expect(job.runs).toEqual([{ job: "half-past-midnight", slot: "2026-03-09T16:30:00.000Z" }]);
  });

  it("tells when some jobs' missed slots have run while later ones still run", async () => {
    await ranBefore("with-early", "2026-03-09T01:00:00.000Z");
    await ranBefore("with-late", "2026-03-09T01:30:00.000Z");
    const job = recorder();
    const lateStarted = gate();
    const releaseLate = gate();
    const scheduler = await startScheduler({
      db: store.db,
      schedules: [
        dailyAtNineShanghai("with-early"),
        dailyAtNineShanghai("with-late", { cron: "30 9 * * *" }),
      ],
      run: async (schedule, slot) => {
        if (schedule.id === "with-late") {
          lateStarted.open();
          await releaseLate.opened;
        }
        await job.run(schedule, slot);
      },
      replicaId: "replica-a",
      clock: fixedClock(TEN_AM_SHANGHAI),
      log: job.log,
    });
    try {
      let lateCaughtUp = false;
      void scheduler.caughtUpWith(["with-late"]).then(() => {
        lateCaughtUp = true;
      });
      await lateStarted.opened;
      await scheduler.caughtUpWith(["with-early"]);
      // A job the pass planned nothing for is caught up at once.
      await scheduler.caughtUpWith(["with-nothing-missed"]);
      expect(job.runs).toEqual([{ job: "with-early", slot: "2026-03-10T01:00:00.000Z" }]);
      expect(lateCaughtUp).toBe(false);
      releaseLate.open();
      await scheduler.caughtUpWith(["with-early", "with-late"]);
      expect(job.runs.map((r) => r.job)).toEqual(["with-early", "with-late"]);
      expect(await scheduler.caughtUp).toBe(2);
    } finally {
      releaseLate.open();
      await scheduler.stop();
    }
  });

  it("runs each missed slot once when replicas start together", async () => {
    await ranBefore("together", "2026-03-07T01:00:00.000Z");
    const job = recorder();
    const replicas = await Promise.all(
      ["replica-a", "replica-b", "replica-c"].map((replicaId) =>
        startScheduler({
          db: store.db,
          schedules: [dailyAtNineShanghai("together")],
          run: job.run,
          replicaId,
          clock: fixedClock(TEN_AM_SHANGHAI),
          log: job.log,
        }),
      ),
    );
    const ranPerReplica = await Promise.all(replicas.map((r) => r.caughtUp));
    await Promise.all(replicas.map((r) => r.stop()));
    expect(ranPerReplica.reduce((a, b) => a + b, 0)).toBe(3);
    expect(job.runs.map((r) => r.slot).sort()).toEqual([
      "2026-03-08T01:00:00.000Z",
      "2026-03-09T01:00:00.000Z",
      "2026-03-10T01:00:00.000Z",
    ]);
  });
});
