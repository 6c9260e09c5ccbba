import { webApi } from "@slack/bolt";
import type { BotMetrics } from "../../server/metrics.ts";
import { ChatSendError, type Destination, type SentMessage } from "../adapter.ts";
import type { Reply } from "../reply.ts";
import { renderBlockKit } from "./block-kit.ts";

/**
 * Messages out through Slack's Web API. Every failure becomes a ChatSendError the delivery code
 * understands; the WebClient itself never retries (its default policy keeps trying for ~30 min).
 */

// API errors Slack answers with HTTP 200 that still mean "try again later".
const TRANSIENT_API_ERRORS = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "ratelimited",
]);

/** A WebClient failure in the core's terms; the message names Slack's error, never the request. */
export function chatSendErrorOf(error: unknown): ChatSendError {
  const code = (error as { code?: unknown }).code;
  if (code === webApi.ErrorCode.RateLimitedError) {
    const seconds = (error as webApi.WebAPIRateLimitedError).retryAfter;
    return new ChatSendError("slack", "rate limited", true, seconds * 1000);
  }
  if (code === webApi.ErrorCode.HTTPError) {
    const status = (error as webApi.WebAPIHTTPError).statusCode;
    return new ChatSendError("slack", `HTTP ${status}`, status >= 500 || status === 408);
  }
  if (code === webApi.ErrorCode.RequestError) return new ChatSendError("slack", "network error", true);
  if (code === webApi.ErrorCode.PlatformError) {
    const apiError = (error as webApi.WebAPIPlatformError).data.error;
    return new ChatSendError("slack", apiError, TRANSIENT_API_ERRORS.has(apiError));
  }
  return new ChatSendError("slack", error instanceof Error ? error.message : String(error), false);
}

/** A sent message's handle: the channel and Slack's ts, which together name one message. */
export const messageRef = (channel: string, ts: string): string => `${channel}:${ts}`;

function channelAndTs(message: SentMessage): { channel: string; ts: string } {
  const at = message.ref.lastIndexOf(":");
  if (message.platform !== "slack" || at < 1) throw new ChatSendError("slack", "not a Slack message", false);
  return { channel: message.ref.slice(0, at), ts: message.ref.slice(at + 1) };
}

export interface SlackOutbound {
  send(to: Destination, reply: Reply): Promise<SentMessage>;
  update(message: SentMessage, reply: Reply): Promise<void>;
  /** Seen only by `userId`, in a channel they are in. */
  whisper(channel: string, userId: string, reply: Reply): Promise<void>;
}

export function slackOutbound(client: webApi.WebClient, metrics: BotMetrics): SlackOutbound {
  // DM channel ids never change; kept in memory for now (a database cache comes later).
  const dmChannels = new Map<string, string>();

  async function call<T>(run: () => Promise<T>): Promise<T> {
    try {
      const result = await run();
      metrics.outbound.inc({ platform: "slack", result: "ok" });
      return result;
    } catch (error) {
      const failure = chatSendErrorOf(error);
      metrics.outbound.inc({ platform: "slack", result: failure.retryable ? "retryable" : "failed" });
      throw failure;
    }
  }

  async function dmChannelOf(userId: string): Promise<string> {
    const known = dmChannels.get(userId);
    if (known) return known;
    const opened = await call(() => client.conversations.open({ users: userId }));
    const channel = opened.channel?.id;
    if (!channel) throw new ChatSendError("slack", "conversations.open returned no channel", false);
    dmChannels.set(userId, channel);
    return channel;
  }

  return {
    async send(to, reply) {
      const channel = to.kind === "channel" ? to.id : await dmChannelOf(to.userId);
      const posted = await call(() => client.chat.postMessage({ channel, ...renderBlockKit(reply) }));
      if (!posted.channel || !posted.ts)
        throw new ChatSendError("slack", "chat.postMessage returned no ts", false);
      return { platform: "slack", ref: messageRef(posted.channel, posted.ts) };
    },
    async update(message, reply) {
      await call(() => client.chat.update({ ...channelAndTs(message), ...renderBlockKit(reply) }));
    },
    async whisper(channel, userId, reply) {
      await call(() => client.chat.postEphemeral({ channel, user: userId, ...renderBlockKit(reply) }));
    },
  };
}
