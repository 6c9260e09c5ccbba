import { afterEach, describe, expect, it } from "vitest";
import type { ChatAdapter } from "../../src/chat/adapter.ts";
import type { ChatPlatform } from "../../src/chat/caller.ts";
import { createConsoleAdapter } from "../../src/chat/console/console-adapter.ts";
import { createSlackAdapter } from "../../src/chat/slack/slack-adapter.ts";
import { type Delivery, startDelivery } from "../../src/delivery/delivery.ts";
import { addToOutbox, type OutgoingMessage, outboxCounts } from "../../src/delivery/outbox-repo.ts";
import { silentLog } from "../../src/log.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import { chatMemoryOf } from "../../src/store/chat-memory.ts";
import type { Store } from "../../src/store/database.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/server.ts";
import { settled } from "../support/outbox.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/** How outbox rows get to their platform: written by use-cases and swept, or queued in bulk; across a restart. */

function messages(platform: ChatPlatform, count: number, to: (i: number) => OutgoingMessage["to"]) {
  return Array.from({ length: count }, (_, i) => ({
    key: `${platform}:${i}`,
    platform,
    to: to(i),
    reply: { title: `key ${platform}:${i}`, blocks: [{ kind: "text" as const, text: `message ${i}` }] },
  }));
}

function countKeys(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    const key = /(slack|console):\d+/.exec(text)?.[0] ?? "?";
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe.each(STORE_KINDS)("the outbox's way to the platforms (%s)", (kind) => {
  let store: Store;
  const running = new Set<Delivery>();
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all([...running].map((d) => d.stop()));
    running.clear();
    for (const close of closers.splice(0)) await close();
    await store?.close();
  });

  async function start(adapter: ChatAdapter): Promise<Delivery> {
    const delivery = await startDelivery({
      store,
      adapters: new Map([[adapter.platform, adapter]]),
      log: silentLog,
      backoff: { baseMs: 20, maxMs: 200 },
    });
    running.add(delivery);
    return delivery;
  }

  it("sends what use-cases wrote in their own transactions once they sweep, each message once", async () => {
    store = await openTestStore(kind);
    const printed: string[] = [];
    const delivery = await start(createConsoleAdapter((text) => printed.push(text)));
    const batch = messages("console", 900, (i) => ({ kind: "user", userId: `agent${i}` }));
    // Two use-cases, each writing its rows inside a transaction of its own, then sweeping.
    await store.db.transaction((tx) => addToOutbox(tx, batch.slice(0, 400), new Date()));
    expect(await delivery.sweep()).toBe(400);
    await store.db.transaction((tx) => addToOutbox(tx, batch.slice(400), new Date()));
    expect(await delivery.sweep()).toBe(500);
    expect(await delivery.sweep()).toBe(0);
    expect(await settled(store, 900)).toEqual({ sent: 900 });
    const sent = countKeys(printed);
    expect(sent.size).toBe(900);
    expect([...sent.values()].every((n) => n === 1)).toBe(true);
    // Queued again by key, nothing is new.
    expect(await delivery.queue(batch)).toBe(0);
  });

  it("lets another replica finish what a stopped one had scheduled, each message once", async () => {
    store = await openTestStore(kind);
    const fake: FakeSlack = await startFakeSlack();
    closers.push(() => fake.close());
    // 4 a second per channel: 24 messages to each of two channels take 6 s, so the later ones are
    // put back in the queue holding slots seconds ahead when the first replica stops.
    const slack = () =>
      createSlackAdapter(
        {
          mode: "http",
          apiUrl: fake.apiUrl,
          signingSecret: "s",
          botToken: fake.botToken,
          limits: { perChannelPerSecond: 4 },
        },
        { memory: chatMemoryOf(store.db), metrics: createMetrics(), log: silentLog, now: () => new Date() },
      );
    const first = await start(slack());
    await first.queue(messages("slack", 48, (i) => ({ kind: "channel", id: `C${i % 2}` })));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await first.stop();
    running.delete(first);
    const before = await outboxCounts(store.db);
    expect(before.sent ?? 0).toBeLessThan(48);
    expect(before.sending ?? 0).toBe(0);
    await start(slack());
    expect(await settled(store, 48)).toEqual({ sent: 48 });
    const posts = countKeys(fake.messages.map((m) => JSON.stringify(m.blocks)));
    expect(posts.size).toBe(48);
    expect([...posts.values()].every((n) => n === 1)).toBe(true);
  });
});
