import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dmChannelOf } from "../../fakes/slack/server.ts";
import {
  asSlackRetry,
  eventCallbackRequest,
  interactionRequest,
  type SlackRequest,
  slashCommandRequest,
  urlVerificationRequest,
} from "../../fakes/slack/signing.ts";
import { fakeWorkspace } from "../../fakes/slack/workspace.ts";
import { STORE_KINDS } from "../../support/stores.ts";
import { SIGNING_SECRET, type SlackBot, startSlackBot } from "./slack-harness.ts";

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);

describe.each(STORE_KINDS)("the Slack adapter receiving from Slack (%s)", (kind) => {
  let bot: SlackBot;
  beforeEach(async () => {
    bot = await startSlackBot(kind);
  });
  afterEach(() => bot.close());

  const kpi = (userId: string, text: string, responseId: string, at = new Date(), secret = SIGNING_SECRET) =>
    slashCommandRequest(
      {
        command: "/kpi",
        text,
        user_id: userId,
        user_name: userId.toLowerCase(),
        team_id: fakeWorkspace.teamId,
        channel_id: "C0SHOP001",
        response_url: bot.fake.responseUrl(responseId),
        trigger_id: `trigger-${responseId}`,
      },
      secret,
      at,
    );

  const answerTo = async (responseId: string) => {
    await expect.poll(() => bot.fake.responses(responseId)).toHaveLength(1);
    return bot.fake.responses(responseId)[0] as { response_type: string; text: string; blocks: unknown[] };
  };

  it("answers a signed `/kpi me last-month` from 小张 in the ack itself with his scorecard (94.6 → B)", async () => {
    const response = await bot.deliver(kpi("U_ZHANG", "me last-month", "zhang-me"));
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { response_type: string; blocks: unknown[] };
    expect(answer.response_type).toBe("in_channel");
    expect(answer.blocks[0]).toMatchObject({ type: "header" });
    const shown = JSON.stringify(answer.blocks);
    expect(shown).toContain("总分 94.6 → B");
    expect(shown).toContain("组内排名：第 1 名（共 2 人）");
    expect(bot.fake.responses("zhang-me")).toEqual([]);
    expect(await bot.outcomes()).toEqual({ handled: 1 });
    // Bolt asked who the bot is once, at start-up, not once per request.
    expect(bot.fake.callsTo("auth.test")).toHaveLength(1);
  });

  it("acks empty within Slack's 3 s when the answer is not ready in time, then posts it to the response_url", async () => {
    await bot.close();
    bot = await startSlackBot(kind, { inlineAnswerMs: 0 });
    const response = await bot.deliver(kpi("U_ZHANG", "me last-month", "zhang-slow"));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    const answer = await answerTo("zhang-slow");
    expect(answer.response_type).toBe("in_channel");
    expect(JSON.stringify(answer.blocks)).toContain("总分 94.6 → B");
  });

  it("answers 小李's `agent 小张 2026-11` with a refusal only he sees", async () => {
    const response = await bot.deliver(kpi("U_LI", "agent 小张 2026-11", "li-asks"));
    const answer = (await response.json()) as { response_type: string; blocks: unknown[] };
    expect(answer.response_type).toBe("ephemeral");
    expect(JSON.stringify(answer.blocks)).toContain("你没有权限查看 小张");
    expect(JSON.stringify(answer.blocks)).not.toContain("94.6");
  });

  it("reads a form body labelled '; charset=utf-8', which Bolt alone would refuse with 400", async () => {
    const request = kpi("U_ZHANG", "me last-month", "charset");
    const labelled = {
      ...request.headers,
      "content-type": "application/x-www-form-urlencoded; charset=utf-8",
    };
    const response = await bot.deliver({ ...request, headers: labelled });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("94.6");
  });

  it("refuses a forged signature, a stale timestamp and one from the future with 401, posting nothing", async () => {
    const forged = kpi("U_ZHANG", "me last-month", "forged", new Date(), "not-the-secret");
    expect((await bot.deliver(forged)).status).toBe(401);
    const genuine = kpi("U_ZHANG", "me", "spliced");
    const spliced: SlackRequest = { ...genuine, body: genuine.body.replace("U_ZHANG", "U_BOSS") };
    expect((await bot.deliver(spliced)).status).toBe(401);
    expect((await bot.deliver(kpi("U_ZHANG", "me", "stale", minutesFromNow(-6)))).status).toBe(401);
    expect((await bot.deliver(kpi("U_ZHANG", "me", "future", minutesFromNow(6)))).status).toBe(401);
    // No signature headers at all: unsigned, counted as a bad signature, not as late.
    const unsigned = kpi("U_ZHANG", "me", "unsigned");
    expect(
      (await bot.deliver({ ...unsigned, headers: { "content-type": "application/x-www-form-urlencoded" } }))
        .status,
    ).toBe(401);
    expect(await bot.outcomes()).toEqual({ bad_signature: 3, stale: 2 });
    for (const id of ["forged", "spliced", "stale", "future", "unsigned"])
      expect(bot.fake.responses(id)).toEqual([]);
    expect(bot.fake.calls.map((c) => c.method)).toEqual(["auth.test"]);
  });

  it("acts once on an @mention Slack delivers twice (the retry carries X-Slack-Retry-Num), acking both", async () => {
    const mention = eventCallbackRequest(
      {
        type: "app_mention",
        user: "U_ZHANG",
        text: "<@U0KPIBOT1> kpi me last-month",
        channel: "C0SHOP001",
        ts: "1.1",
      },
      { eventId: "Ev0MENTION1", eventTime: Math.floor(Date.now() / 1000) },
      SIGNING_SECRET,
      new Date(),
    );
    expect((await bot.deliver(mention)).status).toBe(200);
    expect((await bot.deliver(asSlackRetry(mention, 1, "http_timeout"))).status).toBe(200);
    await expect.poll(() => bot.outcomes()).toEqual({ handled: 1, duplicate: 1 });
    const posts = bot.fake.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.channel).toBe("C0SHOP001");
    expect(JSON.stringify(posts[0]?.body.blocks)).toContain("总分 94.6 → B");
  });

  it("answers a direct message in the DM, and not bots (itself included) or edits", async () => {
    const at = Math.floor(Date.now() / 1000);
    const dm = dmChannelOf("U_ZHANG");
    const inDm = { type: "message", channel_type: "im", channel: dm };
    const events = [
      { ...inDm, user: "U0KPIBOT1", bot_id: fakeWorkspace.botId, text: "me" },
      { ...inDm, user: "U0OTHERBOT", bot_id: "B0OTHERBOT", text: "me" },
      { ...inDm, subtype: "message_changed", message: { text: "me" } },
      { ...inDm, user: "U_ZHANG", text: "me last-month", ts: "2.2" },
    ];
    for (const [i, event] of events.entries()) {
      const request = eventCallbackRequest(
        event,
        { eventId: `Ev0DM${i}`, eventTime: at },
        SIGNING_SECRET,
        new Date(),
      );
      expect((await bot.deliver(request)).status).toBe(200);
    }
    // Stopping waits for the listeners still running after their acks.
    await bot.adapter.stop();
    // Bolt drops the bot's own message before any listener (its ignoreSelf middleware).
    expect(await bot.outcomes()).toEqual({ handled: 1, ignored: 2 });
    expect(bot.fake.messages).toHaveLength(1);
    expect(bot.fake.messages[0]?.channel).toBe(dm);
    expect(JSON.stringify(bot.fake.messages[0]?.blocks)).toContain("组内排名：第 1 名（共 2 人）");
  });

  it("hands a button click to the click handler with the clicker, then replaces the message", async () => {
    const click = interactionRequest(
      {
        type: "block_actions",
        api_app_id: fakeWorkspace.appId,
        team: { id: fakeWorkspace.teamId },
        user: { id: "U_BOSS" },
        channel: { id: "C0SHOP001" },
        message: { ts: "1700000000.000100", text: "a follow-up" },
        trigger_id: "trigger-click-1",
        response_url: bot.fake.responseUrl("click"),
        actions: [
          { type: "button", action_id: "test:contacted", block_id: "b1", value: "case-42", action_ts: "1.5" },
        ],
      },
      SIGNING_SECRET,
      new Date(),
    );
    expect((await bot.deliver(click)).status).toBe(200);
    const answer = await answerTo("click");
    expect(bot.clicks).toEqual([
      {
        caller: { platform: "slack", userId: "U_BOSS" },
        actionId: "test:contacted",
        value: "case-42",
        message: { platform: "slack", ref: "C0SHOP001:1700000000.000100" },
      },
    ]);
    expect(answer).toMatchObject({ replace_original: true, text: "clicked case-42" });
  });

  it("echoes the challenge of Slack's URL verification", async () => {
    const response = await bot.deliver(
      urlVerificationRequest("3eZbrw1aBm2rZgRNFdx", SIGNING_SECRET, new Date()),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdx" });
  });
});
