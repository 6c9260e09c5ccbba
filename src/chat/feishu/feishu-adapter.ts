import { createHash } from "node:crypto";
import * as lark from "@larksuiteoapi/node-sdk";
import type { AdapterDeps, ChatAdapter, InboundHandlers } from "../adapter.ts";
import type { Reply } from "../reply.ts";
import { CARD_BYTES_LIMIT, type ImageKeys, renderCard } from "./card.ts";
import { createFeishuApi, type FeishuApi } from "./feishu-api.ts";
import { type FeishuConfig, type FeishuSecrets, feishuLimits } from "./feishu-config.ts";
import { feishuEventHandlers } from "./feishu-events.ts";
import { feishuEventsRoute } from "./feishu-webhook.ts";
import { sdkLogger } from "./sdk-logger.ts";

export { feishuSecretsFromEnv } from "./feishu-config.ts";

/**
 * Feishu/Lark through @larksuiteoapi/node-sdk: events over HTTP (POST /feishu/events on the
 * bot's server) or over the SDK's long connection, answers as cards (card.ts) sent by the
 * adapter's own lark.Client (feishu-api.ts).
 */

/**
 * Feishu posts one message per `uuid` within an hour (at most 50 characters): the outbox key's
 * digest, so a send repeated after a crash or a lost answer is not doubled.
 */
export const feishuUuidOf = (key: string) =>
  createHash("sha256").update(key).digest("base64url").slice(0, 43);

/**
 * Uploads the Reply's pictures, one by one, for the card to show by their image_keys. Done before
 * the card is sent: a send repeated after a failure uploads again (an unused image costs nothing)
 * and, with the same uuid, still posts one card.
 */
async function uploadImages(api: FeishuApi, reply: Reply): Promise<ImageKeys> {
  const keys = new Map<number, string>();
  for (const [i, block] of reply.blocks.entries()) {
    if (block.kind === "image") keys.set(i, await api.uploadImage(Buffer.from(block.pngBase64, "base64")));
  }
  return keys;
}

export function createFeishuAdapter(settings: FeishuConfig & FeishuSecrets, deps: AdapterDeps): ChatAdapter {
  const { encryptKey, verificationToken } = settings;
  if (settings.mode === "http" && (!encryptKey || !verificationToken)) {
    // Without an encrypt key the SDK checks no signature at all: anyone could post as anyone.
    throw new Error("Feishu http mode needs FEISHU_ENCRYPT_KEY and FEISHU_VERIFICATION_TOKEN");
  }
  const api = createFeishuApi(settings, deps.metrics, deps.log);
  const limits = feishuLimits(settings.limits);
  const logger = sdkLogger(deps.log);
  let handlers: InboundHandlers | undefined;
  let longConnection: lark.WSClient | undefined;
  const pending = new Set<Promise<void>>();

  const dispatcher = new lark.EventDispatcher({
    ...(encryptKey ? { encryptKey } : {}),
    ...(verificationToken ? { verificationToken } : {}),
    logger,
    loggerLevel: lark.LoggerLevel.warn,
  }).register(
    feishuEventHandlers({
      deps,
      api,
      botOpenId: settings.botOpenId,
      handlers: () => handlers,
      track(work) {
        pending.add(work);
        void work.finally(() => pending.delete(work));
      },
    }),
  );

  return {
    platform: "feishu",
    routes:
      settings.mode === "http" && encryptKey && verificationToken
        ? [feishuEventsRoute({ encryptKey, verificationToken }, dispatcher, deps)]
        : [],

    async send(to, reply, options = {}) {
      const card = renderCard(reply, CARD_BYTES_LIMIT, await uploadImages(api, reply));
      const uuid = options.idempotencyKey === undefined ? undefined : feishuUuidOf(options.idempotencyKey);
      const messageId =
        to.kind === "channel"
          ? await api.sendCard("chat_id", to.id, card, uuid)
          : await api.sendCard("open_id", to.userId, card, uuid);
      return { platform: "feishu", ref: messageId };
    },

    // Feishu's published limits: 50 requests a second per app, 5 a second per user or group.
    sendScopes: (to) => [
      { scope: "feishu:app", intervalMs: 1000 / limits.perAppPerSecond },
      {
        scope: to.kind === "channel" ? `feishu:chat:${to.id}` : `feishu:user:${to.userId}`,
        intervalMs: 1000 / limits.perChatPerSecond,
      },
    ],

    async update(message, reply) {
      await api.updateCard(message.ref, renderCard(reply, CARD_BYTES_LIMIT, await uploadImages(api, reply)));
    },

    async start(inbound) {
      handlers = inbound;
      if (settings.mode !== "websocket") return;
      // WSClient.start() logs and returns, connecting nothing, for an appId of another shape.
      if (!/^cli_[0-9a-fA-F]{16}$/.test(settings.appId)) {
        throw new Error("Feishu long connection: FEISHU_APP_ID is not of the form cli_ + 16 hex digits");
      }
      // Over the long connection events arrive unsigned and unencrypted, inside a socket the
      // app opened with its own credentials; the dispatcher skips its checks (needCheck: false).
      longConnection = new lark.WSClient({
        appId: settings.appId,
        appSecret: settings.appSecret,
        domain: settings.domain,
        logger,
        loggerLevel: lark.LoggerLevel.warn,
      });
      await longConnection.start({ eventDispatcher: dispatcher });
    },

    async stop() {
      longConnection?.close();
      longConnection = undefined;
      handlers = undefined;
      await Promise.allSettled([...pending]);
    },

    async health() {
      if (settings.mode !== "websocket") return true;
      const state = longConnection?.getConnectionStatus().state ?? "not started";
      return state === "connected" ? true : `Feishu long connection ${state}`;
    },
  };
}
