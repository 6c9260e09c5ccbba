import { chatHandlers } from "../../../src/bot/chat-handlers.ts";
import type { ButtonClick } from "../../../src/chat/adapter.ts";
import { textReply } from "../../../src/chat/reply.ts";
import { createSlackAdapter } from "../../../src/chat/slack/slack-adapter.ts";
import { SLACK_EVENTS_PATH } from "../../../src/chat/slack/slack-route-receiver.ts";
import { silentLog } from "../../../src/log.ts";
import { startHttpServer } from "../../../src/server/http-server.ts";
import { createMetrics } from "../../../src/server/metrics.ts";
import { chatMemoryOf } from "../../../src/store/chat-memory.ts";
import type { Store } from "../../../src/store/database.ts";
import { type FakeSlack, startFakeSlack } from "../../fakes/slack/server.ts";
import type { SlackRequest } from "../../fakes/slack/signing.ts";
import { seedChatFixture } from "../../support/chat-fixture.ts";
import { inboundOutcomes } from "../../support/metric-counts.ts";
import { openTestStore, type StoreKind } from "../../support/stores.ts";

/**
 * A whole Slack bot for a test: the fixture team in a fresh store, the fake Slack Web API, the
 * adapter with the real Bolt behind our own HTTP server, and the real /kpi use-case. One click
 * handler ("test:…") records the clicks it gets.
 */

export const SIGNING_SECRET = "kpi-bot-slack-adapter-test-secret";

export interface SlackBot {
  store: Store;
  fake: FakeSlack;
  adapter: ReturnType<typeof createSlackAdapter>;
  metrics: ReturnType<typeof createMetrics>;
  clicks: ButtonClick[];
  /** POSTs a request as Slack would, to /slack/events. */
  deliver(request: SlackRequest): Promise<Response>;
  /** Inbound outcomes counted so far, e.g. { handled: 1, duplicate: 1 }. */
  outcomes(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export async function startSlackBot(
  kind: StoreKind,
  options: {
    inlineAnswerMs?: number;
    /** The fake Slack's clock, which stamps what is posted (its ts). */
    slackNow?: () => Date;
  } = {},
): Promise<SlackBot> {
  const { slackNow, ...adapterOptions } = options;
  const store = await openTestStore(kind);
  const commandDeps = await seedChatFixture(store);
  const fake = await startFakeSlack(slackNow ? { now: slackNow } : {});
  const metrics = createMetrics();
  const clicks: ButtonClick[] = [];
  const adapter = createSlackAdapter(
    { mode: "http", apiUrl: fake.apiUrl, signingSecret: SIGNING_SECRET, botToken: fake.botToken },
    { memory: chatMemoryOf(store.db), metrics, log: silentLog, now: () => new Date() },
    adapterOptions,
  );
  const server = await startHttpServer({
    host: "127.0.0.1",
    port: 0,
    routes: adapter.routes,
    metrics,
    health: {},
    log: silentLog,
  });
  await adapter.start(
    chatHandlers(commandDeps, metrics, {
      test: async (_deps, click) => {
        clicks.push(click);
        return textReply(`clicked ${click.value}`);
      },
    }),
  );
  return {
    store,
    fake,
    adapter,
    metrics,
    clicks,
    deliver: (request) =>
      fetch(`${server.url}${SLACK_EVENTS_PATH}`, {
        method: "POST",
        headers: request.headers,
        body: request.body,
      }),
    outcomes: () => inboundOutcomes(metrics),
    async close() {
      await adapter.stop();
      await server.close();
      await fake.close();
      await store.close();
    },
  };
}
