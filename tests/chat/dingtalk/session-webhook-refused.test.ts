import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChatSendError } from "../../../src/chat/adapter.ts";
import type { DingTalkOpenApi } from "../../../src/chat/dingtalk/openapi-client.ts";
import { answerRobotMessage } from "../../../src/chat/dingtalk/robot-replies.ts";
import { replyOrigins } from "../../../src/chat/dingtalk/session-webhook-hosts.ts";
import { createLog, silentLog } from "../../../src/log.ts";
import { type RunningServer, startHttpServer } from "../../../src/server/http-server.ts";
import { createMetrics } from "../../../src/server/metrics.ts";
import type { Store } from "../../../src/store/database.ts";
import { robotMessage } from "../../fakes/dingtalk/frames.ts";
import { defaultApp } from "../../fakes/dingtalk/openapi.ts";
import { outgoingCallbackHeaders } from "../../fakes/dingtalk/signing.ts";
import { CHAT_FIXTURE_NOW } from "../../support/chat-fixture.ts";
import { openTestStore, STORE_KINDS } from "../../support/stores.ts";
import { inboundOutcomes, type RobotRig, startRobotRig } from "./robot-harness.ts";

/** An answer goes out after the token fetch and the command: seconds on a loaded CI machine, not 1. */
const ANSWER_WAIT = { timeout: 15_000 };

const SESSION = "/robot/sendBySession";
const BATCH = "/v1.0/robot/oToMessages/batchSend";
const GROUP = "/v1.0/robot/groupMessages/send";
const NOW = CHAT_FIXTURE_NOW.getTime();
const SESSION_TOKEN = "5ec80d68f6923eafe1688bc914cc53d1";
const ASKED = "me last-month";

/** Someone else's host on loopback: it records whatever reaches it and answers as DingTalk would. */
interface Sink {
  url: string;
  host: string;
  requests: { method: string | undefined; url: string | undefined; body: string }[];
  close(): Promise<void>;
}

async function startSink(answer?: (res: import("node:http").ServerResponse) => void): Promise<Sink> {
  const requests: Sink["requests"] = [];
  const server: Server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    requests.push({ method: req.method, url: req.url, body });
    if (answer) answer(res);
    else res.writeHead(200, { "content-type": "application/json" }).end('{"errcode":0,"errmsg":"ok"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every JSON line the bot logged, at warn and above. */
function capturedLog() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { log: createLog({ level: "warn", destination }), lines };
}

describe.each(STORE_KINDS)("a DingTalk sessionWebhook off DingTalk's hosts, on %s", (kind) => {
  let store: Store;
  let rig: RobotRig;
  let sink: Sink;
  let server: RunningServer;
  let logged: ReturnType<typeof capturedLog>;

  beforeEach(async () => {
    store = await openTestStore(kind);
    sink = await startSink();
    logged = capturedLog();
    rig = await startRobotRig(store, { httpCallback: true, log: logged.log });
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
    await sink.close();
    await store.close();
  });

  const sinkWebhook = () => `${sink.url}${SESSION}?session=${SESSION_TOKEN}`;

  /** The warnings logged, none of which may hold the session token or what was asked. */
  const warnings = () => {
    const all = logged.lines.join("\n");
    expect(all).not.toContain(SESSION_TOKEN);
    expect(all).not.toContain(ASKED);
    expect(all).not.toContain("session=");
    return logged.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  };

  it("answers a streamed 1:1 message whose sessionWebhook is another port on loopback through batchSend, posting nothing there", async () => {
    const { messageId, message } = rig.gateway.pushRobotMessage({
      text: ASKED,
      senderStaffId: "staff_zhang",
      sessionWebhook: sinkWebhook(),
    });
    await rig.gateway.waitForAck(messageId);
    await vi.waitFor(() => expect(rig.fake.callsTo(BATCH)).toHaveLength(1), ANSWER_WAIT);

    expect(sink.requests).toEqual([]);
    expect(rig.fake.callsTo(SESSION)).toEqual([]);
    const [call] = rig.fake.callsTo(BATCH);
    // Last month's card, still open to appeal on the fixture's day, carries the 申诉 button.
    expect(call?.body).toMatchObject({ userIds: ["staff_zhang"], msgKey: "sampleActionCard" });
    expect(call?.msgParam).toMatchObject({ text: expect.stringContaining("总分 94.6 → B") });
    // Counted once the handler returns, which may be after the answer reached DingTalk.
    await vi.waitFor(async () => expect(await inboundOutcomes(rig.metrics)).toEqual({ handled: 1 }));
    expect(await rig.metrics.registry.getSingleMetricAsString("kpi_refused_reply_urls_total")).toContain(
      'kpi_refused_reply_urls_total{platform="dingtalk"} 1',
    );
    expect(warnings()).toEqual([
      expect.objectContaining({
        level: 40,
        platform: "dingtalk",
        host: sink.host,
        msgId: message.msgId,
        staffId: "staff_zhang",
        msg: expect.stringContaining("answering through the OpenAPI"),
      }),
    ]);
  });

  it("answers a signed HTTP callback from a group whose sessionWebhook is elsewhere in the group through the OpenAPI", async () => {
    const body = robotMessage(
      {
        text: ` ${ASKED}`,
        senderStaffId: "staff_zhang",
        conversationType: "2",
        conversationId: "cidGroupOne==",
        sessionWebhook: sinkWebhook(),
      },
      { robotCode: defaultApp.robotCode, nowMs: NOW },
    );
    const response = await fetch(`${server.url}/dingtalk/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...outgoingCallbackHeaders(defaultApp.appSecret, NOW) },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    await vi.waitFor(() => expect(rig.fake.callsTo(GROUP)).toHaveLength(1), ANSWER_WAIT);

    expect(sink.requests).toEqual([]);
    expect(rig.fake.callsTo(GROUP)[0]?.body).toMatchObject({ openConversationId: "cidGroupOne==" });
    expect(rig.fake.callsTo(GROUP)[0]?.msgParam).toMatchObject({
      text: expect.stringContaining("总分 94.6 → B"),
    });
    expect(warnings()).toEqual([expect.objectContaining({ level: 40, host: sink.host })]);
  });

  it("still answers on the sessionWebhook of the configured DingTalk API's own origin, warning nothing", async () => {
    rig.gateway.pushRobotMessage({ text: ASKED, senderStaffId: "staff_zhang" });
    await vi.waitFor(() => expect(rig.fake.callsTo(SESSION)).toHaveLength(1), ANSWER_WAIT);

    expect(rig.fake.callsTo(BATCH)).toEqual([]);
    expect(warnings()).toEqual([]);
  });
});

describe("a DingTalk sessionWebhook on an allowed host that redirects", () => {
  it("is not followed to another host", async () => {
    const sink = await startSink();
    const redirector = await startSink((res) =>
      res.writeHead(307, { location: `${sink.url}${SESSION}?session=${SESSION_TOKEN}` }).end(),
    );
    try {
      const message = robotMessage(
        { text: ASKED, senderStaffId: "staff_zhang" },
        { robotCode: defaultApp.robotCode, nowMs: NOW, sessionWebhookBaseUrl: redirector.url },
      );
      const answering = answerRobotMessage(
        message,
        { blocks: [{ kind: "text", text: "总分 94.6 → B" }] },
        {
          openApi: {} as DingTalkOpenApi,
          metrics: createMetrics(),
          log: silentLog,
          now: () => CHAT_FIXTURE_NOW,
          replyOrigins: replyOrigins([], [redirector.url]),
        },
      );

      await expect(answering).rejects.toBeInstanceOf(ChatSendError);
      expect(redirector.requests).toHaveLength(1);
      expect(sink.requests).toEqual([]);
    } finally {
      await redirector.close();
      await sink.close();
    }
  });
});
