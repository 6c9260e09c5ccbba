import type { BotMetrics } from "../../server/metrics.ts";
import type { Reply } from "../reply.ts";
import { counted, oapiFailure, postJson } from "./http-call.ts";
import { type DingTalkMarkdown, renderDingTalkMarkdown } from "./markdown.ts";
import type { DingTalkOpenApi } from "./openapi-client.ts";
import { isGroup, type RobotMessage, sessionWebhookOf } from "./robot-message.ts";
import { webhookBody } from "./robot-payloads.ts";

/**
 * Answers a robot message where it was asked: through the message's sessionWebhook while it
 * lasts (no token, no OpenAPI quota), else through the OpenAPI: the group by its
 * openConversationId, or the asker 1:1. A private Reply asked in a group goes to the asker 1:1.
 */
export async function answerRobotMessage(
  message: RobotMessage,
  reply: Reply,
  out: { openApi: DingTalkOpenApi; metrics: BotMetrics; now: () => Date },
): Promise<void> {
  const parts = renderDingTalkMarkdown(reply);
  const asker = message.senderStaffId;
  const privateInGroup = reply.private === true && isGroup(message);
  const session = privateInGroup ? undefined : sessionWebhookOf(message, out.now().getTime());
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
    const answer = await postJson(url, webhookBody(part), { nowMs: out.now().getTime() });
    const failure = oapiFailure("sessionWebhook", answer);
    if (failure) throw failure;
  });
}
