import { randomUUID } from "node:crypto";

/**
 * Request bodies as Feishu's event subscription (schema 2.0, "send to developer server") posts them.
 * Deliver them with `encryptAndSign`. Times are milliseconds since the epoch, passed in, so tests
 * say what day it is.
 */

export {
  type Delivery,
  encryptAndSign,
  encryptForFeishu,
  feishuSignature,
  type SignedBy,
} from "./delivery.ts";

export interface Mention {
  openId: string;
  name: string;
  userId?: string;
}

/** What every event says: its envelope header and the person who acted. */
interface EventFields {
  /** Feishu redelivers an event with the same event_id until it gets HTTP 200 in time. */
  eventId?: string;
  /** The app's Verification Token; Feishu puts it in header.token. */
  token: string;
  appId?: string;
  tenantKey?: string;
  /** Who wrote, or pressed the button. */
  openId: string;
  userId?: string;
  createTime: number;
}

export interface MessageReceive extends EventFields {
  chatId: string;
  chatType: "p2p" | "group";
  /** The text as Feishu delivers it: each mention appears as its key, `@_user_1`, `@_user_2`, … */
  text: string;
  /** In the order of their keys in `text`. */
  mentions?: Mention[];
  messageId?: string;
}

/** An `im.message.receive_v1` event: someone wrote to the bot, or in a group where it is @-mentioned. */
export function messageReceiveEvent(m: MessageReceive) {
  const tenantKey = m.tenantKey ?? "fake_tenant";
  return {
    schema: "2.0",
    header: header("im.message.receive_v1", m, tenantKey),
    event: {
      sender: {
        sender_id: { open_id: m.openId, user_id: m.userId ?? "", union_id: `on_${m.openId}` },
        sender_type: "user",
        tenant_key: tenantKey,
      },
      message: {
        message_id: m.messageId ?? `om_${randomUUID().replaceAll("-", "")}`,
        root_id: "",
        parent_id: "",
        create_time: String(m.createTime),
        update_time: String(m.createTime),
        chat_id: m.chatId,
        thread_id: "",
        chat_type: m.chatType,
        message_type: "text",
        // A JSON string inside the JSON, as Feishu sends it.
        content: JSON.stringify({ text: m.text }),
        mentions: (m.mentions ?? []).map((mention, i) => ({
          key: `@_user_${i + 1}`,
          id: { open_id: mention.openId, user_id: mention.userId ?? "", union_id: `on_${mention.openId}` },
          name: mention.name,
          tenant_key: tenantKey,
        })),
        user_agent: "Mozilla/5.0 Lark/7.30.0",
      },
    },
  };
}

export interface CardAction extends EventFields {
  /** The message that carries the card, and its chat. */
  messageId: string;
  chatId: string;
  /** The button's `value` as the card declared it. */
  value: Record<string, unknown>;
  tag?: string;
  name?: string;
}

/**
 * A `card.action.trigger` callback (card callbacks 2.0): a button on the bot's card was pressed.
 * Register it on the EventDispatcher under "card.action.trigger"; what the handler returns
 * (`{ toast }`, `{ card }`) is the HTTP answer.
 */
export function cardActionEvent(a: CardAction) {
  const tenantKey = a.tenantKey ?? "fake_tenant";
  return {
    schema: "2.0",
    header: header("card.action.trigger", a, tenantKey),
    event: {
      operator: {
        tenant_key: tenantKey,
        open_id: a.openId,
        user_id: a.userId ?? "",
        union_id: `on_${a.openId}`,
      },
      // Lets the bot update the card later, within 30 minutes, by the delayed-update API.
      token: `c-${randomUUID()}`,
      action: { tag: a.tag ?? "button", value: a.value, ...(a.name === undefined ? {} : { name: a.name }) },
      host: "im_message",
      delivery_type: "url_callback",
      context: { url: "", preview_token: "", open_message_id: a.messageId, open_chat_id: a.chatId },
    },
  };
}

/** The challenge Feishu posts when the request URL is saved in the developer console. */
export function urlVerification(challenge: string, token: string) {
  return { challenge, token, type: "url_verification" };
}

function header(eventType: string, e: EventFields, tenantKey: string) {
  return {
    event_id: e.eventId ?? randomUUID().replaceAll("-", ""),
    token: e.token,
    create_time: String(e.createTime),
    event_type: eventType,
    tenant_key: tenantKey,
    app_id: e.appId ?? "cli_fake",
  };
}
