import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChatSendError } from "../../../src/chat/adapter.ts";
import type { Reply } from "../../../src/chat/reply.ts";
import { dmChannelOf } from "../../fakes/slack/server.ts";
import { outboundResults } from "../../support/metric-counts.ts";
import { STORE_KINDS } from "../../support/stores.ts";
import { type SlackBot, startSlackBot } from "./slack-harness.ts";

const scorecard: Reply = {
  title: "小张 2026-11",
  blocks: [
    { kind: "table", head: ["指标", "得分"], rows: [["首次响应", "20.0"]], numeric: [false, true] },
    { kind: "text", text: "总分 94.6 → B" },
  ],
};

describe.each(STORE_KINDS)("the Slack adapter sending to Slack (%s)", (kind) => {
  let bot: SlackBot;
  beforeEach(async () => {
    bot = await startSlackBot(kind);
  });
  afterEach(() => bot.close());

  const outboundCounts = () => outboundResults(bot.metrics);

  it("opens a DM with a user once, posts the blocks there and updates the message in place", async () => {
    const first = await bot.adapter.send({ kind: "user", userId: "U_ZHANG" }, scorecard);
    await bot.adapter.send({ kind: "user", userId: "U_ZHANG" }, scorecard);
    expect(bot.fake.callsTo("conversations.open")).toHaveLength(1);
    const dm = dmChannelOf("U_ZHANG");
    expect(first).toEqual({ platform: "slack", ref: `${dm}:${bot.fake.messages[0]?.ts}` });
    expect(bot.fake.messages[0]).toMatchObject({
      channel: dm,
      text: "小张 2026-11",
      blocks: [{ type: "header", text: { text: "小张 2026-11" } }, { type: "section" }, { type: "section" }],
    });

    await bot.adapter.update(first, { blocks: [{ kind: "text", text: "总分 95.1 → A" }] });
    expect(bot.fake.messages[0]).toMatchObject({
      text: "总分 95.1 → A",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "总分 95.1 → A" } }],
    });
    expect(await outboundCounts()).toEqual({ ok: 4 });
  });

  it("posts to a channel by its id", async () => {
    const sent = await bot.adapter.send({ kind: "channel", id: "C0SHOP001" }, scorecard);
    expect(sent.ref).toMatch(/^C0SHOP001:\d+\.\d{6}$/);
    expect(bot.fake.callsTo("conversations.open")).toEqual([]);
  });

  it("turns a 429 into a retryable ChatSendError carrying Retry-After in milliseconds, without retrying", async () => {
    bot.fake.failNext("chat.postMessage", { status: 429, retryAfter: 7 });
    const sending = bot.adapter.send({ kind: "channel", id: "C0SHOP001" }, scorecard);
    await expect(sending).rejects.toBeInstanceOf(ChatSendError);
    await expect(sending).rejects.toMatchObject({ platform: "slack", retryable: true, retryAfterMs: 7000 });
    expect(bot.fake.callsTo("chat.postMessage")).toHaveLength(1);
    expect(await outboundCounts()).toEqual({ retryable: 1 });
  });

  it("calls Slack being down retryable and a missing channel not", async () => {
    bot.fake.failNext("chat.postMessage", { status: 503 });
    bot.fake.failNext("chat.postMessage", { error: "channel_not_found" });
    const send = () => bot.adapter.send({ kind: "channel", id: "C0GONE" }, scorecard);
    await expect(send()).rejects.toMatchObject({ retryable: true, message: "slack: HTTP 503" });
    await expect(send()).rejects.toMatchObject({ retryable: false, message: "slack: channel_not_found" });
    expect(await outboundCounts()).toEqual({ retryable: 1, failed: 1 });
  });

  it("refuses to update a message that is not Slack's", async () => {
    await expect(bot.adapter.update({ platform: "feishu", ref: "om_1" }, scorecard)).rejects.toMatchObject({
      retryable: false,
    });
    expect(bot.fake.callsTo("chat.update")).toEqual([]);
  });
});
