import { inArray } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { ChatAdapter } from "../../src/chat/adapter.ts";
import type { ChatPlatform } from "../../src/chat/caller.ts";
import { createFeishuAdapter } from "../../src/chat/feishu/feishu-adapter.ts";
import { createSlackAdapter } from "../../src/chat/slack/slack-adapter.ts";
import { type Delivery, startDelivery } from "../../src/delivery/delivery.ts";
import type { OutgoingMessage } from "../../src/delivery/outbox-repo.ts";
import { silentLog } from "../../src/log.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import { chatMemoryOf } from "../../src/store/chat-memory.ts";
import type { Store } from "../../src/store/database.ts";
import { outbox } from "../../src/store/schema.ts";
import { type FakeFeishu, startFakeFeishu } from "../fakes/feishu/server.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/server.ts";
import { settled } from "../support/outbox.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * Platforms that throttle, fail and hang on a fifth of the calls. A hang is a call the fake never
 * answers; the engine gives up on it after `sendTimeoutMs` (2 s here, 30 s by default) and tries
 * again. Whether that could make a second message depends on where the call hung:
 *
 * - before the platform acted on it: nothing was posted, the retry posts once;
 * - after (the message posted, the answer lost): Feishu takes the outbox key as `uuid` and answers
 *   the retry with the first message, so it is posted once. Slack's chat.postMessage takes no
 *   such key: a retry after a failure that does not say Slack refused the call (a timeout, the
 *   network, a 5xx) first looks in the channel's history for the message tagged with the key
 *   (findSent), and records the one it finds instead of posting again. Without that look (an
 *   adapter with no findSent, such as DingTalk's) the retry posts the message a second time.
 */

// Long enough that a call merely slow on a busy machine is not taken for a hang (a duplicate on Slack).
const SEND_TIMEOUT_MS = 2_000;
const FAST = { backoff: { baseMs: 20, maxMs: 200 }, sendTimeoutMs: SEND_TIMEOUT_MS, log: silentLog };
const deps = (store: Store) => ({
  memory: chatMemoryOf(store.db),
  metrics: createMetrics(),
  log: silentLog,
  now: () => new Date(),
});

function messages(platform: ChatPlatform, count: number, to: (i: number) => OutgoingMessage["to"]) {
  return Array.from({ length: count }, (_, i) => ({
    key: `${platform}:${i}`,
    platform,
    to: to(i),
    reply: { title: `key ${platform}:${i}`, blocks: [{ kind: "text" as const, text: `message ${i}` }] },
  }));
}

const keyIn = (text: string) => /(slack|feishu):\d+/.exec(text)?.[0] ?? "?";

function countBy(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

describe.each(STORE_KINDS)("delivering through platforms that fail, throttle and hang (%s)", (kind) => {
  let store: Store;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await store?.close();
  });

  async function deliver(adapter: ChatAdapter): Promise<Delivery> {
    const delivery = await startDelivery({
      store,
      adapters: new Map([[adapter.platform, adapter]]),
      ...FAST,
    });
    closers.push(() => delivery.stop());
    return delivery;
  }

  async function slack(): Promise<FakeSlack> {
    const fake = await startFakeSlack();
    closers.push(() => fake.close());
    return fake;
  }

  const slackAdapter = (fake: FakeSlack) =>
    createSlackAdapter(
      {
        mode: "http",
        apiUrl: fake.apiUrl,
        signingSecret: "s",
        botToken: fake.botToken,
        limits: { perChannelPerSecond: 50 },
      },
      deps(store),
    );

  const slackPosts = (fake: FakeSlack) => countBy(fake.messages.map((m) => keyIn(JSON.stringify(m.blocks))));

  it("sends every message once on Slack through 429s, 500s and calls that hang before Slack acts", async () => {
    store = await openTestStore(kind);
    const fake = await slack();
    fake.failSome(
      "chat.postMessage",
      0.2,
      [{ status: 429, retryAfter: 1 }, { status: 500 }, { hang: "unprocessed" }, { status: 503 }],
      11,
    );
    const delivery = await deliver(slackAdapter(fake));
    await delivery.queue(messages("slack", 40, (i) => ({ kind: "channel", id: `C${i % 4}` })));
    expect(await settled(store, 40)).toEqual({ sent: 40 });
    const calls = fake.callsTo("chat.postMessage");
    expect(calls.filter((c) => c.status === 0).length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.status === 429).length).toBeGreaterThan(0);
    const posts = slackPosts(fake);
    expect(posts.size).toBe(40);
    expect([...posts.values()].every((n) => n === 1)).toBe(true);
  });

  it("sends every message once on Slack when answers are lost after Slack posted: the retry finds the post", async () => {
    store = await openTestStore(kind);
    const fake = await slack();
    fake.failSome("chat.postMessage", 0.2, [{ hang: "processed" }, { status: 503 }], 5);
    const delivery = await deliver(slackAdapter(fake));
    await delivery.queue(messages("slack", 40, (i) => ({ kind: "channel", id: `C${i % 4}` })));
    expect(await settled(store, 40)).toEqual({ sent: 40 });
    const lostAnswers = fake
      .callsTo("chat.postMessage")
      .filter((c) => c.status === 0)
      .map((c) => keyIn(JSON.stringify(c.body.blocks)));
    expect(lostAnswers.length).toBeGreaterThan(0);
    // Every retry after a lost answer or a 503 looked first; a lost answer's post was found there.
    expect(fake.callsTo("conversations.history").length).toBeGreaterThanOrEqual(lostAnswers.length);
    const posts = slackPosts(fake);
    expect(posts.size).toBe(40);
    expect([...posts.values()].every((n) => n === 1)).toBe(true);
    const rows = await store.db
      .select({ key: outbox.key, sentRef: outbox.sentRef })
      .from(outbox)
      .where(inArray(outbox.key, lostAnswers));
    // Recorded with the handle of the message the hung call had posted.
    for (const row of rows) {
      const posted = fake.messages.find((m) => keyIn(JSON.stringify(m.blocks)) === row.key)!;
      expect(row.sentRef).toBe(`${posted.channel}:${posted.ts}`);
    }
  });

  it("sends every message once on Feishu through 429s, 500s and hangs before and after Feishu acts", async () => {
    store = await openTestStore(kind);
    const fake: FakeFeishu = await startFakeFeishu();
    closers.push(() => fake.close());
    fake.failSome(
      "/open-apis/im/v1/messages",
      0.2,
      [{ hang: "processed" }, { status: 429, resetSeconds: 1 }, { hang: "unprocessed" }, { status: 500 }],
      3,
    );
    const adapter = createFeishuAdapter(
      {
        mode: "websocket",
        domain: fake.domain,
        ...fake.newApp(),
        limits: { perAppPerSecond: 200, perChatPerSecond: 50 },
      },
      deps(store),
    );
    const delivery = await deliver(adapter);
    await delivery.queue(
      messages("feishu", 40, (i) =>
        i % 2 === 0 ? { kind: "channel", id: `oc_team${i % 4}` } : { kind: "user", userId: `ou_${i}` },
      ),
    );
    expect(await settled(store, 40)).toEqual({ sent: 40 });
    const sends = fake.callsTo("/open-apis/im/v1/messages", "POST");
    const hungAfterPosting = sends.filter((c) => c.status === 0 && c.answer !== null);
    expect(hungAfterPosting.length).toBeGreaterThan(0);
    expect(sends.filter((c) => c.status === 0 && c.answer === null).length).toBeGreaterThan(0);
    const posted = countBy([...fake.messages.values()].map((m) => keyIn(m.content)));
    expect(posted.size).toBe(40);
    expect([...posted.values()].every((n) => n === 1)).toBe(true);
    // Each hung-after-posting send was made again with the same uuid, and Feishu answered it with the first message.
    for (const hung of hungAfterPosting) {
      expect(sends.filter((c) => c.body.uuid === hung.body.uuid && c.status === 200).length).toBe(1);
    }
  });
});
