import * as lark from "@larksuiteoapi/node-sdk";
import type { AdapterDeps, ChatAdapter, Destination, InboundHandlers, SentMessage } from "../adapter.ts";
import type { Reply } from "../reply.ts";
import { renderCard } from "./card.ts";
import { createFeishuApi } from "./feishu-api.ts";
import type { FeishuConfig, FeishuSecrets } from "./feishu-config.ts";
import { feishuEventHandlers } from "./feishu-events.ts";
import { feishuEventsRoute } from "./feishu-webhook.ts";
import { sdkLogger } from "./sdk-logger.ts";

export { feishuSecretsFromEnv } from "./feishu-config.ts";

/**
 * Feishu/Lark through @larksuiteoapi/node-sdk: events over HTTP (POST /feishu/events on the
 * bot's server) or over the SDK's long connection, answers as cards (card.ts) sent by the
 * adapter's own lark.Client (feishu-api.ts).
 */

export interface FeishuSendOptions {
  /** Feishu posts one message per uuid within an hour, so a retried send is not doubled. */
  uuid?: string;
}

export interface FeishuAdapter extends ChatAdapter {
  send(to: Destination, reply: Reply, options?: FeishuSendOptions): Promise<SentMessage>;
}

export function createFeishuAdapter(
  settings: FeishuConfig & FeishuSecrets,
  deps: AdapterDeps,
): FeishuAdapter {
  const { encryptKey, verificationToken } = settings;
  if (settings.mode === "http" && (!encryptKey || !verificationToken)) {
    // Without an encrypt key the SDK checks no signature at all: anyone could post as anyone.
    throw new Error("Feishu http mode needs FEISHU_ENCRYPT_KEY and FEISHU_VERIFICATION_TOKEN");
  }
  const api = createFeishuApi(settings, deps.metrics, deps.log);
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
      const card = renderCard(reply);
      const messageId =
        to.kind === "channel"
          ? await api.sendCard("chat_id", to.id, card, options.uuid)
          : await api.sendCard("open_id", to.userId, card, options.uuid);
      return { platform: "feishu", ref: messageId };
    },

    async update(message, reply) {
      await api.updateCard(message.ref, renderCard(reply));
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
