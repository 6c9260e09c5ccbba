import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ChatSendError } from "../../../src/chat/adapter.ts";
import { createDingTalkAdapter, type DingTalkAdapter } from "../../../src/chat/dingtalk/dingtalk-adapter.ts";
import { dingtalkConfigSchema } from "../../../src/chat/dingtalk/dingtalk-config.ts";
import type { Reply } from "../../../src/chat/reply.ts";
import { silentLog } from "../../../src/log.ts";
import { type BotMetrics, createMetrics } from "../../../src/server/metrics.ts";
import { chatMemoryOf } from "../../../src/store/chat-memory.ts";
import type { Store } from "../../../src/store/database.ts";
import { defaultApp, type FakeDingTalk, startFakeDingTalk } from "../../fakes/dingtalk/openapi.ts";
import { openTestStore, STORE_KINDS } from "../../support/stores.ts";
import { outboundResults } from "./robot-harness.ts";

const TOKEN = "/v1.0/oauth2/accessToken";
const BATCH = "/v1.0/robot/oToMessages/batchSend";
const GROUP = "/v1.0/robot/groupMessages/send";
const digest: Reply = { title: "日报", blocks: [{ kind: "text", text: "小张 94.6 分，B 级" }] };

describe.each(STORE_KINDS)("DingTalk OpenAPI sends, on %s", (kind) => {
  let store: Store;
  let fake: FakeDingTalk;
  let metrics: BotMetrics;
  let adapter: DingTalkAdapter;
  let now = 1_790_000_000_000;

  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(() => store.close());
  beforeEach(async () => {
    now = 1_790_000_000_000;
    fake = await startFakeDingTalk({ clock: () => now });
    metrics = createMetrics();
    const config = dingtalkConfigSchema.parse({ apiUrl: fake.baseUrl });
    adapter = createDingTalkAdapter(
      { ...config, clientId: defaultApp.appKey, clientSecret: defaultApp.appSecret },
      { memory: chatMemoryOf(store.db), metrics, log: silentLog, now: () => new Date(now) },
    );
  });
  afterEach(() => fake.close());

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.unreachable("the send succeeded"),
      (error: unknown) => {
        expect(error).toBeInstanceOf(ChatSendError);
        return error as ChatSendError;
      },
    );

  it("sends 1:1 with batchSend and to a group with groupMessages/send, one token for both", async () => {
    const sent = await adapter.send({ kind: "user", userId: "staff_zhang" }, digest);
    await adapter.send({ kind: "channel", id: "cidGroupOne==" }, digest);

    const answer = (path: string) => fake.callsTo(path)[0]?.response as Record<string, string>;
    expect(sent).toEqual({ platform: "dingtalk", ref: answer(BATCH).processQueryKey });
    expect(fake.callsTo(TOKEN)).toHaveLength(1);
    expect(fake.callsTo(TOKEN)[0]?.body).toEqual({
      appKey: defaultApp.appKey,
      appSecret: defaultApp.appSecret,
    });
    const [batch] = fake.callsTo(BATCH);
    expect(batch?.body).toMatchObject({
      robotCode: defaultApp.robotCode,
      userIds: ["staff_zhang"],
      msgKey: "sampleMarkdown",
    });
    expect(batch?.msgParam).toEqual({ title: "日报", text: "### 日报\n\n小张 94.6 分，B 级" });
    expect(batch?.headers["x-acs-dingtalk-access-token"]).toBe(answer(TOKEN).accessToken);
    expect(fake.callsTo(GROUP)[0]).toMatchObject({
      status: 200,
      body: { openConversationId: "cidGroupOne==" },
    });
    expect(await outboundResults(metrics)).toEqual({ ok: 3 });
  });

  it("fetches a new token when the old one is near its end", async () => {
    await adapter.send({ kind: "user", userId: "staff_zhang" }, digest);
    now += 7200_000 - 60_000;
    await adapter.send({ kind: "user", userId: "staff_zhang" }, digest);
    expect(fake.callsTo(TOKEN)).toHaveLength(2);
    expect(fake.callsTo(BATCH).map((c) => c.status)).toEqual([200, 200]);
  });

  it("refreshes a token DingTalk no longer takes once, and sends with the new one", async () => {
    await adapter.send({ kind: "user", userId: "staff_zhang" }, digest);
    fake.expireTokens();
    await adapter.send({ kind: "user", userId: "staff_zhang" }, digest);

    expect(fake.callsTo(TOKEN)).toHaveLength(2);
    expect(fake.callsTo(BATCH).map((c) => c.status)).toEqual([200, 400, 200]);
  });

  it("gives up after one refresh when the new token is refused too", async () => {
    const refused = { status: 400, body: { code: "InvalidAuthentication", message: "不合法的access_token" } };
    fake.failNext(BATCH, refused, 2);
    const error = await failure(adapter.send({ kind: "user", userId: "staff_zhang" }, digest));

    expect(error.retryable).toBe(false);
    expect(fake.callsTo(TOKEN)).toHaveLength(2);
    expect(fake.callsTo(BATCH)).toHaveLength(2);
  });

  it("makes 429 (with its Retry-After), 500 and DingTalk's 403 QPS limit retryable, a bad request not", async () => {
    fake.failNext(BATCH, { status: 429, headers: { "retry-after": "7" } });
    fake.failNext(BATCH, { status: 500 });
    fake.failNext(BATCH, { status: 403, body: { code: "Forbidden.AccessDenied.QpsLimitForApi" } });
    fake.failNext(BATCH, { status: 400 });
    const errors = [];
    for (let i = 0; i < 4; i++)
      errors.push(await failure(adapter.send({ kind: "user", userId: "staff_zhang" }, digest)));

    expect(errors.map((e) => e.retryable)).toEqual([true, true, true, false]);
    expect(errors[0]?.retryAfterMs).toBe(7000);
    expect(errors[0]?.message).toContain("HTTP 429");
    expect(await outboundResults(metrics)).toEqual({ ok: 1, retryable: 3, failed: 1 });
  });

  it("calls an unknown staff id a failure, not a success, although DingTalk answers 200", async () => {
    const unknown = {
      processQueryKey: "k",
      invalidStaffIdList: ["staff_gone"],
      flowControlledStaffIdList: [],
    };
    fake.failNext(BATCH, { status: 200, body: unknown });
    const error = await failure(adapter.send({ kind: "user", userId: "staff_gone" }, digest));
    expect(error.retryable).toBe(false);
  });

  it("makes an unreachable DingTalk retryable", async () => {
    await fake.close();
    const error = await failure(adapter.send({ kind: "user", userId: "staff_zhang" }, digest));
    expect(error.retryable).toBe(true);
    fake = await startFakeDingTalk();
  });

  it("refuses to edit a sent robot message, for good", async () => {
    const sent = await adapter.send({ kind: "user", userId: "staff_zhang" }, digest);
    const error = await failure(adapter.update(sent, digest));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("cannot be edited");
  });
});
