import { type DWClientDownStream, TOPIC_CARD, TOPIC_ROBOT } from "dingtalk-stream";
import type { AdapterDeps, InboundHandlers, SentMessage } from "../adapter.ts";
import type { Reply } from "../reply.ts";
import type { DingTalkAdapter } from "./dingtalk-adapter.ts";
import { type DingTalkConfig, dingtalkLimits } from "./dingtalk-config.ts";
import { unEditable } from "./dingtalk-errors.ts";
import { type DingTalkMarkdown, renderDingTalkMarkdown } from "./markdown.ts";
import { DingTalkOpenApi } from "./openapi-client.ts";
import { outgoingCallbackRoute } from "./outgoing-callback.ts";
import { type InboundContext, receiveCardCallback, receiveRobotMessage } from "./robot-inbound.ts";
import { answerRobotMessage } from "./robot-replies.ts";
import { type ReconnectPolicy, StreamConnection } from "./stream-connection.ts";

/**
 * The enterprise robot: messages and card presses come in over Stream (and, when configured,
 * over the signed HTTP callback); answers and sends go out through sessionWebhooks and the
 * OpenAPI. Each push is acked before any work, and the work is awaited by stop().
 */
export function createRobotAdapter(
  settings: DingTalkConfig & { clientId: string; clientSecret: string },
  deps: AdapterDeps,
  reconnect: ReconnectPolicy,
): DingTalkAdapter {
  const { clientId, clientSecret } = settings;
  const robotCode = settings.robotCode ?? clientId;
  const sendInterval = 1000 / dingtalkLimits(settings.limits).perAppPerSecond;
  const openApi = new DingTalkOpenApi({ apiUrl: settings.apiUrl, clientId, clientSecret, robotCode }, deps);
  const pending = new Set<Promise<unknown>>();
  let context: InboundContext | undefined;

  const track = (work: Promise<unknown>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  const receive = (data: unknown, deliveryId?: string) => {
    if (!context) return deps.metrics.inbound.inc({ platform: "dingtalk", outcome: "ignored" });
    track(
      deliveryId === undefined
        ? receiveRobotMessage(data, context)
        : receiveCardCallback(data, deliveryId, context),
    );
  };
  const dataOf = (downstream: DWClientDownStream): unknown => {
    try {
      return JSON.parse(downstream.data);
    } catch {
      return undefined;
    }
  };

  const stream = new StreamConnection(
    {
      clientId,
      clientSecret,
      ...(settings.streamGatewayUrl ? { gatewayUrl: settings.streamGatewayUrl } : {}),
    },
    {
      [TOPIC_ROBOT]: (downstream, client) => {
        client.ack(downstream);
        receive(dataOf(downstream));
      },
      [TOPIC_CARD]: (downstream, client) => {
        client.ack(downstream);
        receive(dataOf(downstream), downstream.headers.messageId);
      },
    },
    { log: deps.log, policy: reconnect },
  );

  /** Every part of a long Reply, in order; the handle is the last part's processQueryKey. */
  const sendParts = async (reply: Reply, send: (part: DingTalkMarkdown) => Promise<string>) => {
    let ref = "";
    for (const part of renderDingTalkMarkdown(reply)) ref = await send(part);
    return ref;
  };

  return {
    platform: "dingtalk",
    routes: settings.httpCallback ? [outgoingCallbackRoute(clientSecret, deps, (body) => receive(body))] : [],
    async send(to, reply): Promise<SentMessage> {
      const ref =
        to.kind === "channel"
          ? await sendParts(reply, (part) => openApi.sendToGroup(to.id, part))
          : await sendParts(reply, (part) => openApi.sendToUsers([to.userId], part));
      return { platform: "dingtalk", ref };
    },
    sendScopes: () => [{ scope: "dingtalk:app", intervalMs: sendInterval }],
    async update() {
      throw unEditable();
    },
    async start(handlers: InboundHandlers) {
      context = {
        handlers,
        deps,
        answer: (message, reply) => answerRobotMessage(message, reply, { openApi, ...deps }),
        answerUser: async (staffId, reply) => {
          await sendParts(reply, (part) => openApi.sendToUsers([staffId], part));
        },
      };
      await stream.start();
    },
    async stop() {
      await stream.stop();
      await Promise.allSettled([...pending]);
      context = undefined;
    },
    health: async () => stream.health(),
  };
}
