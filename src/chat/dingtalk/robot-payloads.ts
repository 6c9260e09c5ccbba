import type { DingTalkMarkdown } from "./markdown.ts";

/** A picture for the OpenAPI's sampleImageMsg: a public URL, or the media_id of an upload. */
export interface PhotoMessage {
  photoURL: string;
}

/** What the robot sends through the OpenAPI: a rendered markdown part, or a picture. */
export type OpenApiMessage = DingTalkMarkdown | PhotoMessage;

export const templateOf = (message: OpenApiMessage): { msgKey: string; msgParam: string } =>
  "photoURL" in message
    ? { msgKey: "sampleImageMsg", msgParam: JSON.stringify({ photoURL: message.photoURL }) }
    : messageTemplate(message);

/**
 * One rendered message in the two shapes DingTalk takes it: the webhook body (`msgtype` plus the
 * message, for custom robots and sessionWebhooks) and the OpenAPI's message template (`msgKey`
 * plus `msgParam` as a JSON string, for oToMessages/batchSend and groupMessages/send).
 */

export function webhookBody(message: DingTalkMarkdown): Record<string, unknown> {
  const { title, text, buttons } = message;
  if (buttons.length === 0) return { msgtype: "markdown", markdown: { title, text } };
  // btnOrientation "0": buttons stacked, which fits Chinese labels on a phone.
  return { msgtype: "actionCard", actionCard: { title, text, btnOrientation: "0", btns: buttons } };
}

/** The OpenAPI's action card templates take at most five buttons (sampleActionCard2 … 5). */
export const MAX_TEMPLATE_BUTTONS = 5;

export function messageTemplate(message: DingTalkMarkdown): { msgKey: string; msgParam: string } {
  const { title, text } = message;
  const buttons = message.buttons.slice(0, MAX_TEMPLATE_BUTTONS);
  if (buttons.length === 0) return { msgKey: "sampleMarkdown", msgParam: JSON.stringify({ title, text }) };
  if (buttons.length === 1) {
    const [only] = buttons as [DingTalkMarkdown["buttons"][number]];
    const param = { title, text, singleTitle: only.title, singleURL: only.actionURL };
    return { msgKey: "sampleActionCard", msgParam: JSON.stringify(param) };
  }
  const param: Record<string, string> = { title, text };
  buttons.forEach((button, i) => {
    param[`actionTitle${i + 1}`] = button.title;
    param[`actionURL${i + 1}`] = button.actionURL;
  });
  return { msgKey: `sampleActionCard${buttons.length}`, msgParam: JSON.stringify(param) };
}
