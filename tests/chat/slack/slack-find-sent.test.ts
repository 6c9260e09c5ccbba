import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChatSendError, type Destination } from "../../../src/chat/adapter.ts";
import { textReply } from "../../../src/chat/reply.ts";
import { createSlackAdapter } from "../../../src/chat/slack/slack-adapter.ts";
import { silentLog } from "../../../src/log.ts";
import { createMetrics } from "../../../src/server/metrics.ts";
import { chatMemoryOf } from "../../../src/store/chat-memory.ts";
import {
  forgetDmChannel,
  rememberDmChannel,
  dmChannelOf as storedDmChannel,
} from "../../../src/store/dm-channel-repo.ts";
import { dmChannelOf } from "../../fakes/slack/server.ts";
import { outboundResults } from "../../support/metric-counts.ts";
import { STORE_KINDS } from "../../support/stores.ts";
import { weeklyDigest } from "../chart-reply.ts";
import { SIGNING_SECRET, type SlackBot, startSlackBot } from "./slack-harness.ts";

/**
 * An outbox row left `sending` by a sender that died: did Slack take the message? The send tags it
 * with its outbox key (message metadata); findSent reads the channel's history back for the tag.
 */

const shop = { kind: "channel", id: "C0SHOP001" } as const;
const toZhang = { kind: "user", userId: "U_ZHANG" } as const;
const zhangsDm = { platform: "slack", userId: "U_ZHANG" };
const nudge = textReply("小张，昨天有 3 个会话首次响应超过 60 秒");
const KEY = "nudge:U_ZHANG:2026-11-24";
const HOUR = 3_600_000;

describe.each(STORE_KINDS)("asking Slack whether an abandoned send was posted (%s)", (kind) => {
  let bot: SlackBot;
  /** Slack's clock; undefined: the real one. */
  let slackTime: Date | undefined;
  beforeEach(async () => {
    slackTime = undefined;
    bot = await startSlackBot(kind, { slackNow: () => slackTime ?? new Date() });
  });
  afterEach(() => bot.close());

  const history = () => bot.fake.callsTo("conversations.history");
  const sendTagged = (to: Destination, key: string, reply = nudge) =>
    bot.adapter.send(to, reply, { idempotencyKey: key });
  const findSent = (to: Destination, key: string, since: Date) => bot.adapter.findSent!(to, key, since);
  /** Another replica, taking over the row after the lease: a new adapter over the same database. */
  const anotherReplica = () =>
    createSlackAdapter(
      { mode: "http", apiUrl: bot.fake.apiUrl, signingSecret: SIGNING_SECRET, botToken: bot.fake.botToken },
      { memory: chatMemoryOf(bot.store.db), metrics: createMetrics(), log: silentLog, now: () => new Date() },
    );

  it("tags a send that has an outbox key with it as message metadata, and a send without one not", async () => {
    await sendTagged(shop, KEY);
    await bot.adapter.send(shop, nudge);
    const [tagged, untagged] = bot.fake.callsTo("chat.postMessage");
    expect(tagged?.body.metadata).toEqual({ event_type: "kpi_outbox", event_payload: { key: KEY } });
    expect(untagged?.body).not.toHaveProperty("metadata");
    expect(bot.fake.messages[0]?.metadata).toEqual({ event_type: "kpi_outbox", event_payload: { key: KEY } });
  });

  it("finds a channel message by its key, asking for the history since the attempt with metadata", async () => {
    const since = new Date();
    const sent = await sendTagged(shop, KEY);

    expect(await findSent(shop, KEY, since)).toEqual(sent);
    expect(history()).toHaveLength(1);
    expect(history()[0]?.body).toMatchObject({
      channel: "C0SHOP001",
      oldest: ((since.getTime() - 30_000) / 1000).toFixed(6),
      include_all_metadata: "true",
      limit: "200",
    });
    expect(history()[0]?.body).not.toHaveProperty("cursor");
  });

  it("finds a direct message from another replica after the crash, in the stored DM, opening nothing", async () => {
    const since = new Date();
    const sent = await sendTagged(toZhang, KEY);
    expect(sent.ref).toMatch(new RegExp(`^${dmChannelOf("U_ZHANG")}:`));

    expect(await anotherReplica().findSent!(toZhang, KEY, since)).toEqual(sent);
    expect(bot.fake.callsTo("conversations.open")).toHaveLength(1);
    expect(history()[0]?.body).toMatchObject({ channel: dmChannelOf("U_ZHANG") });
  });

  it("answers no for a user the bot never wrote to, without opening a DM or reading anything", async () => {
    expect(await findSent({ kind: "user", userId: "U_NEW01" }, KEY, new Date())).toBeUndefined();
    expect(bot.fake.callsTo("conversations.open")).toEqual([]);
    expect(history()).toEqual([]);
  });

  it("takes neither another key's message, nor an untagged one, nor a person's for it", async () => {
    const since = new Date();
    const mine = await sendTagged(shop, KEY);
    await sendTagged(shop, "nudge:U_LI:2026-11-24");
    await bot.adapter.send(shop, nudge);
    bot.fake.postAs("U_ZHANG", "C0SHOP001", KEY);

    expect(await findSent(shop, "nudge:U_WANG:2026-11-24", since)).toBeUndefined();
    // The newest messages come first; the one with this key is the oldest of them.
    expect(await findSent(shop, KEY, since)).toEqual(mine);
    expect(await findSent({ kind: "channel", id: "C0OTHER01" }, KEY, since)).toBeUndefined();
  });

  it("does not look further back than `since`, less half a minute for the clocks' skew", async () => {
    const postedAt = new Date(Date.now() - 2 * HOUR);
    slackTime = postedAt;
    const sent = await sendTagged(shop, KEY);
    slackTime = undefined;

    expect(await findSent(shop, KEY, new Date(postedAt.getTime() + HOUR))).toBeUndefined();
    expect(await findSent(shop, KEY, new Date(postedAt.getTime() + 31_000))).toBeUndefined();
    // Slack's clock 20 s behind ours: the message looks older than the attempt that posted it.
    expect(await findSent(shop, KEY, new Date(postedAt.getTime() + 20_000))).toEqual(sent);
  });

  it("pages back through a busy channel with the cursor until it finds the message", async () => {
    const since = new Date();
    const sent = await sendTagged(shop, KEY);
    for (let i = 0; i < 450; i++) bot.fake.postAs("U_LI", "C0SHOP001", `客户 ${i} 的问题`);

    expect(await findSent(shop, KEY, since)).toEqual(sent);
    const pages = history().map((c) => c.body);
    expect(pages).toHaveLength(3);
    expect(pages.map((p) => p.oldest)).toEqual(Array(3).fill(pages[0]?.oldest));
    expect(pages[0]).not.toHaveProperty("cursor");
    expect(pages[1]?.cursor).toEqual(expect.any(String));
    expect(pages[2]?.cursor).not.toBe(pages[1]?.cursor);
  });

  it("stops after five pages of a channel too busy to read through, answering no", async () => {
    const since = new Date();
    await sendTagged(shop, KEY);
    for (let i = 0; i < 1000; i++) bot.fake.postAs("U_LI", "C0SHOP001", `客户 ${i} 的问题`);

    expect(await findSent(shop, KEY, since)).toBeUndefined();
    expect(history()).toHaveLength(5);
  });

  it("counts a digest as posted once its text is there, whether its chart was shared or not", async () => {
    const since = new Date();
    const complete = await sendTagged(shop, "digest:presales-a:2026-W47", weeklyDigest());
    expect(await findSent(shop, "digest:presales-a:2026-W47", since)).toEqual(complete);
    expect(bot.fake.messages.map((m) => (m.files ? "chart" : "text"))).toEqual(["text", "chart"]);
    expect(bot.fake.messages[1]).not.toHaveProperty("metadata");

    // The text went, sharing the chart failed: posting again would repeat the text.
    bot.fake.failNext("files.completeUploadExternal", { status: 500 });
    const halfSent = sendTagged(shop, "digest:presales-b:2026-W47", weeklyDigest());
    await expect(halfSent).rejects.toMatchObject({ retryable: true });
    const text = bot.fake.messages[2];
    expect(await findSent(shop, "digest:presales-b:2026-W47", since)).toEqual({
      platform: "slack",
      ref: `C0SHOP001:${text?.ts}`,
    });
  });

  it("looks in the DM stored since when the one this replica remembers is gone", async () => {
    const since = new Date();
    await rememberDmChannel(bot.store.db, { ...zhangsDm, channelId: "D_OLD", openedAt: since });
    const replica = anotherReplica();
    expect(await replica.findSent!(toZhang, "nudge:U_ZHANG:2026-11-23", since)).toBeUndefined();
    // The attempt that died found D_OLD gone, opened the DM anew, stored it, then posted there.
    await forgetDmChannel(bot.store.db, "slack", "U_ZHANG", "D_OLD");
    const sent = await sendTagged(toZhang, KEY);
    bot.fake.failNext("conversations.history", { error: "channel_not_found" });

    expect(await replica.findSent!(toZhang, KEY, since)).toEqual(sent);
    expect(history().map((c) => c.body.channel)).toEqual(["D_OLD", "D_OLD", dmChannelOf("U_ZHANG")]);
    expect(await storedDmChannel(bot.store.db, "slack", "U_ZHANG")).toBe(dmChannelOf("U_ZHANG"));
  });

  it("calls Slack throttling the history retryable with its Retry-After, and a channel it cannot read not", async () => {
    const since = new Date();
    await sendTagged(shop, KEY);
    bot.fake.failNext("conversations.history", { status: 429, retryAfter: 7 });
    bot.fake.failNext("conversations.history", { status: 503 });
    bot.fake.failNext("conversations.history", { error: "not_in_channel" });

    const throttled = findSent(shop, KEY, since);
    await expect(throttled).rejects.toBeInstanceOf(ChatSendError);
    await expect(throttled).rejects.toMatchObject({ platform: "slack", retryable: true, retryAfterMs: 7000 });
    await expect(findSent(shop, KEY, since)).rejects.toMatchObject({
      retryable: true,
      message: "slack: HTTP 503",
    });
    await expect(findSent(shop, KEY, since)).rejects.toMatchObject({
      retryable: false,
      message: "slack: not_in_channel",
    });
    expect(history()).toHaveLength(3);
    expect(await outboundResults(bot.metrics)).toEqual({ ok: 1, retryable: 2, failed: 1 });
  });
});
