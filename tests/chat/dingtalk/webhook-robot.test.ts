import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ChatSendError } from "../../../src/chat/adapter.ts";
import { createDingTalkAdapter, type DingTalkAdapter } from "../../../src/chat/dingtalk/dingtalk-adapter.ts";
import { dingtalkConfigSchema, dingtalkSecretsFromEnv } from "../../../src/chat/dingtalk/dingtalk-config.ts";
import type { Reply } from "../../../src/chat/reply.ts";
import { silentLog } from "../../../src/log.ts";
import { createMetrics } from "../../../src/server/metrics.ts";
import { chatMemoryOf } from "../../../src/store/chat-memory.ts";
import type { Store } from "../../../src/store/database.ts";
import { defaultWebhookRobot, type FakeDingTalk, startFakeDingTalk } from "../../fakes/dingtalk/openapi.ts";
import { webhookSign } from "../../fakes/dingtalk/signing.ts";
import { openTestStore, STORE_KINDS } from "../../support/stores.ts";

const SEND = "/robot/send";
const digest: Reply = { title: "今日客服 KPI", blocks: [{ kind: "text", text: "小张 94.6 分，B 级" }] };

describe.each(STORE_KINDS)("a DingTalk custom group robot (webhook mode), on %s", (kind) => {
  let store: Store;
  let fake: FakeDingTalk;
  let now = 1_790_000_000_000;
  const slept: number[] = [];

  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(() => store.close());
  beforeEach(async () => {
    now = 1_790_000_000_000;
    slept.length = 0;
    fake = await startFakeDingTalk({ clock: () => now });
  });
  afterEach(() => fake.close());

  function webhookAdapter(secret = defaultWebhookRobot.secret): DingTalkAdapter {
    const config = dingtalkConfigSchema.parse({ mode: "webhook" });
    const webhookUrl = `${fake.baseUrl}/robot/send?access_token=${defaultWebhookRobot.accessToken}`;
    return createDingTalkAdapter(
      { ...config, webhookUrl, ...(secret ? { webhookSecret: secret } : {}) },
      { memory: chatMemoryOf(store.db), metrics: createMetrics(), log: silentLog, now: () => new Date(now) },
      {
        // The fake clock moves instead of the test waiting.
        sleep: async (ms) => {
          slept.push(ms);
          now += ms;
        },
      },
    );
  }
  const errcodes = () => fake.callsTo(SEND).map((c) => (c.response as { errcode: number }).errcode);

  it("posts markdown to the webhook, signed at send time exactly as DingTalk signs it", async () => {
    await webhookAdapter().send({ kind: "channel", id: "digest" }, digest);

    const [call] = fake.callsTo(SEND);
    expect(call?.query).toEqual({
      access_token: defaultWebhookRobot.accessToken,
      timestamp: String(now),
      sign: decodeURIComponent(webhookSign(defaultWebhookRobot.secret!, now)),
    });
    expect(call?.body).toEqual({
      msgtype: "markdown",
      markdown: { title: "今日客服 KPI", text: "### 今日客服 KPI\n\n小张 94.6 分，B 级" },
    });
    expect(errcodes()).toEqual([0]);
  });

  it("holds the 21st message of a minute until the window has room, so DingTalk never silences the robot", async () => {
    const adapter = webhookAdapter();
    for (let i = 0; i < 21; i++) {
      await adapter.send({ kind: "channel", id: "digest" }, digest);
      now += 1000;
    }
    const calls = fake.callsTo(SEND);

    expect(errcodes()).toEqual(Array(21).fill(0));
    expect(slept).toHaveLength(1);
    expect(calls[20]!.atMs - calls[0]!.atMs).toBeGreaterThanOrEqual(60_000);
    expect(calls[19]!.atMs - calls[0]!.atMs).toBeLessThan(60_000);
  });

  it("turns DingTalk's refusal of a wrong sign into a ChatSendError", async () => {
    const error = await webhookAdapter("SECnot-the-secret")
      .send({ kind: "channel", id: "digest" }, digest)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatSendError);
    expect((error as ChatSendError).retryable).toBe(false);
    expect((error as ChatSendError).message).toContain("errcode 310000");
    expect((error as ChatSendError).message).not.toContain(defaultWebhookRobot.accessToken);
  });

  it("refuses direct messages and edits without calling DingTalk", async () => {
    const adapter = webhookAdapter();
    const dm = await adapter.send({ kind: "user", userId: "staff_zhang" }, digest).catch((e: unknown) => e);
    expect(dm).toMatchObject({
      retryable: false,
      message: "dingtalk: webhook robots cannot send direct messages",
    });
    const edit = await adapter
      .update({ platform: "dingtalk", ref: "webhook:1" }, digest)
      .catch((e: unknown) => e);
    expect(edit).toMatchObject({ retryable: false });
    expect(fake.calls).toEqual([]);
  });
});

describe("DingTalk secrets from the environment", () => {
  it("reads each mode's pair and names the missing variables, never a value", () => {
    expect(
      dingtalkSecretsFromEnv({ DINGTALK_CLIENT_ID: "ding1", DINGTALK_CLIENT_SECRET: " s3cret " }),
    ).toEqual({
      clientId: "ding1",
      clientSecret: "s3cret",
    });
    expect(() => dingtalkSecretsFromEnv({ DINGTALK_CLIENT_ID: "ding1" })).toThrow(
      "DingTalk robot mode needs DINGTALK_CLIENT_SECRET in the environment",
    );
    expect(() => dingtalkSecretsFromEnv({ DINGTALK_WEBHOOK_SECRET: "SECx" }, "webhook")).toThrow(
      /^DingTalk webhook mode needs DINGTALK_WEBHOOK_URL in the environment$/,
    );
    expect(
      dingtalkSecretsFromEnv(
        { DINGTALK_WEBHOOK_URL: "https://oapi/robot/send?access_token=t", DINGTALK_WEBHOOK_SECRET: "SECx" },
        "webhook",
      ),
    ).toEqual({
      webhookUrl: "https://oapi/robot/send?access_token=t",
      webhookSecret: "SECx",
    });
  });
});
