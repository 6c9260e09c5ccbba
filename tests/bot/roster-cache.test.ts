import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rosterCache } from "../../src/bot/commands/roster-cache.ts";
import type { Store } from "../../src/store/database.ts";
import { agents } from "../../src/store/schema.ts";
import { seedChatFixture } from "../support/chat-fixture.ts";
import { openTestStore } from "../support/stores.ts";

describe("the roster cache", () => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore("pglite");
    await seedChatFixture(store);
  });
  afterEach(() => store.close());

  it("reads the roster once per period, shares a read in flight, and rereads when invalidated or old", async () => {
    let clock = 0;
    const cache = rosterCache(store.db, 30_000, () => clock);
    const [a, b] = await Promise.all([cache.profiles(), cache.profiles()]);
    expect(a).toBe(b);
    expect(a.find((p) => p.id === "zhang")).toMatchObject({ name: "小张", teamName: "售前一组" });
    await store.db.update(agents).set({ name: "张三" }).where(eq(agents.id, "zhang"));
    clock = 29_000;
    expect((await cache.profiles()).find((p) => p.id === "zhang")?.name).toBe("小张");
    cache.invalidate();
    expect((await cache.profiles()).find((p) => p.id === "zhang")?.name).toBe("张三");
    await store.db.update(agents).set({ name: "张四" }).where(eq(agents.id, "zhang"));
    clock = 60_000;
    expect((await cache.profiles()).find((p) => p.id === "zhang")?.name).toBe("张四");
  });
});
