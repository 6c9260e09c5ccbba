import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { textReply } from "../../../src/chat/reply.ts";
import { createSlackAdapter } from "../../../src/chat/slack/slack-adapter.ts";
import { silentLog } from "../../../src/log.ts";
import { createMetrics } from "../../../src/server/metrics.ts";
import { chatMemoryOf } from "../../../src/store/chat-memory.ts";
import { dmChannelOf as storedDmChannel } from "../../../src/store/dm-channel-repo.ts";
import { dmChannelOf } from "../../fakes/slack/server.ts";
import { STORE_KINDS } from "../../support/stores.ts";
import { SIGNING_SECRET, type SlackBot, startSlackBot } from "./slack-harness.ts";

const nudge = textReply("小张，昨天有 3 个会话首次响应超过 60 秒");
const toZhang = { kind: "user", userId: "U_ZHANG" } as const;

describe.each(STORE_KINDS)("Slack DM channels kept in the database (%s)", (kind) => {
  let bot: SlackBot;
  beforeEach(async () => {
    bot = await startSlackBot(kind);
  });
  afterEach(() => bot.close());

  /** Another replica, or this one after a restart: a new adapter over the same database. */
  const anotherAdapter = () =>
    createSlackAdapter(
      { mode: "http", apiUrl: bot.fake.apiUrl, signingSecret: SIGNING_SECRET, botToken: bot.fake.botToken },
      { memory: chatMemoryOf(bot.store.db), metrics: createMetrics(), log: silentLog, now: () => new Date() },
    );
  const opens = () => bot.fake.callsTo("conversations.open").length;

  it("opens a user's DM once, and a second adapter over the same database does not open it again", async () => {
    await bot.adapter.send(toZhang, nudge);
    expect(await storedDmChannel(bot.store.db, "slack", "U_ZHANG")).toBe(dmChannelOf("U_ZHANG"));

    await anotherAdapter().send(toZhang, nudge);
    expect(opens()).toBe(1);
    expect(bot.fake.messages.map((m) => m.channel)).toEqual([dmChannelOf("U_ZHANG"), dmChannelOf("U_ZHANG")]);
  });

  it("forgets a stored DM channel Slack no longer finds, opens the DM again once and sends there", async () => {
    await bot.adapter.send(toZhang, nudge);
    bot.fake.failNext("chat.postMessage", { error: "channel_not_found" });

    await anotherAdapter().send(toZhang, nudge);
    expect(opens()).toBe(2);
    expect(bot.fake.callsTo("chat.postMessage").map((c) => c.status)).toEqual([200, 200, 200]);
    expect(bot.fake.messages).toHaveLength(2);
    expect(await storedDmChannel(bot.store.db, "slack", "U_ZHANG")).toBe(dmChannelOf("U_ZHANG"));
  });

  it("does the same for an archived DM", async () => {
    await bot.adapter.send(toZhang, nudge);
    const restarted = anotherAdapter();
    bot.fake.failNext("chat.postMessage", { error: "is_archived" });
    await restarted.send(toZhang, nudge);
    expect(opens()).toBe(2);
  });

  it("does not open again a DM it has just opened, nor for other errors", async () => {
    bot.fake.failNext("chat.postMessage", { error: "channel_not_found" });
    await expect(bot.adapter.send(toZhang, nudge)).rejects.toMatchObject({ retryable: false });
    expect(opens()).toBe(1);

    bot.fake.failNext("chat.postMessage", { error: "not_in_channel" });
    await expect(anotherAdapter().send(toZhang, nudge)).rejects.toMatchObject({
      message: "slack: not_in_channel",
    });
    expect(opens()).toBe(1);
  });

  it("opens the DM of a new user once when several sends to them start together", async () => {
    await Promise.all([1, 2, 3].map(() => bot.adapter.send({ kind: "user", userId: "U_NEW01" }, nudge)));
    expect(opens()).toBe(1);
    expect(bot.fake.messages).toHaveLength(3);
  });
});
