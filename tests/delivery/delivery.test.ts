import { afterEach, describe, expect, it } from "vitest";
import type { ChatAdapter } from "../../src/chat/adapter.ts";
import type { ChatPlatform } from "../../src/chat/caller.ts";
import { createSlackAdapter } from "../../src/chat/slack/slack-adapter.ts";
import { type Delivery, type DeliveryOptions, startDelivery } from "../../src/delivery/delivery.ts";
import type { OutgoingMessage } from "../../src/delivery/outbox-repo.ts";
import { silentLog } from "../../src/log.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import { chatMemoryOf } from "../../src/store/chat-memory.ts";
import type { Store } from "../../src/store/database.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/server.ts";
import { settled } from "../support/outbox.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/** Messages to channels C0 … C(channels-1) and to users' DMs, each with its key in its title. */
function messages(count: number, channels: number, prefix = "m"): OutgoingMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `${prefix}:${i}`,
    platform: "slack" as const,
    to:
      i % 5 === 4
        ? { kind: "user" as const, userId: `U${i}` }
        : { kind: "channel" as const, id: `C${i % channels}` },
    reply: { title: `${prefix}:${i}`, blocks: [{ kind: "text" as const, text: `message ${i}` }] },
  }));
}

/** How many times each key reached the fake's channels. */
function postsByKey(fake: FakeSlack): Map<string, number> {
  const posts = new Map<string, number>();
  for (const message of fake.messages) {
    const key = /"text":"([a-z]+:\d+)"/.exec(JSON.stringify(message.blocks))?.[1] ?? "?";
    posts.set(key, (posts.get(key) ?? 0) + 1);
  }
  return posts;
}

describe.each(STORE_KINDS)("delivering through the outbox (%s)", (kind) => {
  let store: Store;
  let fake: FakeSlack;
  const running: Delivery[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((d) => d.stop()));
    await fake?.close();
    await store?.close();
  });

  async function start(options: Partial<DeliveryOptions> = {}, perChannelPerSecond = 50): Promise<Delivery> {
    // Fast limits and back-off, so a test takes seconds; the logic is the one used at Slack's 1/s.
    const slack = createSlackAdapter(
      {
        mode: "http",
        apiUrl: fake.apiUrl,
        signingSecret: "s",
        botToken: fake.botToken,
        limits: { perChannelPerSecond },
      },
      { memory: chatMemoryOf(store.db), metrics: createMetrics(), log: silentLog, now: () => new Date() },
    );
    const delivery = await startDelivery({
      store,
      adapters: new Map<ChatPlatform, ChatAdapter>([["slack", slack]]),
      log: silentLog,
      backoff: { baseMs: 20, maxMs: 200 },
      ...options,
    });
    running.push(delivery);
    return delivery;
  }

  it("sends each key once, however often it is queued, and spaces a channel's messages by its limit", async () => {
    store = await openTestStore(kind);
    fake = await startFakeSlack();
    const delivery = await start({}, 4);
    const batch = messages(40, 4);
    expect(await delivery.queue(batch)).toBe(40);
    expect(await delivery.queue(batch.slice(0, 10))).toBe(0);
    expect(await settled(store, 40)).toEqual({ sent: 40 });
    expect([...postsByKey(fake).values()].every((n) => n === 1)).toBe(true);
    expect(postsByKey(fake).size).toBe(40);
    // 4 a second per channel: C0's eight posts are given slots 250 ms apart (pacing.test.ts checks
    // the slots exactly). They arrive with the jitter of a busy event loop (PGlite runs its queries
    // on it, and the first send opens the connection), so here only "paced, not bunched" is
    // checked: unpaced, the eight would arrive within a few milliseconds.
    const c0 = fake
      .callsTo("chat.postMessage")
      .filter((c) => c.body.channel === "C0")
      .map((c) => c.receivedAt);
    expect(c0).toHaveLength(8);
    expect(c0.at(-1)! - c0[0]!).toBeGreaterThanOrEqual(4 * 250);
  });

  it("retries 429s (after their Retry-After) and 500s until every message is sent once", async () => {
    store = await openTestStore(kind);
    fake = await startFakeSlack();
    fake.failSome(
      "chat.postMessage",
      0.2,
      [{ status: 500 }, { status: 429, retryAfter: 1 }, { status: 503 }],
      7,
    );
    const delivery = await start();
    await delivery.queue(messages(30, 3));
    expect(await settled(store, 30)).toEqual({ sent: 30 });
    const failed = fake.callsTo("chat.postMessage").filter((c) => c.status !== 200);
    expect(failed.length).toBeGreaterThan(0);
    const posts = postsByKey(fake);
    expect(posts.size).toBe(30);
    expect([...posts.values()].every((n) => n === 1)).toBe(true);
  });

  it("gives up on a message the platform refuses, and tells the admins", async () => {
    store = await openTestStore(kind);
    fake = await startFakeSlack();
    fake.failNext("chat.postMessage", { error: "channel_not_found" });
    const delivery = await start({ admins: ["slack:U_ADMIN", "feishu:ou_nobody"] });
    await delivery.queue(messages(1, 1, "digest"));
    const counts = await settled(store, 2);
    expect(counts).toEqual({ dead: 1, sent: 1 });
    const alert = fake.messages.find(
      (m) => m.channel === "D_U_ADMIN" || JSON.stringify(m.blocks).includes("digest:0"),
    );
    expect(JSON.stringify(alert?.blocks)).toContain("channel_not_found");
  });

  it("gives up after the last attempt of a platform that keeps failing", async () => {
    store = await openTestStore(kind);
    fake = await startFakeSlack();
    fake.failNext("chat.postMessage", { status: 500 }, 3);
    const delivery = await start({ maxAttempts: 3 });
    await delivery.queue(messages(1, 1));
    expect(await settled(store, 1)).toEqual({ dead: 1 });
    expect(fake.callsTo("chat.postMessage").map((c) => c.status)).toEqual([500, 500, 500]);
  });

  it("shares the work between two replicas without sending anything twice", async () => {
    store = await openTestStore(kind);
    fake = await startFakeSlack();
    const first = await start();
    await start();
    await first.queue(messages(60, 6));
    expect(await settled(store, 60)).toEqual({ sent: 60 });
    const posts = postsByKey(fake);
    expect(posts.size).toBe(60);
    expect([...posts.values()].every((n) => n === 1)).toBe(true);
  });
});
