import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimSlot, finishSlot, lastClaimedSlot } from "../../src/scheduler/slot-claims.ts";
import type { Store } from "../../src/store/database.ts";
import { jobSlots } from "../../src/store/schema.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

const NINE_SHANGHAI = new Date("2026-03-10T01:00:00.000Z");
const at = (iso: string) => new Date(iso);

describe.each(STORE_KINDS)("slot claims on the %s store", (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(() => store.close());

  it("lets exactly one replica claim a slot, and records who and when", async () => {
    const now = at("2026-03-10T01:00:00.020Z");
    expect(await claimSlot(store.db, "daily-pull", NINE_SHANGHAI, "replica-a", now)).toBe(true);
    expect(await claimSlot(store.db, "daily-pull", NINE_SHANGHAI, "replica-a", now)).toBe(false);
    expect(await claimSlot(store.db, "daily-pull", NINE_SHANGHAI, "replica-b", now)).toBe(false);
    const rows = await store.db.select().from(jobSlots);
    expect(rows).toEqual([
      {
        job: "daily-pull",
        slot: NINE_SHANGHAI,
        claimedBy: "replica-a",
        claimedAt: now,
        finishedAt: null,
        status: "running",
        error: null,
      },
    ]);
  });

  it("keeps a finished slot claimed: a replica whose timer fires late cannot run it again", async () => {
    const slot = at("2026-03-11T01:00:00.000Z");
    expect(await claimSlot(store.db, "late-timer", slot, "replica-a", at("2026-03-11T01:00:00.010Z"))).toBe(
      true,
    );
    await finishSlot(store.db, "late-timer", slot, { status: "done" }, at("2026-03-11T01:00:30.000Z"));
    expect(await claimSlot(store.db, "late-timer", slot, "replica-b", at("2026-03-11T01:05:00.000Z"))).toBe(
      false,
    );

    const failed = at("2026-03-12T01:00:00.000Z");
    await claimSlot(store.db, "late-timer", failed, "replica-a", failed);
    await finishSlot(store.db, "late-timer", failed, { status: "failed", error: "HTTP 503" }, failed);
    expect(await claimSlot(store.db, "late-timer", failed, "replica-b", at("2026-03-12T02:00:00.000Z"))).toBe(
      false,
    );

    const rows = await store.db.select().from(jobSlots);
    expect(rows.filter((r) => r.job === "late-timer")).toMatchObject([
      {
        slot,
        claimedBy: "replica-a",
        status: "done",
        error: null,
        finishedAt: at("2026-03-11T01:00:30.000Z"),
      },
      { slot: failed, claimedBy: "replica-a", status: "failed", error: "HTTP 503" },
    ]);
  });

  it("tells slots of different jobs apart", async () => {
    expect(await claimSlot(store.db, "job-one", NINE_SHANGHAI, "replica-a", NINE_SHANGHAI)).toBe(true);
    expect(await claimSlot(store.db, "job-two", NINE_SHANGHAI, "replica-a", NINE_SHANGHAI)).toBe(true);
  });

  it("finds a job's newest claimed slot, optionally at or before an instant", async () => {
    expect(await lastClaimedSlot(store.db, "never-ran")).toBeNull();
    for (const day of ["2026-04-01", "2026-04-03", "2026-04-02"]) {
      await claimSlot(
        store.db,
        "newest",
        at(`${day}T01:00:00.000Z`),
        "replica-a",
        at(`${day}T01:00:00.000Z`),
      );
    }
    expect(await lastClaimedSlot(store.db, "newest")).toEqual(at("2026-04-03T01:00:00.000Z"));
    expect(await lastClaimedSlot(store.db, "newest", at("2026-04-02T01:00:00.000Z"))).toEqual(
      at("2026-04-02T01:00:00.000Z"),
    );
    expect(await lastClaimedSlot(store.db, "newest", at("2026-03-31T00:00:00.000Z"))).toBeNull();
  });
});
