import { describe, expect, it } from "vitest";
import type { ChatMemory } from "../../../src/chat/adapter.ts";
import { createSlackAdapter } from "../../../src/chat/slack/slack-adapter.ts";
import { silentLog } from "../../../src/log.ts";
import { createMetrics } from "../../../src/server/metrics.ts";

// Socket Mode is not run against a gateway here (the fake has none); these check its wiring only.
describe("the Slack adapter in Socket Mode", () => {
  // Building the adapter never touches the database (only deliveries do): no store is opened.
  const deps = () => ({
    memory: {} as ChatMemory,
    metrics: createMetrics(),
    log: silentLog,
    now: () => new Date(),
  });
  const settings = {
    mode: "socket" as const,
    apiUrl: "http://127.0.0.1:9/api/",
    signingSecret: "s",
    botToken: "xoxb-1",
  };

  it("mounts no HTTP route: Slack reaches it over the socket", () => {
    const adapter = createSlackAdapter({ ...settings, appToken: "xapp-1" }, deps());
    expect(adapter.routes).toEqual([]);
    expect(adapter.platform).toBe("slack");
  });

  it("refuses to be built without an app token", () => {
    expect(() => createSlackAdapter(settings, deps())).toThrow("SLACK_APP_TOKEN");
  });

  it("mounts POST /slack/events in http mode", () => {
    const adapter = createSlackAdapter({ ...settings, mode: "http" }, deps());
    expect(adapter.routes.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /slack/events"]);
  });
});
