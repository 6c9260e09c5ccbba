import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { schemeCache } from "../../src/bot/commands/scheme-cache.ts";
import type { Store } from "../../src/store/database.ts";
import { seedChatFixture } from "../support/chat-fixture.ts";
import { openTestStore } from "../support/stores.ts";

describe("the scheme cache", () => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore("pglite");
    await seedChatFixture(store);
  });
  afterEach(() => store.close());

  it("keeps a day's schemes for its period, per day, then reads them again", async () => {
    let clock = 0;
    const schemesOn = schemeCache(store.db, 30_000, () => clock);
    const first = await schemesOn("2026-11-01");
    expect([...first.keys()].sort()).toEqual(["presales", "supervisor"]);
    expect(first.get("presales")?.scheme.id).toBe("seed-example");
    clock = 30_000;
    expect(await schemesOn("2026-11-01")).toBe(first);
    expect(await schemesOn("2026-11-02")).not.toBe(first);
    clock = 30_001;
    const again = await schemesOn("2026-11-01");
    expect(again).not.toBe(first);
    expect(again.get("presales")?.versionId).toBe(first.get("presales")?.versionId);
  });
});
