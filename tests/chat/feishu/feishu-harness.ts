import * as lark from "@larksuiteoapi/node-sdk";
import { chatHandlers } from "../../../src/bot/chat-handlers.ts";
import type { ClickHandler } from "../../../src/bot/commands/command-deps.ts";
import type { ChatAdapter, InboundHandlers } from "../../../src/chat/adapter.ts";
import { createFeishuAdapter } from "../../../src/chat/feishu/feishu-adapter.ts";
import { silentLog } from "../../../src/log.ts";
import { type RunningServer, startHttpServer } from "../../../src/server/http-server.ts";
import { type BotMetrics, createMetrics } from "../../../src/server/metrics.ts";
import { chatMemoryOf } from "../../../src/store/chat-memory.ts";
import type { Store } from "../../../src/store/database.ts";
import { encryptAndSign, type SignedBy } from "../../fakes/feishu/events.ts";
import { type FakeFeishu, startFakeFeishu } from "../../fakes/feishu/server.ts";
import { CHAT_FIXTURE_NOW, seedChatFixture } from "../../support/chat-fixture.ts";

/**
 * The Feishu adapter as the bot runs it: the real SDK against the loopback fake, its route on our
 * HTTP server, the chat fixture's team behind the /kpi use-case.
 */

export const ENCRYPT_KEY = "kpi-encrypt-key";
export const VERIFICATION_TOKEN = "kpi-verification-token";
/** Seconds, as Feishu signs them: the fixture's "now". */
export const NOW_SECONDS = CHAT_FIXTURE_NOW.getTime() / 1000;

export interface FeishuHarness {
  fake: FakeFeishu;
  adapter: ChatAdapter;
  metrics: BotMetrics;
  /** Posts a request to /feishu/events: status and parsed JSON answer. */
  post(delivery: {
    body: string;
    headers: Record<string, string>;
  }): Promise<{ status: number; body: unknown }>;
  /** Encrypts and signs `payload` as Feishu does, at `timestamp` (default now), and posts it. */
  deliver(payload: unknown, signed?: Partial<SignedBy>): Promise<{ status: number; body: unknown }>;
  /** A message someone wrote in a chat, as the fake holds it (the bot replies to its id). */
  userMessage(chat: { openId: string } | { chatId: string }, text: string): Promise<string>;
  /** Waits for every command being answered in the background. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startFeishuHarness(store: Store, clicks: Record<string, ClickHandler> = {}) {
  const fake = await startFakeFeishu();
  const metrics = createMetrics();
  const deps = await seedChatFixture(store);
  const adapter = createFeishuAdapter(
    {
      mode: "http",
      domain: fake.domain,
      ...fake.newApp(),
      encryptKey: ENCRYPT_KEY,
      verificationToken: VERIFICATION_TOKEN,
    },
    { memory: chatMemoryOf(store.db), metrics, log: silentLog, now: () => CHAT_FIXTURE_NOW },
  );
  const handlers: InboundHandlers = chatHandlers(deps, metrics, clicks);
  await adapter.start(handlers);
  const server: RunningServer = await startHttpServer({
    host: "127.0.0.1",
    port: 0,
    routes: adapter.routes,
    metrics,
    health: {},
    log: silentLog,
  });
  // Someone else's app, standing in for the people writing to the bot.
  const people = new lark.Client({
    ...fake.newApp(),
    domain: fake.domain,
    loggerLevel: lark.LoggerLevel.error,
  });

  const post: FeishuHarness["post"] = async ({ body, headers }) => {
    const res = await fetch(`${server.url}/feishu/events`, { method: "POST", body, headers });
    const text = await res.text();
    return { status: res.status, body: text === "" ? undefined : JSON.parse(text) };
  };
  const harness: FeishuHarness = {
    fake,
    adapter,
    metrics,
    post,
    deliver: (payload, signed = {}) =>
      post(encryptAndSign(payload, { encryptKey: ENCRYPT_KEY, timestamp: NOW_SECONDS, ...signed })),
    async userMessage(chat, text) {
      const [type, id] =
        "chatId" in chat ? (["chat_id", chat.chatId] as const) : (["open_id", chat.openId] as const);
      const sent = await people.im.v1.message.create({
        params: { receive_id_type: type },
        data: { receive_id: id, msg_type: "text", content: JSON.stringify({ text }) },
      });
      return sent.data?.message_id ?? "";
    },
    async settle() {
      await adapter.stop();
      await adapter.start(handlers);
    },
    async close() {
      await adapter.stop();
      await server.close();
      await fake.close();
    },
  };
  return harness;
}

/** Polls until `found` returns something (the bot answers after it has answered Feishu's request). */
export async function eventually<T>(found: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = found();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`never happened: ${what}`);
}

/** Counted inbound outcomes, by outcome. */

export { inboundOutcomes } from "../../support/metric-counts.ts";
