import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dmChannelOf } from "../../fakes/slack/server.ts";
import { STORE_KINDS } from "../../support/stores.ts";
import { CHART_ALT, chartPng, isTheChart, weeklyDigest } from "../chart-reply.ts";
import { type SlackBot, startSlackBot } from "./slack-harness.ts";

describe.each(STORE_KINDS)("a digest with its trend chart, sent to Slack (%s)", (kind) => {
  let bot: SlackBot;
  beforeEach(async () => {
    bot = await startSlackBot(kind);
  });
  afterEach(() => bot.close());

  // What the send called, after the adapter's start-up auth.test.
  const methods = () => bot.fake.calls.map((c) => c.method).filter((m) => m !== "auth.test");

  it("uploads the chart, posts the text, then shares the chart as a file in the same channel", async () => {
    const sent = await bot.adapter.send({ kind: "channel", id: "C0SHOP001" }, weeklyDigest());

    expect(methods()).toEqual([
      "files.getUploadURLExternal",
      "upload_url",
      "chat.postMessage",
      "files.completeUploadExternal",
    ]);
    const [upload] = bot.fake.uploads();
    expect(upload).toMatchObject({
      filename: "chart-1.png",
      declaredLength: chartPng().length,
      alt: CHART_ALT,
      title: CHART_ALT,
      channel: "C0SHOP001",
    });
    expect(isTheChart(upload?.bytes)).toBe(true);
    // Text first, the picture below it; the text message no longer carries the alt text.
    const [text, picture] = bot.fake.messages;
    expect(sent.ref).toBe(`C0SHOP001:${text?.ts}`);
    expect(text?.blocks).toMatchObject([{ type: "header" }, { type: "section" }, { type: "context" }]);
    expect(JSON.stringify(text?.blocks)).not.toContain(CHART_ALT);
    expect(picture).toMatchObject({ channel: "C0SHOP001", files: [upload?.fileId] });
  });

  it("shares a direct message's chart into the DM channel, not to the user id", async () => {
    await bot.adapter.send({ kind: "user", userId: "U_ZHANG" }, weeklyDigest());
    expect(bot.fake.uploads()[0]?.channel).toBe(dmChannelOf("U_ZHANG"));
    expect(bot.fake.callsTo("files.completeUploadExternal")[0]?.body).toMatchObject({
      channel_id: dmChannelOf("U_ZHANG"),
    });
  });

  it("posts nothing when the upload fails, so the outbox's repeat posts the digest once", async () => {
    bot.fake.failNext("upload_url", { status: 503 });
    const to = { kind: "channel", id: "C0SHOP001" } as const;
    await expect(bot.adapter.send(to, weeklyDigest())).rejects.toMatchObject({ retryable: true });
    expect(bot.fake.messages).toEqual([]);

    await bot.adapter.send(to, weeklyDigest());
    expect(bot.fake.messages.map((m) => (m.files ? "chart" : "text"))).toEqual(["text", "chart"]);
    // The first attempt's file was asked for but never finished: it stays private, shared nowhere.
    expect(bot.fake.uploads().map((u) => u.channel)).toEqual([undefined, "C0SHOP001"]);
  });

  it("calls Slack throttling the upload retryable, with its Retry-After", async () => {
    bot.fake.failNext("files.getUploadURLExternal", { status: 429, retryAfter: 3 });
    const sending = bot.adapter.send({ kind: "channel", id: "C0SHOP001" }, weeklyDigest());
    await expect(sending).rejects.toMatchObject({ retryable: true, retryAfterMs: 3000 });
    expect(bot.fake.messages).toEqual([]);
  });

  it("posts the text a second time when sharing the chart fails after it (the window that remains)", async () => {
    bot.fake.failNext("files.completeUploadExternal", { status: 500 });
    const to = { kind: "channel", id: "C0SHOP001" } as const;
    await expect(bot.adapter.send(to, weeklyDigest())).rejects.toMatchObject({ retryable: true });
    await bot.adapter.send(to, weeklyDigest());
    expect(bot.fake.messages.map((m) => (m.files ? "chart" : "text"))).toEqual(["text", "text", "chart"]);
  });

  it("updates the text of a sent digest and leaves its chart as it is", async () => {
    const sent = await bot.adapter.send({ kind: "channel", id: "C0SHOP001" }, weeklyDigest());
    const revised = weeklyDigest();
    revised.blocks[0] = { kind: "text", text: "平均分 95.8（已修订）" };
    await bot.adapter.update(sent, revised);

    expect(bot.fake.messages[0]?.blocks).toMatchObject([
      { type: "header" },
      { type: "section", text: { text: "平均分 95.8（已修订）" } },
      { type: "context" },
    ]);
    expect(bot.fake.callsTo("files.getUploadURLExternal")).toHaveLength(1);
  });
});
