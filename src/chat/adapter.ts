import type { Log } from "../log.ts";
import type { Route } from "../server/http-server.ts";
import type { BotMetrics } from "../server/metrics.ts";
import type { Caller, ChatPlatform } from "./caller.ts";
import type { Reply } from "./reply.ts";

/**
 * The one interface the core talks to, whatever the chat platform. SDK types stay inside each
 * adapter (src/chat/slack, feishu, dingtalk, console); the core sees destinations, Replies and
 * handles of sent messages.
 */

/** Where a message goes: a channel or group chat, or one person's direct messages. */
export type Destination = { kind: "channel"; id: string } | { kind: "user"; userId: string };

/** A sent message, enough to update it later (Slack channel + ts, Feishu message_id, DingTalk card id). */
export interface SentMessage {
  platform: ChatPlatform;
  /** The platform's own handle, opaque to the core. */
  ref: string;
}

/** A click on one of our buttons, after the platform's signature and replay checks. */
export interface ButtonClick {
  caller: Caller;
  actionId: string;
  value: string;
  /** The message the button was on, when the platform says (to update it in place). */
  message?: SentMessage;
}

/** What the core does with what arrives; an adapter calls these once per delivery. */
export interface InboundHandlers {
  /** `/kpi …` or a direct message / @mention: the text after the command or mention. */
  command(caller: Caller, text: string): Promise<Reply>;
  /** A button click; the Reply, when given, replaces the message or answers the clicker. */
  click(click: ButtonClick): Promise<Reply | undefined>;
}

/** What a send may carry besides the message. */
export interface SendOptions {
  /**
   * The outbox key of the message. Where the platform takes one (Feishu's `uuid`), a send
   * repeated after a crash or a lost answer is posted once.
   */
  idempotencyKey?: string;
}

/**
 * A published rate limit a send counts against: at most one send per `intervalMs` in `scope`
 * (a Slack channel, a Feishu app or chat, a DingTalk robot). The delivery engine paces sends by
 * these, across replicas.
 */
export interface SendScope {
  scope: string;
  intervalMs: number;
}

export interface ChatAdapter {
  readonly platform: ChatPlatform;
  /** Webhook routes for the bot's HTTP server (none in socket / stream modes). */
  readonly routes: Route[];
  send(to: Destination, reply: Reply, options?: SendOptions): Promise<SentMessage>;
  /**
   * Whether a message with this outbox key was already posted to `to` since `since` (an attempt
   * that died after the platform accepted it): its handle, else undefined. Platforms that cannot
   * tell leave this out.
   */
  findSent?(to: Destination, idempotencyKey: string, since: Date): Promise<SentMessage | undefined>;
  /** The limits a send to `to` counts against. */
  sendScopes(to: Destination): SendScope[];
  update(message: SentMessage, reply: Reply): Promise<void>;
  /** Starts receiving (HTTP routes are mounted by the server; sockets connect here). */
  start(handlers: InboundHandlers): Promise<void>;
  stop(): Promise<void>;
  /** For /healthz: true when connected, else what is wrong (a Stream socket down, say). */
  health?(): Promise<true | string>;
}

/** An adapter that always reports its health (DingTalk's: a Stream connection or a webhook). */
export interface HealthReportingAdapter extends ChatAdapter {
  health(): Promise<true | string>;
}

/** A platform API call that failed: retryable (429, 5xx, network) or not (bad request, no permission). */
export class ChatSendError extends Error {
  constructor(
    readonly platform: ChatPlatform,
    message: string,
    readonly retryable: boolean,
    /** From Retry-After (or the platform's reset header), in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(`${platform}: ${message}`);
    this.name = "ChatSendError";
  }
}

/**
 * What adapters keep across restarts and replicas: the inbound deliveries already acted on, and
 * the DM channels a platform opened. The wiring backs it with the database (store/chat-memory.ts).
 */
export interface ChatMemory {
  /** True the first time this platform's delivery id is seen; false for every repeat. */
  firstDelivery(platform: ChatPlatform, deliveryId: string, now: Date): Promise<boolean>;
  dmChannelOf(platform: ChatPlatform, userId: string): Promise<string | undefined>;
  /** A channel already kept for the user (another replica opened it a moment before) wins. */
  rememberDmChannel(row: {
    platform: ChatPlatform;
    userId: string;
    channelId: string;
    openedAt: Date;
  }): Promise<void>;
  /** Forgets this channel (the platform no longer takes it), not a newer one kept meanwhile. */
  forgetDmChannel(platform: ChatPlatform, userId: string, channelId: string): Promise<void>;
}

/** What every adapter is built with, besides its own settings and secrets. */
export interface AdapterDeps {
  memory: ChatMemory;
  metrics: BotMetrics;
  log: Log;
  now: () => Date;
}
