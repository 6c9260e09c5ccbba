import type { InboundOutcome } from "../../server/metrics.ts";
import type { AdapterDeps, InboundHandlers } from "../adapter.ts";
import type { Caller } from "../caller.ts";
import { type ButtonValue, renderCard } from "./card.ts";
import type { FeishuApi } from "./feishu-api.ts";
import { commandText, type ReceivedMessage } from "./message-text.ts";

/**
 * What the EventDispatcher runs, over HTTP and over the long connection alike: a message to
 * the bot becomes a command, a button press a click. Feishu re-pushes an event (same event_id)
 * for hours when it thinks it went unanswered, so each acts once. A command is answered after
 * the event is: Feishu waits 3 seconds for the HTTP 200, and a command may take longer.
 */

/** The SDK hands over the 2.0 envelope flattened: header fields and event fields side by side. */
interface MessageEvent {
  event_id?: string;
  sender?: { sender_type?: string; sender_id?: { open_id?: string } };
  message?: ReceivedMessage & { message_id?: string };
}

interface CardActionEvent {
  event_id?: string;
  operator?: { open_id?: string };
  action?: { value?: Partial<ButtonValue> };
  context?: { open_message_id?: string };
}

/** Feishu's answer to a card callback (2.0): a toast, and/or a card replacing the clicked one. */
export type CardCallbackAnswer =
  | Record<string, never>
  | { toast: { type: "success" | "error" | "info" | "warning"; content: string } }
  | { card: { type: "raw"; data: unknown } };

export interface FeishuEventContext {
  deps: AdapterDeps;
  api: FeishuApi;
  botOpenId?: string | undefined;
  /** Undefined until start() and after stop(). */
  handlers(): InboundHandlers | undefined;
  /** Work going on after the event was answered, for stop() to wait for. */
  track(work: Promise<void>): void;
}

export function feishuEventHandlers(context: FeishuEventContext) {
  const { deps, api } = context;
  const count = (outcome: InboundOutcome) => deps.metrics.inbound.inc({ platform: "feishu", outcome });
  const once = (eventId: string | undefined) =>
    eventId === undefined || deps.memory.firstDelivery("feishu", eventId, deps.now());

  async function answerCommand(handlers: InboundHandlers, caller: Caller, text: string, event: MessageEvent) {
    try {
      const reply = await handlers.command(caller, text);
      const card = renderCard(reply);
      // A private answer asked for in a group goes to the asker's own chat with the bot.
      if (reply.private && event.message?.chat_type !== "p2p")
        await api.sendCard("open_id", caller.userId, card);
      else await api.replyCard(event.message?.message_id ?? "", card);
      count("handled");
    } catch (error) {
      count("error");
      deps.log.error({ err: error, eventId: event.event_id }, "feishu command not answered");
    }
  }

  return {
    "im.message.receive_v1": async (event: MessageEvent): Promise<Record<string, never>> => {
      const handlers = context.handlers();
      const openId = event.sender?.sender_id?.open_id;
      // Other bots (and our own messages) are never commands.
      const text =
        event.sender?.sender_type === "user" && event.message
          ? commandText(event.message, context.botOpenId)
          : undefined;
      if (!handlers || !openId || text === undefined || !event.message?.message_id) {
        count("ignored");
        return {};
      }
      if (!(await once(event.event_id))) {
        count("duplicate");
        return {};
      }
      context.track(answerCommand(handlers, { platform: "feishu", userId: openId }, text, event));
      return {};
    },

    "card.action.trigger": async (event: CardActionEvent): Promise<CardCallbackAnswer> => {
      const handlers = context.handlers();
      const openId = event.operator?.open_id;
      const value = event.action?.value;
      if (!handlers || !openId || typeof value?.action !== "string") {
        count(handlers ? "malformed" : "ignored");
        return {};
      }
      if (!(await once(event.event_id))) {
        count("duplicate");
        return {};
      }
      const messageId = event.context?.open_message_id;
      const caller: Caller = { platform: "feishu", userId: openId };
      try {
        const reply = await handlers.click({
          caller,
          actionId: value.action,
          value: typeof value.value === "string" ? value.value : "",
          ...(messageId ? { message: { platform: "feishu", ref: messageId } } : {}),
        });
        count("handled");
        if (!reply) return {};
        if (reply.private) {
          context.track(
            api.sendCard("open_id", openId, renderCard(reply)).then(
              () => undefined,
              (error: unknown) => deps.log.error({ err: error }, "feishu private answer to a click not sent"),
            ),
          );
          return {};
        }
        return { card: { type: "raw", data: renderCard(reply) } };
      } catch (error) {
        count("error");
        deps.log.error({ err: error, eventId: event.event_id }, "feishu click failed");
        return { toast: { type: "error", content: "操作没有完成，请稍后再试" } };
      }
    },
  };
}
