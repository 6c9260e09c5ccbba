import { vi } from "vitest";
import { chatHandlers } from "../../../src/bot/chat-handlers.ts";
import type { ClickHandler } from "../../../src/bot/commands/command-deps.ts";
import type { AdapterDeps } from "../../../src/chat/adapter.ts";
import { createDingTalkAdapter, type DingTalkAdapter } from "../../../src/chat/dingtalk/dingtalk-adapter.ts";
import { dingtalkConfigSchema } from "../../../src/chat/dingtalk/dingtalk-config.ts";
import { type Log, silentLog } from "../../../src/log.ts";
import { type BotMetrics, createMetrics } from "../../../src/server/metrics.ts";
import { chatMemoryOf } from "../../../src/store/chat-memory.ts";
import type { Store } from "../../../src/store/database.ts";
import { defaultApp, type FakeDingTalk, startFakeDingTalk } from "../../fakes/dingtalk/openapi.ts";
import {
  type FakeStreamGateway,
  type FakeStreamGatewayOptions,
  startFakeStreamGateway,
} from "../../fakes/dingtalk/stream.ts";
import { CHAT_FIXTURE_NOW, seedChatFixture } from "../../support/chat-fixture.ts";

/**
 * The enterprise robot adapter wired as the bot wires it, against the fake OpenAPI and the fake
 * Stream gateway, on the chat fixture's team; every clock reads the fixture's time.
 */
export interface RobotRig {
  fake: FakeDingTalk;
  gateway: FakeStreamGateway;
  adapter: DingTalkAdapter;
  metrics: BotMetrics;
  deps: AdapterDeps;
  close(): Promise<void>;
}

export const fixtureClock = () => CHAT_FIXTURE_NOW.getTime();

export async function startRobotRig(
  store: Store,
  options: {
    gateway?: FakeStreamGatewayOptions;
    httpCallback?: boolean;
    clicks?: Record<string, ClickHandler>;
    log?: Log;
  } = {},
): Promise<RobotRig> {
  // dingtalk-stream writes every connect and disconnect to the console.
  vi.spyOn(console, "info").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
  const commandDeps = await seedChatFixture(store);
  const fake = await startFakeDingTalk({ clock: fixtureClock });
  const gateway = await startFakeStreamGateway({
    clock: fixtureClock,
    sessionWebhookBaseUrl: fake.baseUrl,
    ...options.gateway,
  });
  const metrics = createMetrics();
  const deps: AdapterDeps = {
    memory: chatMemoryOf(store.db),
    metrics,
    log: options.log ?? silentLog,
    now: () => CHAT_FIXTURE_NOW,
  };
  const config = dingtalkConfigSchema.parse({
    mode: "robot",
    apiUrl: fake.baseUrl,
    streamGatewayUrl: gateway.gatewayUrl,
    httpCallback: options.httpCallback ?? false,
  });
  const adapter = createDingTalkAdapter(
    { ...config, clientId: defaultApp.appKey, clientSecret: defaultApp.appSecret },
    deps,
    { reconnect: { firstDelayMs: 20, maxDelayMs: 100 } },
  );
  await adapter.start(chatHandlers(commandDeps, metrics, options.clicks, options.log));
  await gateway.waitForConnection();
  return {
    fake,
    gateway,
    adapter,
    metrics,
    deps,
    async close() {
      await adapter.stop();
      await gateway.close();
      await fake.close();
      vi.restoreAllMocks();
    },
  };
}

/** The inbound outcomes counted so far, e.g. { handled: 1, duplicate: 1 }. */

export { inboundOutcomes, outboundResults } from "../../support/metric-counts.ts";
