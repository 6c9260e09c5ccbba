import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rosterCache } from "../../src/bot/commands/roster-cache.ts";
import type { Store } from "../../src/store/database.ts";
import { agents, chatIdentities } from "../../src/store/schema.ts";
import { seedChatFixture } from "../support/chat-fixture.ts";
import { openTestStore } from "../support/stores.ts";

describe("the roster cache", () => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore("pglite");
    await seedChatFixture(store);
  });
  afterEach(() => store.close());

  it("reads who is who once per period, shares a read in flight, and rereads when invalidated or old", async () => {
    let clock = 0;
    const cache = rosterCache(store.db, 30_000, () => clock);
    const [a, b] = await Promise.all([cache.directory(), cache.directory()]);
    expect(a).toBe(b);
    expect(a.byId.get("zhang")).toMatchObject({ name: "小张", teamName: "售前一组" });
    expect(a.chatUsers.get("feishu:ou_zhang")).toBe("zhang");
    await store.db.update(agents).set({ name: "张三" }).where(eq(agents.id, "zhang"));
    await store.db.insert(chatIdentities).values({ platform: "slack", userId: "U_NEW", agentId: "zhang" });
    clock = 29_000;
    const cached = await cache.directory();
    expect(cached.byId.get("zhang")?.name).toBe("小张");
    expect(cached.chatUsers.has("slack:U_NEW")).toBe(false);
    cache.invalidate();
    const fresh = await cache.directory();
    expect(fresh.byId.get("zhang")?.name).toBe("张三");
    expect(fresh.chatUsers.get("slack:U_NEW")).toBe("zhang");
    await store.db.update(agents).set({ name: "张四" }).where(eq(agents.id, "zhang"));
    clock = 60_000;
    expect((await cache.directory()).byId.get("zhang")?.name).toBe("张四");
  });
});
