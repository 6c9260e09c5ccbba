import type { FeishuConfig } from "./feishu-config.ts";
import { FEISHU_EVENTS_PATH } from "./feishu-webhook.ts";

/**
 * What the Feishu/Lark app must have for this code: its permissions (scopes), the event it
 * subscribes to and the card callback. tests/chat/setup/feishu-setup.test.ts holds the scopes to
 * the OpenAPI calls the code makes, so a new call without its permission fails a test.
 */

/** Every tenant scope the code needs, with what needs it. */
export const FEISHU_SCOPES = {
  "im:message:send_as_bot": "im.v1.message.create, reply and patch: cards to people and groups",
  "im:resource": "im.v1.image.create: the digests' charts",
  "im:message.p2p_msg:readonly": "the im.message.receive_v1 event for direct messages to the bot",
  "im:message.group_at_msg:readonly": "the im.message.receive_v1 event for @bot in a group",
  "im:chat:readonly": "im.v1.chatMembers.isInChat (kpi doctor: is the bot in each digest group)",
  "contact:user.id:readonly":
    "contact.v3.user.batchGetId (kpi roster sync: each agent's open_id from their email or mobile)",
} as const satisfies Record<string, string>;

/** The events the dispatcher handles (feishu-events.ts), and the card callback. */
export const FEISHU_EVENTS = ["im.message.receive_v1"] as const;
export const FEISHU_CALLBACKS = ["card.action.trigger"] as const;

export interface FeishuSetup {
  scopes: string[];
  /** The JSON the developer console's 权限管理 → 批量导入 (import scopes) takes. */
  scopesImport: { scopes: { tenant: string[]; user: string[] } };
  events: string[];
  callbacks: string[];
  /** Where Feishu posts events and card callbacks (http mode); undefined for the long connection. */
  requestUrl?: string;
}

export function feishuSetup(options: { url?: string; mode: FeishuConfig["mode"] }): FeishuSetup {
  if (options.mode === "http" && options.url === undefined)
    throw new Error("an http-mode set-up needs the public URL");
  const scopes = Object.keys(FEISHU_SCOPES);
  return {
    scopes,
    scopesImport: { scopes: { tenant: scopes, user: [] } },
    events: [...FEISHU_EVENTS],
    callbacks: [...FEISHU_CALLBACKS],
    ...(options.mode === "http"
      ? { requestUrl: `${options.url!.replace(/\/+$/, "")}${FEISHU_EVENTS_PATH}` }
      : {}),
  };
}
