import { z } from "zod";
import { hostOf, isAllowedReplyUrl, type ReplyOrigins } from "./session-webhook-hosts.ts";

/**
 * A robot message as DingTalk delivers it (the `data` of a TOPIC_ROBOT push, or the body of an
 * outgoing-robot HTTP callback), and the command text in it.
 */

export const robotMessageSchema = z.object({
  msgId: z.string().min(1),
  msgtype: z.string(),
  /** "1": a 1:1 chat with the robot; "2": a group. */
  conversationType: z.string(),
  /** In a group, the openConversationId that groupMessages/send takes. */
  conversationId: z.string(),
  senderStaffId: z.string().optional(),
  sessionWebhook: z.string().url().optional(),
  sessionWebhookExpiredTime: z.number().optional(),
  chatbotUserId: z.string().optional(),
  text: z.object({ content: z.string() }).optional(),
  atUsers: z.array(z.object({ dingtalkId: z.string(), staffId: z.string().optional() })).optional(),
});
export type RobotMessage = z.infer<typeof robotMessageSchema>;

export const isGroup = (message: RobotMessage) => message.conversationType === "2";

/**
 * The command in a text message: in a group, DingTalk cuts out the @robot but leaves its space,
 * and any other @name stays as text with the person in atUsers; those become `<@staffId>`, the
 * form the command parser reads. A leading "/kpi" is dropped too, for people used to Slack.
 */
export function commandText(message: RobotMessage): string | undefined {
  if (message.msgtype !== "text" || message.text === undefined) return undefined;
  let text = message.text.content.trim();
  if (isGroup(message)) {
    const atUsers = message.atUsers ?? [];
    const botMentioned = atUsers.some((u) => u.dingtalkId === message.chatbotUserId);
    // Some clients leave the robot's own @name in; it is always first.
    if (botMentioned && /^@\S+/.test(text) && mentionsIn(text) > others(message).length) {
      text = text.replace(/^@\S+\s*/, "");
    }
    const people = others(message);
    text = text.replace(/@\S+/g, (mention) => {
      const person = people.shift();
      return person ? `<@${person}>` : mention;
    });
  }
  return text.replace(/^\/kpi(?:\s+|$)/i, "").trim();
}

const mentionsIn = (text: string) => text.match(/@\S+/g)?.length ?? 0;

/** Staff ids of the people @-mentioned, in order, other than the robot. */
function others(message: RobotMessage): string[] {
  return (message.atUsers ?? [])
    .filter((u) => u.dingtalkId !== message.chatbotUserId && u.staffId)
    .map((u) => u.staffId!);
}

/**
 * What a message's sessionWebhook is good for: an answer while it has a minute left (DingTalk
 * gives each about 90 minutes) and names an allowed origin; refused when it names any other
 * host, expired or not, since DingTalk would never send that; nothing when absent or expiring.
 */
export type SessionWebhook =
  | { kind: "usable"; url: string }
  | { kind: "refused"; host: string }
  | { kind: "none" };

export function sessionWebhookOf(
  message: RobotMessage,
  nowMs: number,
  allowed: ReplyOrigins,
): SessionWebhook {
  const { sessionWebhook, sessionWebhookExpiredTime } = message;
  if (!sessionWebhook) return { kind: "none" };
  if (!isAllowedReplyUrl(sessionWebhook, allowed)) return { kind: "refused", host: hostOf(sessionWebhook) };
  if (sessionWebhookExpiredTime === undefined || sessionWebhookExpiredTime - 60_000 <= nowMs) {
    return { kind: "none" };
  }
  return { kind: "usable", url: sessionWebhook };
}
