import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatMemory } from "../../../src/chat/adapter.ts";
import { createDingTalkAdapter, type DingTalkAdapter } from "../../../src/chat/dingtalk/dingtalk-adapter.ts";
import { dingtalkConfigSchema } from "../../../src/chat/dingtalk/dingtalk-config.ts";
import { silentLog } from "../../../src/log.ts";
import { createMetrics } from "../../../src/server/metrics.ts";
import {
  defaultApp,
  defaultWebhookRobot,
  type FakeDingTalk,
  startFakeDingTalk,
} from "../../fakes/dingtalk/openapi.ts";
import { CHART_ALT, isTheChart, weeklyDigest } from "../chart-reply.ts";

const TOKEN = "/v1.0/oauth2/accessToken";
const UPLOAD = "/media/upload";
const BATCH = "/v1.0/robot/oToMessages/batchSend";
const GROUP = "/v1.0/robot/groupMessages/send";

describe("a digest with its trend chart, sent by DingTalk's enterprise robot", () => {
  let fake: FakeDingTalk;
  let adapter: DingTalkAdapter;
  beforeEach(async () => {
    fake = await startFakeDingTalk();
    // The fake stands in for both api.dingtalk.com and oapi.dingtalk.com.
    const config = dingtalkConfigSchema.parse({ apiUrl: fake.baseUrl, oapiUrl: fake.baseUrl });
    adapter = createDingTalkAdapter(
      { ...config, clientId: defaultApp.appKey, clientSecret: defaultApp.appSecret },
      // Sending never reads the database.
      { memory: {} as ChatMemory, metrics: createMetrics(), log: silentLog, now: () => new Date() },
    );
  });
  afterEach(() => fake.close());

  const paths = () => fake.calls.map((c) => c.path);

  it("uploads the chart with media/upload, sends the markdown, then the chart as a sampleImageMsg", async () => {
    const sent = await adapter.send({ kind: "channel", id: "cidGroupOne==" }, weeklyDigest());

    expect(paths()).toEqual([TOKEN, UPLOAD, GROUP, GROUP]);
    const [upload] = fake.callsTo(UPLOAD);
    const token = (fake.callsTo(TOKEN)[0]!.response as { accessToken: string }).accessToken;
    expect(upload?.query).toEqual({ access_token: token, type: "image" });
    const mediaId = (upload!.response as { media_id: string }).media_id;
    expect(fake.media.get(mediaId)).toMatchObject({
      type: "image",
      filename: "chart.png",
      appKey: defaultApp.appKey,
    });
    expect(isTheChart(fake.media.get(mediaId)?.bytes)).toBe(true);

    const [markdown, picture] = fake.callsTo(GROUP);
    expect(markdown?.body).toMatchObject({ msgKey: "sampleMarkdown" });
    expect((markdown!.msgParam as { text: string }).text).not.toContain(CHART_ALT);
    expect(picture?.body).toMatchObject({ msgKey: "sampleImageMsg", openConversationId: "cidGroupOne==" });
    expect(picture?.msgParam).toEqual({ photoURL: mediaId });
    expect(picture?.status).toBe(200);
    expect(sent.ref).toBe((markdown!.response as { processQueryKey: string }).processQueryKey);
  });

  it("sends a person's chart 1:1 with batchSend", async () => {
    await adapter.send({ kind: "user", userId: "staff_zhang" }, weeklyDigest());
    expect(fake.callsTo(BATCH).map((c) => (c.body as { msgKey: string }).msgKey)).toEqual([
      "sampleMarkdown",
      "sampleImageMsg",
    ]);
    expect(fake.callsTo(BATCH)[1]?.body).toMatchObject({ userIds: ["staff_zhang"] });
  });

  it("posts nothing when the upload fails, so the outbox's repeat sends the digest once", async () => {
    fake.failNext(UPLOAD, { status: 503 });
    await expect(
      adapter.send({ kind: "channel", id: "cidGroupOne==" }, weeklyDigest()),
    ).rejects.toMatchObject({
      platform: "dingtalk",
      retryable: true,
    });
    expect(fake.callsTo(GROUP)).toEqual([]);

    await adapter.send({ kind: "channel", id: "cidGroupOne==" }, weeklyDigest());
    expect(fake.callsTo(GROUP)).toHaveLength(2);
  });

  it("calls DingTalk's busy answer (errcode -1) retryable and a refused file not", async () => {
    fake.failNext(UPLOAD, { status: 200, body: { errcode: -1, errmsg: "系统繁忙" } });
    fake.failNext(UPLOAD, { status: 200, body: { errcode: 40005, errmsg: "不合法的文件类型" } });
    const send = () => adapter.send({ kind: "channel", id: "cidGroupOne==" }, weeklyDigest());
    await expect(send()).rejects.toMatchObject({ retryable: true });
    await expect(send()).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining("40005"),
    });
  });

  it("fetches a new token once when oapi refuses the one it has, and uploads with it", async () => {
    await adapter.send({ kind: "channel", id: "cidGroupOne==" }, weeklyDigest());
    fake.expireTokens();
    await adapter.send({ kind: "channel", id: "cidGroupOne==" }, weeklyDigest());

    expect(fake.callsTo(TOKEN)).toHaveLength(2);
    expect(fake.callsTo(UPLOAD).map((c) => (c.response as { errcode: number }).errcode)).toEqual([
      0, 40014, 0,
    ]);
  });

  it("takes an upload only with a token it issued, and a picture only by a media_id of the app's upload", async () => {
    const forged = await fetch(`${fake.baseUrl}${UPLOAD}?access_token=forged&type=image`, {
      method: "POST",
      body: new FormData(),
    });
    expect(await forged.json()).toMatchObject({ errcode: 40014 });

    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${fake.baseUrl}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
    const issued = await post(TOKEN, { appKey: defaultApp.appKey, appSecret: defaultApp.appSecret });
    const { accessToken } = (await issued.json()) as { accessToken: string };
    const picture = {
      robotCode: defaultApp.robotCode,
      openConversationId: "cidGroupOne==",
      msgKey: "sampleImageMsg",
      msgParam: JSON.stringify({ photoURL: "@lAzNeverUploaded" }),
    };
    const refused = await post(GROUP, picture, { "x-acs-dingtalk-access-token": accessToken });
    expect(refused.status).toBe(400);
  });
});

describe("a digest with its trend chart, sent by a custom group robot (webhook mode)", () => {
  it("keeps the chart as its alt text: the webhook cannot upload", async () => {
    const fake = await startFakeDingTalk();
    try {
      const config = dingtalkConfigSchema.parse({ mode: "webhook", oapiUrl: fake.baseUrl });
      const webhookUrl = `${fake.baseUrl}/robot/send?access_token=${defaultWebhookRobot.accessToken}`;
      const adapter = createDingTalkAdapter(
        {
          ...config,
          webhookUrl,
          ...(defaultWebhookRobot.secret ? { webhookSecret: defaultWebhookRobot.secret } : {}),
        },
        { memory: {} as ChatMemory, metrics: createMetrics(), log: silentLog, now: () => new Date() },
      );
      await adapter.send({ kind: "channel", id: "the-group" }, weeklyDigest());
      expect(fake.callsTo(UPLOAD)).toEqual([]);
      const [sent] = fake.callsTo("/robot/send");
      expect(sent?.response).toMatchObject({ errcode: 0 });
      expect((sent!.body as { markdown: { text: string } }).markdown.text).toContain(CHART_ALT);
    } finally {
      await fake.close();
    }
  });
});
