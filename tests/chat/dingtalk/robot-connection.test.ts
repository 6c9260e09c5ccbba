import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { chatHandlers } from "../../../src/bot/chat-handlers.ts";
import { createDingTalkAdapter } from "../../../src/chat/dingtalk/dingtalk-adapter.ts";
import { dingtalkConfigSchema } from "../../../src/chat/dingtalk/dingtalk-config.ts";
import type { Store } from "../../../src/store/database.ts";
import { defaultApp } from "../../fakes/dingtalk/openapi.ts";
import { seedChatFixture } from "../../support/chat-fixture.ts";
import { openTestStore, STORE_KINDS } from "../../support/stores.ts";
import { type RobotRig, startRobotRig } from "./robot-harness.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(STORE_KINDS)("the DingTalk robot's Stream connection, on %s", (kind) => {
  let store: Store;
  let rig: RobotRig;

  beforeEach(async () => {
    store = await openTestStore(kind);
    rig = await startRobotRig(store);
  });
  afterEach(async () => {
    await rig.close();
    await store.close();
  });

  it("subscribes to robot messages and card presses only, and is healthy once connected", async () => {
    expect(rig.gateway.opens[0]?.subscriptions).toEqual([
      { type: "CALLBACK", topic: "/v1.0/im/bot/messages/get" },
      { type: "CALLBACK", topic: "/v1.0/card/instances/callback" },
    ]);
    expect(await rig.adapter.health()).toBe(true);
  });

  it("opens a new connection after the gateway cuts it, and answers on it", async () => {
    rig.gateway.dropConnections();
    await vi.waitFor(() => expect(rig.gateway.openConnections()).toBe(1));
    expect(rig.gateway.opens).toHaveLength(2);

    rig.gateway.pushRobotMessage({ text: "me last-month", senderStaffId: "staff_zhang" });
    await vi.waitFor(() => expect(rig.fake.callsTo("/robot/sendBySession")).toHaveLength(1));
  });

  it("says it is down while handshakes are refused, retries one at a time, and ends with one connection", async () => {
    rig.gateway.refuseTickets(true);
    rig.gateway.dropConnections();
    await vi.waitFor(() => expect(rig.gateway.opens.length).toBeGreaterThanOrEqual(5));
    expect(await rig.adapter.health()).toMatch(/^stream not connected: /);

    rig.gateway.refuseTickets(false);
    await vi.waitFor(async () => expect(await rig.adapter.health()).toBe(true));
    // 2.1.5's own retries would double with each refusal and leave several sockets open now.
    const opens = rig.gateway.opens.length;
    // Longer than the SDK's own 1 s reconnect interval, so a retry of its own would show.
    await sleep(1500);
    expect(rig.gateway.openConnections()).toBe(1);
    expect(rig.gateway.opens).toHaveLength(opens);
  });

  it("stops retrying for good on stop()", async () => {
    rig.gateway.refuseTickets(true);
    rig.gateway.dropConnections();
    await vi.waitFor(() => expect(rig.gateway.opens.length).toBeGreaterThanOrEqual(4));
    await rig.adapter.stop();
    const opens = rig.gateway.opens.length;
    await sleep(400);

    expect(rig.gateway.opens).toHaveLength(opens);
    expect(await rig.adapter.health()).toBe("stopped");
  });

  it("starts with a wrong secret without throwing, and health says the gateway refused it", async () => {
    const config = dingtalkConfigSchema.parse({
      apiUrl: rig.fake.baseUrl,
      streamGatewayUrl: rig.gateway.gatewayUrl,
    });
    const adapter = createDingTalkAdapter(
      { ...config, clientId: defaultApp.appKey, clientSecret: "not-the-secret" },
      rig.deps,
      { reconnect: { firstDelayMs: 50, maxDelayMs: 100 } },
    );
    await adapter.start(chatHandlers(await seedChatFixture(store), rig.metrics));
    expect(await adapter.health()).toBe(
      "stream not connected: gateway answered HTTP 400 invalidClientIdOrSecret",
    );
    await adapter.stop();
    expect(rig.gateway.opens.filter((o) => !o.accepted).length).toBeGreaterThanOrEqual(1);
  });
});
