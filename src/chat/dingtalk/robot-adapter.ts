import { type DWClientDownStream, TOPIC_CARD, TOPIC_ROBOT } from "dingtalk-stream";
import type { AdapterDeps, HealthReportingAdapter, InboundHandlers, SentMessage } from "../adapter.ts";
import type { Reply, ReplyImage } from "../reply.ts";
import {
  DEFAULT_OAPI_URL,
  DEFAULT_SESSION_WEBHOOK_HOSTS,
  type DingTalkConfig,
  dingtalkLimits,
} from "./dingtalk-config.ts";
import { unEditable } from "./dingtalk-errors.ts";
import { type DingTalkMarkdown, renderDingTalkMarkdown } from "./markdown.ts";
import { DingTalkOpenApi } from "./openapi-client.ts";
import { outgoingCallbackRoute } from "./outgoing-callback.ts";
import { type InboundContext, receiveCardCallback, receiveRobotMessage } from "./robot-inbound.ts";
import type { OpenApiMessage, PhotoMessage } from "./robot-payloads.ts";
import { answerRobotMessage } from "./robot-replies.ts";
import { replyOrigins } from "./session-webhook-hosts.ts";
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
): HealthReportingAdapter {
  const { clientId, clientSecret } = settings;
  const robotCode = settings.robotCode ?? clientId;
  const sendInterval = 1000 / dingtalkLimits(settings.limits).perAppPerSecond;
  const oapiUrl = settings.oapiUrl ?? DEFAULT_OAPI_URL;
  const openApi = new DingTalkOpenApi(
    { apiUrl: settings.apiUrl, oapiUrl, clientId, clientSecret, robotCode },
    deps,
  );
  const sessionWebhookHosts = settings.sessionWebhookHosts ?? DEFAULT_SESSION_WEBHOOK_HOSTS;
  const allowedReplies = replyOrigins(sessionWebhookHosts, [settings.apiUrl, oapiUrl]);
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

  /**
   * The Reply's pictures, uploaded with oapi's media/upload before anything is posted: the
   * outbox repeats a whole send after a retryable failure, and a repeated upload only leaves an
   * unused file. What remains: a send that fails after its markdown went, while a picture is
   * being sent, posts the markdown again when repeated (DingTalk's robot sends take no key).
   */
  const uploadPhotos = async (reply: Reply): Promise<PhotoMessage[]> => {
    const photos: PhotoMessage[] = [];
    for (const block of reply.blocks.filter((b): b is ReplyImage => b.kind === "image")) {
      photos.push({ photoURL: await openApi.uploadImage(Buffer.from(block.pngBase64, "base64")) });
    }
    return photos;
  };

  return {
    platform: "dingtalk",
    routes: settings.httpCallback ? [outgoingCallbackRoute(clientSecret, deps, (body) => receive(body))] : [],
    // The markdown first, then each picture as a sampleImageMsg of its own, in the order read.
    async send(to, reply): Promise<SentMessage> {
      const photos = await uploadPhotos(reply);
      const out = (message: OpenApiMessage) =>
        to.kind === "channel"
          ? openApi.sendToGroup(to.id, message)
          : openApi.sendToUsers([to.userId], message);
      const ref = await sendParts(photos.length > 0 ? withoutImages(reply) : reply, out);
      for (const photo of photos) await out(photo);
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
        answer: (message, reply) =>
          answerRobotMessage(message, reply, { openApi, replyOrigins: allowedReplies, ...deps }),
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

/** The Reply without its pictures (sent apart); a Reply of nothing else keeps them, as their alt text. */
function withoutImages(reply: Reply): Reply {
  const blocks = reply.blocks.filter((b) => b.kind !== "image");
  return blocks.length > 0 || reply.title ? { ...reply, blocks } : reply;
}
