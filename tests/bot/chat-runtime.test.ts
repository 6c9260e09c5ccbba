import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ChatRuntime, startChat } from "../../src/bot/chat-runtime.ts";
import { textReply } from "../../src/chat/reply.ts";
import { parseConfig } from "../../src/config.ts";
import { silentLog } from "../../src/log.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import type { Store } from "../../src/store/database.ts";
import { CHAT_FIXTURE_CONFIG, CHAT_FIXTURE_NOW, seedChatFixture } from "../support/chat-fixture.ts";
import { openTestStore } from "../support/stores.ts";

describe("the bot's chat runtime", () => {
  let store: Store;
  let runtime: ChatRuntime | undefined;
  beforeEach(async () => {
    store = await openTestStore("pglite");
    await seedChatFixture(store);
  });
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    await store.close();
  });

  const start = (configText: string, env: NodeJS.ProcessEnv, printed: string[] = []) =>
    startChat({
      config: parseConfig(configText, "test"),
      env: { KPI_PORT: "0", ...env },
      db: store.db,
      log: silentLog,
      metrics: createMetrics(),
      now: () => CHAT_FIXTURE_NOW,
      write: (text) => printed.push(text),
    });

  it("falls back to the console without a platform, and serves /healthz and /metrics on one port", async () => {
    const printed: string[] = [];
    runtime = await start(CHAT_FIXTURE_CONFIG, {}, printed);
    expect([...runtime.adapters.keys()]).toEqual(["console"]);
    const health = await fetch(`${runtime.server.url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", checks: { database: "ok" } });
    expect(await (await fetch(`${runtime.server.url}/metrics`)).text()).toContain(
      "kpi_inbound_requests_total",
    );
    await runtime.notify("zhang", textReply("你好"));
    expect(printed).toEqual(["── @ zhang ──\n你好"]);
  });

  it("mounts each configured platform's webhook and sends a direct message on the agent's own id", async () => {
    runtime = await start(`${CHAT_FIXTURE_CONFIG}\nchat: { feishu: { domain: "http://127.0.0.1:9" } }`, {
      FEISHU_APP_ID: "cli_0123456789abcdef",
      FEISHU_APP_SECRET: "s",
      FEISHU_ENCRYPT_KEY: "k",
      FEISHU_VERIFICATION_TOKEN: "v",
    });
    expect(runtime.server.routes).toEqual(["POST /feishu/events"]);
    // Nothing listens on port 9: the send fails, which shows it went to Feishu for ou_zhang.
    await expect(runtime.notify("zhang", textReply("你好"))).rejects.toThrow(/feishu/);
    const unsigned = await fetch(`${runtime.server.url}/feishu/events`, { method: "POST", body: "{}" });
    expect(unsigned.status).toBe(401);
  });

  it("refuses to start a platform without its secrets, naming the variables and no values", async () => {
    await expect(
      start(`${CHAT_FIXTURE_CONFIG}\nchat: { slack: {} }`, { SLACK_BOT_TOKEN: "xoxb-very-secret" }),
    ).rejects.toThrow(/SLACK_SIGNING_SECRET/);
    await expect(
      start(`${CHAT_FIXTURE_CONFIG}\nchat: { slack: {} }`, { SLACK_BOT_TOKEN: "xoxb-very-secret" }),
    ).rejects.not.toThrow(/very-secret/);
  });

  it("refuses a port that is not a number", async () => {
    await expect(start(CHAT_FIXTURE_CONFIG, { KPI_PORT: "http" })).rejects.toThrow(/KPI_PORT/);
  });
});
