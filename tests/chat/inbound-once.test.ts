import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fresh } from "../../src/chat/inbound-once.ts";
import type { Store } from "../../src/store/database.ts";
import { firstDelivery, forgetOldDeliveries } from "../../src/store/inbound-delivery-repo.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

describe.each(STORE_KINDS)("inbound deliveries on %s", (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(() => store.close());

  it("acts on a delivery once, per platform, even when the repeats arrive together", async () => {
    const now = new Date("2026-11-23T02:00:00Z");
    const results = await Promise.all(
      Array.from({ length: 5 }, () => firstDelivery(store.db, "feishu", "ev_1", now)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await firstDelivery(store.db, "slack", "ev_1", now)).toBe(true);
    expect(await firstDelivery(store.db, "feishu", "ev_2", now)).toBe(true);
  });

  it("remembers a delivery for two days, longer than Feishu re-pushes (about 7 hours)", async () => {
    const then = new Date("2026-11-20T00:00:00Z");
    await firstDelivery(store.db, "feishu", "old", then);
    await firstDelivery(store.db, "feishu", "recent", new Date("2026-11-22T12:00:00Z"));
    expect(await forgetOldDeliveries(store.db, new Date("2026-11-22T23:00:00Z"))).toBe(1);
    expect(await firstDelivery(store.db, "feishu", "recent", new Date("2026-11-22T23:00:00Z"))).toBe(false);
  });
});

describe("the replay window", () => {
  it("accepts five minutes either way and nothing beyond, nor a missing time", () => {
    const now = 1_800_000_000_000;
    expect(fresh(now - 300_000, now)).toBe(true);
    expect(fresh(now + 300_000, now)).toBe(true);
    expect(fresh(now - 300_001, now)).toBe(false);
    expect(fresh(now + 300_001, now)).toBe(false);
    expect(fresh(Number.NaN, now)).toBe(false);
  });
});
