import type { Log } from "../../log.ts";
import type { BotMetrics } from "../../server/metrics.ts";
import type { Reply } from "../reply.ts";
import { counted, oapiFailure, postJson } from "./http-call.ts";
import { type DingTalkMarkdown, renderDingTalkMarkdown } from "./markdown.ts";
import type { DingTalkOpenApi } from "./openapi-client.ts";
import { isGroup, type RobotMessage, sessionWebhookOf } from "./robot-message.ts";
import { webhookBody } from "./robot-payloads.ts";
import type { ReplyOrigins } from "./session-webhook-hosts.ts";

/**
 * Answers a robot message where it was asked: through the message's sessionWebhook while it
 * lasts (no token, no OpenAPI quota), else through the OpenAPI: the group by its
 * openConversationId, or the asker 1:1. A private Reply asked in a group goes to the asker 1:1.
 * A sessionWebhook on a host that is not allowed is never posted to: the OpenAPI only sends to
 * the group or staff id named, so the answer reaches them in DingTalk and no one else.
 */
export async function answerRobotMessage(
  message: RobotMessage,
  reply: Reply,
  out: {
    openApi: DingTalkOpenApi;
    metrics: BotMetrics;
    log: Log;
    now: () => Date;
    replyOrigins: ReplyOrigins;
  },
): Promise<void> {
  const parts = renderDingTalkMarkdown(reply);
  const asker = message.senderStaffId;
  const privateInGroup = reply.private === true && isGroup(message);
  const webhook = sessionWebhookOf(message, out.now().getTime(), out.replyOrigins);
  if (webhook.kind === "refused") {
    out.metrics.refusedReplyUrls.inc({ platform: "dingtalk" });
    // Ids and the host only: the URL's query is the session's credential, the text the asker's.
    out.log.warn(
      { platform: "dingtalk", host: webhook.host, msgId: message.msgId, staffId: asker },
      "sessionWebhook on a host not allowed (chat.dingtalk.sessionWebhookHosts); answering through the OpenAPI",
    );
  }
  const session = webhook.kind === "usable" && !privateInGroup ? webhook.url : undefined;
  for (const part of parts) {
    if (session) await postToSession(session, part, out);
    else if (isGroup(message) && !privateInGroup) await out.openApi.sendToGroup(message.conversationId, part);
    else if (asker) await out.openApi.sendToUsers([asker], part);
  }
}

async function postToSession(
  url: string,
  part: DingTalkMarkdown,
  out: { metrics: BotMetrics; now: () => Date },
): Promise<void> {
  await counted(out.metrics, async () => {
    // A redirect would lead the answer off the allowed host.
    const options = { nowMs: out.now().getTime(), redirect: "error" as const };
    const answer = await postJson(url, webhookBody(part), options);
    const failure = oapiFailure("sessionWebhook", answer);
    if (failure) throw failure;
  });
}
