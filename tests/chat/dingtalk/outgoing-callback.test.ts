import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { silentLog } from "../../../src/log.ts";
import { type RunningServer, startHttpServer } from "../../../src/server/http-server.ts";
import type { Store } from "../../../src/store/database.ts";
import { robotMessage } from "../../fakes/dingtalk/frames.ts";
import { defaultApp } from "../../fakes/dingtalk/openapi.ts";
import { outgoingCallbackHeaders } from "../../fakes/dingtalk/signing.ts";
import { CHAT_FIXTURE_NOW } from "../../support/chat-fixture.ts";
import { openTestStore, STORE_KINDS } from "../../support/stores.ts";
import { inboundOutcomes, type RobotRig, startRobotRig } from "./robot-harness.ts";

const SESSION = "/robot/sendBySession";
const NOW = CHAT_FIXTURE_NOW.getTime();

describe.each(STORE_KINDS)("the DingTalk outgoing-robot HTTP callback, on %s", (kind) => {
  let store: Store;
  let rig: RobotRig;
  let server: RunningServer;

  beforeEach(async () => {
    store = await openTestStore(kind);
    rig = await startRobotRig(store, { httpCallback: true });
    server = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      routes: rig.adapter.routes,
      metrics: rig.metrics,
      health: {},
      log: silentLog,
    });
  });
  afterEach(async () => {
    await server.close();
    await rig.close();
    await store.close();
  });

  const message = (fields: { msgId?: string } = {}) =>
    robotMessage(
      { text: "me last-month", senderStaffId: "staff_zhang", ...fields },
      { robotCode: defaultApp.robotCode, nowMs: NOW, sessionWebhookBaseUrl: rig.fake.baseUrl },
    );
  const post = (body: unknown, headers: Record<string, string>) =>
    fetch(`${server.url}/dingtalk/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("answers a message signed with the AppSecret, once however often it comes", async () => {
    const signed = outgoingCallbackHeaders(defaultApp.appSecret, NOW - 30 * 60_000);
    const body = message();
    expect((await post(body, signed)).status).toBe(200);
    expect((await post(body, signed)).status).toBe(200);
    await vi.waitFor(async () =>
      expect(await inboundOutcomes(rig.metrics)).toEqual({ handled: 1, duplicate: 1 }),
    );

    expect(rig.fake.callsTo(SESSION)).toHaveLength(1);
    expect(JSON.stringify(rig.fake.callsTo(SESSION)[0]?.body)).toContain("总分 94.6 → B");
  });

  it("refuses a forged sign, a missing one, and a genuine one more than an hour old, answering nothing", async () => {
    const forged = outgoingCallbackHeaders("some-other-secret", NOW);
    const stale = outgoingCallbackHeaders(defaultApp.appSecret, NOW - 61 * 60_000);
    const statuses = [
      (await post(message(), forged)).status,
      (await post(message(), { timestamp: String(NOW) })).status,
      (await post(message(), stale)).status,
    ];

    expect(statuses).toEqual([401, 401, 401]);
    expect(await inboundOutcomes(rig.metrics)).toEqual({ bad_signature: 2, stale: 1 });
    expect(rig.fake.calls).toEqual([]);
  });
});
