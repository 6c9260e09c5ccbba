import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import {
  type DownstreamFrame,
  type RobotMessage,
  type RobotMessageFields,
  robotMessage,
  systemFrame,
  type UpstreamFrame,
} from "./frames.ts";
import { isRecord, readBody, sendJson } from "./http-json.ts";
import { TicketedConnections } from "./stream-connections.ts";

export { DWClientWithGateway } from "./stream-client.ts";

/** An app whose robot talks over Stream mode: its ClientID (the AppKey) and ClientSecret. */
export interface StreamApp {
  clientId: string;
  clientSecret: string;
}

export const defaultStreamApp: StreamApp = { clientId: "dingkpibot0001", clientSecret: "kpi-bot-app-secret" };

export interface FakeStreamGatewayOptions {
  apps?: StreamApp[];
  /** How long an un-acked callback waits before it is pushed again; DingTalk waits about 60 s. */
  redeliverAfterMs?: number;
  /** Pushes of one callback in all, the first included. */
  maxDeliveries?: number;
  /** Between the `disconnect` frame and the gateway closing the socket; DingTalk waits 10 s. */
  disconnectGraceMs?: number;
  clock?: () => number;
  /** Base of each robot message's sessionWebhook, e.g. the fake OpenAPI's baseUrl. */
  sessionWebhookBaseUrl?: string;
}

/** One POST to /v1.0/gateway/connections/open, as the client sent it. */
export interface GatewayOpen {
  clientId: string;
  ua?: string;
  subscriptions: { type: string; topic: string }[];
  accepted: boolean;
}

export interface FakeStreamGateway {
  /** Give it to DWClientWithGateway; DingTalk's is https://api.dingtalk.com/v1.0/gateway/connections/open. */
  gatewayUrl: string;
  opens: GatewayOpen[];
  /** Every frame clients sent back that answers a CALLBACK or EVENT push, in arrival order. */
  acks: UpstreamFrame[];
  openConnections(): number;
  /** Resolves once a client is connected and subscribed (at once if one already is). */
  waitForConnection(): Promise<void>;
  /** Pushes a robot message on TOPIC_ROBOT; returns the stream messageId and the message itself. */
  pushRobotMessage(fields: RobotMessageFields): {
    messageId: string;
    message: RobotMessage;
  };
  pushCallback(topic: string, data: object): string;
  /** How many times a push went out: 1, then one more per redelivery. */
  deliveries(messageId: string): number;
  waitForAck(messageId: string): Promise<UpstreamFrame>;
  /** A SYSTEM ping; resolves with the client's answer, which must echo the opaque data. */
  ping(): Promise<{ sent: DownstreamFrame; answer: UpstreamFrame }>;
  /** A SYSTEM disconnect, then the socket is closed after disconnectGraceMs, as DingTalk does. */
  sendDisconnect(): void;
  /** Cuts every socket without a word, like a network failure. */
  dropConnections(): void;
  /** While on, the WebSocket upgrade answers 401 whatever the ticket. */
  refuseTickets(on: boolean): void;
  close(): Promise<void>;
}

export async function startFakeStreamGateway(
  options: FakeStreamGatewayOptions = {},
): Promise<FakeStreamGateway> {
  const clock = options.clock ?? Date.now;
  const apps = options.apps ?? [defaultStreamApp];
  const opens: GatewayOpen[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.method !== "POST" || req.url !== "/v1.0/gateway/connections/open" || !isRecord(body)) {
      return sendJson(res, 404, { code: "InvalidAction.NotFound", message: "Specified api is not found." });
    }
    const app = apps.find((a) => a.clientId === body.clientId && a.clientSecret === body.clientSecret);
    const subscriptions = Array.isArray(body.subscriptions) ? body.subscriptions : [];
    opens.push({
      clientId: String(body.clientId),
      ua: String(body.ua ?? ""),
      subscriptions,
      accepted: !!app,
    });
    if (!app) {
      return sendJson(res, 400, {
        code: "invalidClientIdOrSecret",
        message: "无效的clientId或者clientSecret",
      });
    }
    const ticket = connections.issueTicket(app.clientId, subscriptions);
    sendJson(res, 200, { endpoint: `ws://127.0.0.1:${port}/connect`, ticket });
  });
  const wss = new WebSocketServer({ noServer: true });
  const connections = new TicketedConnections(wss, {
    clock,
    redeliverAfterMs: options.redeliverAfterMs ?? 60_000,
    maxDeliveries: options.maxDeliveries ?? 4,
  });
  server.on("upgrade", (req, socket, head) => connections.upgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const robotCode = apps[0]?.clientId ?? "";
  const webhookBase = options.sessionWebhookBaseUrl;

  return {
    gatewayUrl: `http://127.0.0.1:${port}/v1.0/gateway/connections/open`,
    opens,
    acks: connections.acks,
    openConnections: () => connections.open().length,
    waitForConnection: () => connections.waitForConnection(),
    pushRobotMessage(fields) {
      const context = {
        robotCode,
        nowMs: clock(),
        ...(webhookBase ? { sessionWebhookBaseUrl: webhookBase } : {}),
      };
      const message = robotMessage(fields, context);
      return { messageId: connections.push("/v1.0/im/bot/messages/get", message), message };
    },
    pushCallback: (topic, data) => connections.push(topic, data),
    deliveries: (messageId) => connections.deliveries(messageId),
    waitForAck: (messageId) => connections.waitForAck(messageId),
    ping: () => connections.ping(systemFrame("ping", clock())),
    sendDisconnect() {
      for (const ws of connections.open()) {
        ws.send(JSON.stringify(systemFrame("disconnect", clock())));
        setTimeout(() => ws.close(), options.disconnectGraceMs ?? 10_000).unref();
      }
    },
    dropConnections: () => {
      for (const ws of connections.open()) ws.terminate();
    },
    refuseTickets: (on) => connections.refuseTickets(on),
    close: async () => {
      connections.stop();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
