import type { AddressInfo } from "node:net";
import { App, LogLevel, webApi } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dmChannelOf, type FakeSlack, startFakeSlack } from "./slack/server.ts";
import {
  asSlackRetry,
  eventCallbackRequest,
  interactionRequest,
  type SlackRequest,
  signSlackRequest,
  slashCommandRequest,
  urlVerificationRequest,
} from "./slack/signing.ts";
import { fakeWorkspace } from "./slack/workspace.ts";

const signingSecret = "kpi-bot-test-signing-secret";
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe("signing Slack's way", () => {
  it("reproduces the worked example of Slack's 'Verifying requests' page byte for byte", () => {
    const request = slashCommandRequest(
      {
        token: "xyzz0WbapA4vBCDEFasx0q6G",
        team_id: "T1DC2JH3J",
        team_domain: "testteamnow",
        channel_id: "G8PSS9T3V",
        channel_name: "foobar",
        user_id: "U2CERLKJA",
        user_name: "roadrunner",
        command: "/webhook-collect",
        text: "",
        response_url: "https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN",
        trigger_id: "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
      },
      "8f742231b10e8888abcd99yyyzzz85a5",
      new Date(1531420618 * 1000),
    );
    expect(request.body).toBe(
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V" +
        "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=" +
        "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN" +
        "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
    );
    expect(request.headers).toMatchObject({
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": "1531420618",
      "x-slack-signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    });
    expect(signSlackRequest(request.body, "8f742231b10e8888abcd99yyyzzz85a5", 1531420618)).toEqual({
      "x-slack-signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
      "x-slack-request-timestamp": "1531420618",
    });
  });
});

describe("a Bolt app served by the fake Slack", () => {
  let fake: FakeSlack;
  let app: App;
  let eventsUrl: string;
  let handled: string[];
  let handlerFinished: Promise<void>;

  beforeEach(async () => {
    fake = await startFakeSlack();
    handled = [];
    let finish = () => {};
    handlerFinished = new Promise((resolve) => {
      finish = resolve;
    });
    app = new App({
      token: fake.botToken,
      signingSecret,
      clientOptions: { slackApiUrl: fake.apiUrl },
      logLevel: LogLevel.ERROR,
      // Otherwise the constructor fires auth.test and a failure is an unhandled rejection.
      deferInitialization: true,
    });
    await app.init();
    app.command("/kpi", async ({ command, ack, respond, client }) => {
      await ack();
      handled.push(`command ${command.text}`);
      await respond({ response_type: "ephemeral", text: `Working out ${command.text}…` });
      await client.chat.postMessage({ channel: command.user_id, text: "小张: 94.6, grade B" });
      finish();
    });
    app.action("kpi_details", async ({ ack, body }) => {
      await ack();
      handled.push(`action by ${body.user.id}`);
      finish();
    });
    app.event("app_mention", async ({ event, context }) => {
      handled.push(`mention "${event.text}" retry ${context.retryNum} ${context.retryReason}`);
      finish();
    });
    const server = await app.start({ port: 0, host: "127.0.0.1" });
    eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterEach(async () => {
    await app.stop();
    await fake.close();
  });

  const send = (request: SlackRequest) =>
    fetch(eventsUrl, { method: "POST", headers: request.headers, body: request.body });

  const kpiMe = (now = new Date(), secret = signingSecret) =>
    slashCommandRequest(
      {
        command: "/kpi",
        text: "me",
        user_id: "U0AGENT01",
        user_name: "xiaozhang",
        team_id: fakeWorkspace.teamId,
        channel_id: "C0SHOP001",
        response_url: fake.responseUrl("kpi-me"),
        trigger_id: "1337.42.abcdef",
      },
      secret,
      now,
    );

  it("acks a signed /kpi me, answers on the response_url and posts in the agent's DM", async () => {
    const response = await send(kpiMe());
    expect(response.status).toBe(200);
    await handlerFinished;
    expect(handled).toEqual(["command me"]);
    expect(fake.responses("kpi-me")).toEqual([{ response_type: "ephemeral", text: "Working out me…" }]);
    const [post] = fake.callsTo("chat.postMessage");
    expect(post?.body).toMatchObject({ channel: "U0AGENT01", text: "小张: 94.6, grade B" });
    expect(post?.headers.authorization).toBe(`Bearer ${fake.botToken}`);
    expect(fake.messages).toMatchObject([{ channel: dmChannelOf("U0AGENT01"), text: "小张: 94.6, grade B" }]);
    expect(fake.callsTo("auth.test")).toHaveLength(1);
  });

  it("refuses a forged signature and a request signed more than 5 minutes ago with 401, running nothing", async () => {
    expect((await send(kpiMe(new Date(), "not-the-secret"))).status).toBe(401);
    const spliced = kpiMe();
    expect((await send({ ...spliced, body: spliced.body.replace("text=me", "text=all") })).status).toBe(401);
    expect((await send(kpiMe(minutesAgo(5.1)))).status).toBe(401);
    expect(handled).toEqual([]);
    expect(fake.responses("kpi-me")).toEqual([]);
    expect(fake.callsTo("chat.postMessage")).toEqual([]);
    expect((await send(kpiMe(minutesAgo(4)))).status).toBe(200);
    await handlerFinished;
  });

  it("gets 400 from Bolt when a form body says '; charset=utf-8', which is why the helpers never do", async () => {
    const request = kpiMe();
    const labelled = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
    expect((await send({ ...request, headers: { ...request.headers, ...labelled } })).status).toBe(400);
    expect(handled).toEqual([]);
  });

  it("delivers a button click and a retried mention to their listeners", async () => {
    const click = { type: "block_actions", user: { id: "U0AGENT01" }, team: { id: fakeWorkspace.teamId } };
    const actions = [{ type: "button", action_id: "kpi_details", block_id: "b1", value: "2026-02" }];
    const clicked = interactionRequest(
      { ...click, api_app_id: fakeWorkspace.appId, actions },
      signingSecret,
      new Date(),
    );
    expect((await send(clicked)).status).toBe(200);
    await handlerFinished;

    const mention = {
      type: "app_mention",
      user: "U0AGENT01",
      text: "<@U0KPIBOT1> kpi",
      channel: "C0SHOP001",
    };
    const first = eventCallbackRequest(
      mention,
      { eventId: "Ev01", eventTime: 1_770_000_000 },
      signingSecret,
      new Date(),
    );
    expect((await send(asSlackRetry(first, 1, "http_timeout"))).status).toBe(200);
    await expect
      .poll(() => handled)
      .toEqual(["action by U0AGENT01", 'mention "<@U0KPIBOT1> kpi" retry 1 http_timeout']);
  });

  it("answers Slack's URL handshake with the challenge", async () => {
    const response = await send(urlVerificationRequest("3eZbrw1aBm2rZgRNFdx", signingSecret, new Date()));
    expect(await response.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdx" });
  });
});

describe("a WebClient talking to the fake Slack", () => {
  let fake: FakeSlack;
  // Our delivery code owns retries: web-api's default policy keeps retrying for about 30 minutes.
  const clientOf = (token: string) =>
    new webApi.WebClient(token, {
      slackApiUrl: fake.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      logLevel: webApi.LogLevel.ERROR,
    });

  beforeEach(async () => {
    fake = await startFakeSlack({
      users: [
        { id: "U0AGENT01", name: "xiaozhang", real_name: "小张", tz: "Asia/Shanghai", locale: "zh-CN" },
      ],
    });
  });
  afterEach(() => fake.close());

  it("refuses blocks over Slack's limits with invalid_blocks: 26 buttons in a row, 51 blocks", async () => {
    const client = clientOf(fake.botToken);
    const button = (i: number) => ({
      type: "button" as const,
      action_id: `a${i}`,
      text: { type: "plain_text" as const, text: `b${i}` },
    });
    const row = (n: number) => ({
      type: "actions" as const,
      elements: Array.from({ length: n }, (_, i) => button(i)),
    });
    await expect(
      client.chat.postMessage({ channel: "C0SHOP001", text: "x", blocks: [row(25)] }),
    ).resolves.toMatchObject({
      ok: true,
    });
    await expect(
      client.chat.postMessage({ channel: "C0SHOP001", text: "x", blocks: [row(26)] }),
    ).rejects.toMatchObject({
      data: { error: "invalid_blocks" },
    });
    const many = Array.from({ length: 51 }, () => ({
      type: "section" as const,
      text: { type: "mrkdwn" as const, text: "x" },
    }));
    await expect(
      client.chat.postMessage({ channel: "C0SHOP001", text: "x", blocks: many }),
    ).rejects.toMatchObject({
      data: { error: "invalid_blocks" },
    });
  });

  it("surfaces a 429 as a rate-limited error carrying Slack's Retry-After, then lets the next call through", async () => {
    const client = clientOf(fake.botToken);
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 7 });
    const throttled = client.chat.postMessage({ channel: "C0SHOP001", text: "digest" });
    await expect(throttled).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 7 });
    await expect(client.chat.postMessage({ channel: "C0SHOP001", text: "digest" })).resolves.toMatchObject({
      ok: true,
      channel: "C0SHOP001",
    });
    expect(fake.callsTo("chat.postMessage").map((c) => c.status)).toEqual([429, 200]);
  });

  it("surfaces a 500 as an HTTP error at once, and an API error in a 200 as a platform error", async () => {
    const client = clientOf(fake.botToken);
    fake.failNext("chat.postMessage", { status: 500 });
    fake.failNext("chat.postMessage", { error: "channel_not_found" });
    const post = () => client.chat.postMessage({ channel: "C0SHOP001", text: "digest" });
    await expect(post()).rejects.toMatchObject({ code: webApi.ErrorCode.HTTPError, statusCode: 500 });
    await expect(post()).rejects.toMatchObject({
      code: webApi.ErrorCode.PlatformError,
      data: { error: "channel_not_found" },
    });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(2);
  });

  it("refuses a wrong token with invalid_auth", async () => {
    await expect(clientOf("xoxb-wrong").auth.test()).rejects.toMatchObject({
      data: { error: "invalid_auth" },
    });
  });

  it("opens a DM, posts blocks, updates them, and whispers an ephemeral", async () => {
    const client = clientOf(fake.botToken);
    const opened = await client.conversations.open({ users: "U0AGENT01" });
    const dm = opened.channel?.id ?? "";
    expect(dm).toBe(dmChannelOf("U0AGENT01"));
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*94.6* (B)" } }];
    const posted = await client.chat.postMessage({ channel: dm, text: "94.6 (B)", blocks });
    expect(fake.callsTo("chat.postMessage")[0]?.body.blocks).toEqual(blocks);
    await client.chat.update({ channel: dm, ts: posted.ts ?? "", text: "95.1 (A)" });
    expect(fake.messages).toMatchObject([{ channel: dm, ts: posted.ts, text: "95.1 (A)", blocks }]);
    const whisper = await client.chat.postEphemeral({
      channel: "C0SHOP001",
      user: "U0AGENT01",
      text: "only you",
    });
    expect(whisper.message_ts).toMatch(/^\d+\.\d{6}$/);
    await expect(client.chat.update({ channel: dm, ts: "1.000000", text: "x" })).rejects.toMatchObject({
      data: { error: "message_not_found" },
    });
  });

  it("tells a user's time zone, and the locale only when asked, as Slack does", async () => {
    const client = clientOf(fake.botToken);
    const plain = await client.users.info({ user: "U0AGENT01" });
    expect(plain.user).toMatchObject({ tz: "Asia/Shanghai", tz_offset: 8 * 3600, real_name: "小张" });
    expect(plain.user?.locale).toBeUndefined();
    const withLocale = await client.users.info({ user: "U0AGENT01", include_locale: true });
    expect(withLocale.user?.locale).toBe("zh-CN");
  });

  it("records what reaches a response_url, and fails one when told to", async () => {
    const respond = (text: string) =>
      fetch(fake.responseUrl("r1"), { method: "POST", body: JSON.stringify({ text }) });
    fake.failNext("response_url", { status: 500 });
    expect((await respond("lost")).status).toBe(500);
    expect((await respond("kept")).status).toBe(200);
    expect(fake.responses("r1")).toEqual([{ text: "kept" }]);
  });

  it("accepts a JSON body with the token in the Authorization header", async () => {
    const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        authorization: `Bearer ${fake.botToken}`,
      },
      body: JSON.stringify({ channel: "C0SHOP001", text: "json", blocks: [] }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: "C0SHOP001" });
    expect(fake.calls.at(-1)?.body).toEqual({ channel: "C0SHOP001", text: "json", blocks: [] });
  });
});
