import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatMemory } from "../../../src/chat/adapter.ts";
import { ChatSendError } from "../../../src/chat/adapter.ts";
import { createFeishuAdapter, feishuSecretsFromEnv } from "../../../src/chat/feishu/feishu-adapter.ts";
import { textReply } from "../../../src/chat/reply.ts";
import { createLog } from "../../../src/log.ts";
import { createMetrics } from "../../../src/server/metrics.ts";
import { type FakeFeishu, startFakeFeishu } from "../../fakes/feishu/server.ts";
import { outboundResults } from "../../support/metric-counts.ts";

const MESSAGES = "/open-apis/im/v1/messages";
const TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
const scorecard = textReply("总分 94.6 → B", "小张 · 2026-11");

let fake: FakeFeishu;
beforeAll(async () => {
  fake = await startFakeFeishu();
});
afterAll(() => fake.close());

/** An adapter for a new app each time (the SDK's process-wide token cache is keyed by appId). */
function newAdapter() {
  const metrics = createMetrics();
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const adapter = createFeishuAdapter(
    { mode: "http", domain: fake.domain, ...fake.newApp(), encryptKey: "k", verificationToken: "v" },
    {
      // Sending and updating never read the database.
      memory: {} as ChatMemory,
      metrics,
      log: createLog({ level: "debug", destination }),
      now: () => new Date(),
    },
  );
  return { adapter, metrics, logLines };
}

const outbound = outboundResults;

describe("the Feishu adapter sending cards through the real lark.Client", () => {
  it("sends a card to a person by open_id and to a group by chat_id, then updates it in place", async () => {
    const { adapter, metrics } = newAdapter();
    const toZhang = await adapter.send({ kind: "user", userId: "ou_zhang" }, scorecard);
    const toTeam = await adapter.send({ kind: "channel", id: "oc_team" }, scorecard);
    const [first, second] = fake.callsTo(MESSAGES, "POST").slice(-2);
    expect(first).toMatchObject({
      query: { receive_id_type: "open_id" },
      body: { receive_id: "ou_zhang", msg_type: "interactive" },
    });
    expect(second).toMatchObject({ query: { receive_id_type: "chat_id" }, body: { receive_id: "oc_team" } });
    expect(JSON.stringify(second?.card)).toContain("总分 94.6 → B");
    expect(toZhang).toEqual({
      platform: "feishu",
      ref: first?.answer && (first.answer as { data: { message_id: string } }).data.message_id,
    });
    expect(fake.messages.get(toTeam.ref)).toMatchObject({ chatId: "oc_team", msgType: "interactive" });

    await adapter.update(toTeam, textReply("总分 95.0 → A", "小张 · 2026-11"));
    expect(fake.messages.get(toTeam.ref)).toMatchObject({ updates: 1 });
    expect(fake.messages.get(toTeam.ref)?.content).toContain("总分 95.0 → A");
    expect(await outbound(metrics)).toEqual({ ok: 3 });
  });

  it("posts once for a send retried with the same uuid", async () => {
    const { adapter } = newAdapter();
    const to = { kind: "channel", id: "oc_team" } as const;
    const first = await adapter.send(to, scorecard, { idempotencyKey: "digest-2026-11-oc_team" });
    const again = await adapter.send(to, scorecard, { idempotencyKey: "digest-2026-11-oc_team" });
    expect(again.ref).toBe(first.ref);
  });

  it("fetches a new token once when Feishu has revoked the one it holds", async () => {
    const { adapter } = newAdapter();
    await adapter.send({ kind: "channel", id: "oc_team" }, scorecard);
    fake.revokeTokens();
    const tokenCalls = fake.callsTo(TOKEN_PATH).length;
    const sent = await adapter.send({ kind: "channel", id: "oc_team" }, scorecard);
    expect(fake.messages.get(sent.ref)).toBeDefined();
    expect(fake.callsTo(TOKEN_PATH)).toHaveLength(tokenCalls + 1);
  });

  it("turns a 429 into a retryable ChatSendError waiting as x-ogw-ratelimit-reset says", async () => {
    const { adapter, metrics } = newAdapter();
    fake.failNext(MESSAGES, { status: 429, resetSeconds: 3 });
    const error = await adapter.send({ kind: "channel", id: "oc_team" }, scorecard).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatSendError);
    expect(error).toMatchObject({ platform: "feishu", retryable: true, retryAfterMs: 3000 });
    expect(await outbound(metrics)).toEqual({ retryable: 1 });
  });

  it("turns a 5xx into a retryable error and a business error into a final one, even with HTTP 200", async () => {
    const { adapter, metrics, logLines } = newAdapter();
    const to = { kind: "channel", id: "oc_team" } as const;
    fake.failNext(MESSAGES, { status: 502 });
    await expect(adapter.send(to, scorecard)).rejects.toMatchObject({ retryable: true });
    fake.failNext(MESSAGES, { code: 230002, msg: "Bot is not in the chat", status: 200 });
    await expect(adapter.send(to, scorecard)).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining("230002"),
    });
    fake.failNext(MESSAGES, { code: 230001, msg: "invalid receive_id" });
    await expect(adapter.send(to, scorecard)).rejects.toMatchObject({ retryable: false });
    expect(await outbound(metrics)).toEqual({ retryable: 1, failed: 2 });
    // The SDK logs the failed request, card and all (and elsewhere the Authorization header); none of it reaches our log.
    expect(logLines.join("")).not.toMatch(/msg_type|94\.6|t-fake-|Bearer|s3cret/);
    expect(logLines.join("")).toContain("230001");
  });
});

describe("Feishu secrets", () => {
  const env = {
    FEISHU_APP_ID: "cli_a1",
    FEISHU_APP_SECRET: "secret-value",
    FEISHU_ENCRYPT_KEY: "encrypt-value",
    FEISHU_VERIFICATION_TOKEN: "token-value",
  };

  it("are all four required in http mode; the error names the variables, not the values", () => {
    expect(feishuSecretsFromEnv(env)).toEqual({
      appId: "cli_a1",
      appSecret: "secret-value",
      encryptKey: "encrypt-value",
      verificationToken: "token-value",
    });
    const { FEISHU_ENCRYPT_KEY: _k, FEISHU_VERIFICATION_TOKEN: _t, ...withoutGuards } = env;
    expect(() => feishuSecretsFromEnv(withoutGuards)).toThrow(
      "FEISHU_ENCRYPT_KEY, FEISHU_VERIFICATION_TOKEN",
    );
    expect(() => feishuSecretsFromEnv({})).toThrow(/^(?!.*value).*FEISHU_APP_ID, FEISHU_APP_SECRET/);
    expect(feishuSecretsFromEnv(withoutGuards, "websocket")).toEqual({
      appId: "cli_a1",
      appSecret: "secret-value",
    });
  });

  it("an http-mode adapter without an encrypt key refuses to exist", () => {
    const deps = {
      memory: {} as ChatMemory,
      metrics: createMetrics(),
      log: createLog({ level: "silent" }),
      now: () => new Date(),
    };
    const settings = {
      mode: "http" as const,
      domain: fake.domain,
      appId: "cli_a1",
      appSecret: "s",
      verificationToken: "v",
    };
    expect(() => createFeishuAdapter(settings, deps)).toThrow("FEISHU_ENCRYPT_KEY");
  });
});

describe("the Feishu long connection", () => {
  it("refuses to start for an appId the SDK's WSClient would silently not connect", async () => {
    const deps = {
      memory: {} as ChatMemory,
      metrics: createMetrics(),
      log: createLog({ level: "silent" }),
      now: () => new Date(),
    };
    const adapter = createFeishuAdapter(
      { mode: "websocket", domain: fake.domain, appId: "cli_fake1", appSecret: "s" },
      deps,
    );
    expect(adapter.routes).toEqual([]);
    await expect(
      adapter.start({ command: async () => textReply("x"), click: async () => undefined }),
    ).rejects.toThrow("cli_ + 16 hex digits");
    expect(await adapter.health?.()).toBe("Feishu long connection not started");
  });
});
