import { type DWClientDownStream, TOPIC_CARD, TOPIC_ROBOT } from "dingtalk-stream";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cardCallback, type RobotMessage } from "./dingtalk/frames.ts";
import { defaultApp, defaultWebhookRobot, type FakeDingTalk, startFakeDingTalk } from "./dingtalk/openapi.ts";
import { outgoingCallbackHeaders, signedWebhookUrl, webhookSign } from "./dingtalk/signing.ts";
import {
  DWClientWithGateway,
  defaultStreamApp,
  type FakeStreamGateway,
  type FakeStreamGatewayOptions,
  startFakeStreamGateway,
} from "./dingtalk/stream.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the fake Stream gateway, driven by the real DWClient of dingtalk-stream", () => {
  let gateway: FakeStreamGateway;
  let client: DWClientWithGateway;
  const received: DWClientDownStream[] = [];

  async function connect(options: FakeStreamGatewayOptions, ack: boolean) {
    gateway = await startFakeStreamGateway(options);
    client = new DWClientWithGateway({ ...defaultStreamApp, gatewayUrl: gateway.gatewayUrl });
    for (const topic of [TOPIC_ROBOT, TOPIC_CARD]) {
      client.registerCallbackListener(topic, (downstream) => {
        received.push(downstream);
        // 2.1.5 never acks a callback by itself: the listener must.
        if (ack) client.socketCallBackResponse(downstream.headers.messageId, { handled: true });
      });
    }
    await client.connect();
    await gateway.waitForConnection();
  }
  const robotMessages = () => received.map((d) => JSON.parse(d.data) as RobotMessage);

  beforeEach(() => {
    received.length = 0;
    // The SDK logs every connect, disconnect and socket error on the console.
    vi.spyOn(console, "info").mockImplementation(() => {});
    vi.spyOn(console, "warn").mockImplementation(() => {});
  });
  afterEach(async () => {
    client.disconnect();
    await gateway.close();
    vi.restoreAllMocks();
  });

  it("opens with the app's credentials and the TOPIC_ROBOT subscription, then delivers 小张's message", async () => {
    await connect({}, true);
    expect(gateway.opens[0]).toMatchObject({ clientId: defaultStreamApp.clientId, accepted: true });
    expect(gateway.opens[0]?.subscriptions).toContainEqual({ type: "CALLBACK", topic: TOPIC_ROBOT });

    const { messageId } = gateway.pushRobotMessage({ text: "我的分数", senderStaffId: "staff-xiaozhang" });
    const ack = await gateway.waitForAck(messageId);

    expect(received[0]).toMatchObject({
      specVersion: "1.0",
      type: "CALLBACK",
      headers: { messageId, topic: TOPIC_ROBOT },
    });
    expect(robotMessages()[0]).toMatchObject({ conversationType: "1", text: { content: "我的分数" } });
    expect(ack).toEqual({
      code: 200,
      headers: { contentType: "application/json", messageId },
      message: "OK",
      data: JSON.stringify({ response: { handled: true } }),
    });
  });

  it("pushes an un-acked message again under the same messageId and msgId, so the bot must dedupe", async () => {
    await connect({ redeliverAfterMs: 100, maxDeliveries: 3 }, false);
    const { messageId, message } = gateway.pushRobotMessage({ text: "本周排名", conversationType: "2" });
    await vi.waitFor(() => expect(received).toHaveLength(3));
    await sleep(250);

    expect(gateway.deliveries(messageId)).toBe(3);
    expect(received).toHaveLength(3);
    expect(new Set(received.map((d) => d.headers.messageId))).toEqual(new Set([messageId]));
    expect(new Set(robotMessages().map((m) => m.msgId))).toEqual(new Set([message.msgId]));
    expect(robotMessages()[0]).toMatchObject({ conversationType: "2", isInAtList: true });
  });

  it("stops pushing once the client acks, and carries card button presses on TOPIC_CARD", async () => {
    await connect({ redeliverAfterMs: 100 }, true);
    const press = cardCallback({ outTrackId: "appeal-42", userId: "staff-xiaozhang", actionId: "accept" });
    const messageId = gateway.pushCallback(TOPIC_CARD, press);
    await gateway.waitForAck(messageId);
    await sleep(250);

    expect(gateway.deliveries(messageId)).toBe(1);
    expect(JSON.parse(received[0]?.data ?? "")).toMatchObject({
      outTrackId: "appeal-42",
      type: "actionCallback",
    });
  });

  it("gets the SDK's echo of a ping, and sees it reconnect after a disconnect frame", async () => {
    await connect({ disconnectGraceMs: 50 }, true);
    const { sent, answer } = await gateway.ping();
    expect(answer).toEqual({ code: 200, headers: sent.headers, message: "OK", data: sent.data });

    gateway.sendDisconnect();
    // The SDK waits for the gateway to close the socket, then reconnects after its fixed 1 s.
    await vi.waitFor(() => expect(gateway.opens).toHaveLength(2), { timeout: 4000 });
    await gateway.waitForConnection();
    expect(gateway.openConnections()).toBe(1);
  });

  it("shows 2.1.5's reconnect storm: each refused handshake schedules two reconnects", async () => {
    await connect({}, true);
    let attempts = 0;
    const getEndpoint = client.getEndpoint.bind(client);
    client.getEndpoint = () => {
      attempts++;
      return getEndpoint();
    };
    // Private in the typings; shortened so the doubling shows in half a second rather than five.
    Reflect.set(client, "reconnectInterval", 100);
    gateway.refuseTickets(true);
    gateway.dropConnections();
    // Doubling makes 1+2+4+8 = 15 attempts in ~0.4 s; one retry path every 100 ms would need 1.5 s.
    await vi.waitFor(() => expect(attempts).toBeGreaterThanOrEqual(15), { timeout: 1200, interval: 20 });

    // Stopping it: no gateway first, so no attempt gets as far as _connect() (which clears userDisconnect).
    await gateway.close();
    await sleep(300);
    client.disconnect();
    await sleep(200);
    const settled = attempts;
    await sleep(300);
    expect(attempts).toBe(settled);
  });
});

describe("the fake DingTalk OpenAPI, called with fetch", () => {
  let fake: FakeDingTalk;
  beforeEach(async () => {
    fake = await startFakeDingTalk();
  });
  afterEach(() => fake.close());

  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${fake.baseUrl}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { "x-acs-dingtalk-access-token": token } : {}),
      },
      body: JSON.stringify(body),
    });
  async function token(): Promise<string> {
    const response = await post("/v1.0/oauth2/accessToken", {
      appKey: defaultApp.appKey,
      appSecret: defaultApp.appSecret,
    });
    return ((await response.json()) as { accessToken: string }).accessToken;
  }
  const digest = { title: "周报", text: "### 小张 94.6 分，B 级" };
  const batchSend = (accessToken: string) =>
    post(
      "/v1.0/robot/oToMessages/batchSend",
      {
        robotCode: defaultApp.robotCode,
        userIds: ["staff-xiaozhang"],
        msgKey: "sampleMarkdown",
        msgParam: JSON.stringify(digest),
      },
      accessToken,
    );

  it("issues a token for the app's key and secret, and records a batchSend with msgParam parsed", async () => {
    const accessToken = await token();
    const response = await batchSend(accessToken);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      processQueryKey: expect.any(String),
      invalidStaffIdList: [],
    });
    expect(fake.callsTo("/v1.0/oauth2/accessToken")[0]?.response).toEqual({ accessToken, expireIn: 7200 });
    const [call] = fake.callsTo("/v1.0/robot/oToMessages/batchSend");
    expect(call).toMatchObject({ method: "POST", status: 200, msgParam: digest });
    expect(call?.headers["x-acs-dingtalk-access-token"]).toBe(accessToken);
    expect(await token()).toBe(accessToken);
  });

  it("takes action cards of one to five buttons and refuses six, as DingTalk has no template for it", async () => {
    const accessToken = await token();
    const card = (buttons: number) => {
      const param: Record<string, string> = { title: "t", text: "x" };
      for (let i = 1; i <= buttons; i++) {
        param[`actionTitle${i}`] = `b${i}`;
        param[`actionURL${i}`] = "dtmd://dingtalkclient/sendMessage?content=x";
      }
      return post(
        "/v1.0/robot/oToMessages/batchSend",
        {
          robotCode: defaultApp.robotCode,
          userIds: ["staff-xiaozhang"],
          msgKey: `sampleActionCard${buttons}`,
          msgParam: JSON.stringify(param),
        },
        accessToken,
      );
    };
    expect((await card(5)).status).toBe(200);
    const six = await card(6);
    expect(six.status).toBe(400);
    expect(await six.json()).toMatchObject({ code: "invalidParameter.msgKey.invalid" });
  });

  it("answers a wrong secret, a missing token and an expired one as DingTalk does", async () => {
    const wrong = await post("/v1.0/oauth2/accessToken", { appKey: defaultApp.appKey, appSecret: "nope" });
    expect(wrong.status).toBe(400);
    const accessToken = await token();
    fake.expireTokens();
    const expired = await batchSend(accessToken);
    expect(expired.status).toBe(400);
    expect(await expired.json()).toMatchObject({
      code: "InvalidAuthentication",
      message: "不合法的access_token",
    });
  });

  it("sends an action card to a group and updates an interactive card", async () => {
    const accessToken = await token();
    const card = {
      title: "申诉",
      text: "小张申诉差评 #42",
      singleTitle: "处理",
      singleURL: "https://example.com/42",
    };
    const group = await post(
      "/v1.0/robot/groupMessages/send",
      {
        robotCode: defaultApp.robotCode,
        openConversationId: "cidGroup1==",
        msgKey: "sampleActionCard",
        msgParam: JSON.stringify(card),
      },
      accessToken,
    );
    const update = await fetch(`${fake.baseUrl}/v1.0/card/instances`, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-acs-dingtalk-access-token": accessToken },
      body: JSON.stringify({ outTrackId: "appeal-42", cardData: { cardParamMap: { status: "accepted" } } }),
    });

    expect(await group.json()).toEqual({ processQueryKey: expect.any(String) });
    expect(fake.callsTo("/v1.0/robot/groupMessages/send")[0]?.msgParam).toEqual(card);
    expect(await update.json()).toEqual({ success: true, result: true });
  });

  it("answers 429, then 500, then the real thing when told to fail the next two calls", async () => {
    const accessToken = await token();
    fake.failNext("/v1.0/robot/oToMessages/batchSend", { status: 429 });
    fake.failNext("/v1.0/robot/oToMessages/batchSend", { status: 500 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await batchSend(accessToken)).status);

    expect(statuses).toEqual([429, 500, 200]);
    expect(fake.callsTo("/v1.0/robot/oToMessages/batchSend").map((c) => c.response)).toMatchObject([
      { code: "Throttling" },
      { code: "ServiceUnavailable" },
      { processQueryKey: expect.any(String) },
    ]);
  });
});

describe("the fake custom group robot webhook", () => {
  const { accessToken, secret = "" } = defaultWebhookRobot;
  let now = 1_700_000_000_000;
  let fake: FakeDingTalk;
  beforeEach(async () => {
    now = 1_700_000_000_000;
    fake = await startFakeDingTalk({ clock: () => now });
  });
  afterEach(() => fake.close());

  const send = async (url: string) => {
    const body = { msgtype: "markdown", markdown: { title: "日报", text: "### 今日客服 KPI" } };
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      answer: (await response.json()) as { errcode: number; errmsg: string },
    };
  };

  it("signs as DingTalk does: base64 HMAC-SHA256 of timestamp\\nsecret, URL-encoded in the webhook", () => {
    // Computed with `printf '1700000000000\nSECkpi-digest' | openssl dgst -sha256 -hmac SECkpi-digest -binary | base64`.
    expect(webhookSign("SECkpi-digest", 1_700_000_000_000)).toBe(
      encodeURIComponent("3ijx1rtjLR1Ala63+ZnueU5W2tLmoKtG8rV8g3fsQ0M="),
    );
    expect(outgoingCallbackHeaders("kpi-bot-app-secret", 1_700_000_000_000)).toEqual({
      timestamp: "1700000000000",
      sign: "zkzVEDJp1mhzjFhvH/YNUn7Fd55S+Byqcl1N1Kbnw8s=",
    });
  });

  it("accepts a correct sign, and refuses a wrong one, a bare '+', a stale timestamp and an unknown token", async () => {
    const url = signedWebhookUrl(fake.baseUrl, accessToken, secret, now);
    expect(await send(url)).toEqual({ status: 200, answer: { errcode: 0, errmsg: "ok" } });
    expect(fake.callsTo("/robot/send")[0]?.body).toMatchObject({ msgtype: "markdown" });

    const wrong = signedWebhookUrl(fake.baseUrl, accessToken, "SECsomething-else", now);
    expect((await send(wrong)).answer).toMatchObject({
      errcode: 310000,
      errmsg: expect.stringContaining("sign not match"),
    });
    // This sign holds a "+": sent unencoded, it arrives as a space.
    const bare = `${fake.baseUrl}/robot/send?access_token=${accessToken}&timestamp=${now}&sign=${decodeURIComponent(webhookSign(secret, now))}`;
    expect((await send(bare)).answer).toMatchObject({ errcode: 310000 });
    const stale = signedWebhookUrl(fake.baseUrl, accessToken, secret, now - 61 * 60 * 1000);
    expect((await send(stale)).answer).toMatchObject({
      errcode: 310000,
      errmsg: expect.stringContaining("timestamp"),
    });
    const unknown = signedWebhookUrl(fake.baseUrl, "no-such-robot", secret, now);
    expect((await send(unknown)).answer).toMatchObject({ errcode: 300001 });
  });

  it("answers 130101 to the 21st message in a minute and stays silent for 10 minutes", async () => {
    const answers = [];
    for (let i = 0; i < 21; i++) {
      now += 1000;
      answers.push((await send(signedWebhookUrl(fake.baseUrl, accessToken, secret, now))).answer.errcode);
    }
    expect(answers.slice(0, 20)).toEqual(Array(20).fill(0));
    expect(answers[20]).toBe(130101);

    now += 2 * 60 * 1000;
    expect((await send(signedWebhookUrl(fake.baseUrl, accessToken, secret, now))).answer.errcode).toBe(
      130101,
    );
    now += 10 * 60 * 1000;
    expect((await send(signedWebhookUrl(fake.baseUrl, accessToken, secret, now))).answer).toEqual({
      errcode: 0,
      errmsg: "ok",
    });
  });
});
