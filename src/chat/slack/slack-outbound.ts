import { webApi } from "@slack/bolt";
import type { Log } from "../../log.ts";
import type { BotMetrics } from "../../server/metrics.ts";
import {
  type ChatMemory,
  ChatSendError,
  type Destination,
  type SendOptions,
  type SentMessage,
} from "../adapter.ts";
import type { Reply, ReplyImage } from "../reply.ts";
import { renderBlockKit } from "./block-kit.ts";
import { SlackDmChannels } from "./slack-dm-channels.ts";
import { type StagedImage, shareImages, stageImage } from "./slack-files.ts";
import { findPosted, outboxMetadata } from "./slack-find-sent.ts";

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

/** Slack's answer for a DM channel id it no longer takes: forget it and open the DM again. */
const GONE_CHANNEL_ERRORS = new Set(["channel_not_found", "is_archived"]);

/** An API error Slack answered (`ok: false`), with its code for the callers that act on it. */
export class SlackApiError extends ChatSendError {
  constructor(readonly apiError: string) {
    super("slack", apiError, TRANSIENT_API_ERRORS.has(apiError));
  }
}

/** A WebClient failure in the core's terms; the message names Slack's error, never the request. */
export function chatSendErrorOf(error: unknown): ChatSendError {
  if (error instanceof ChatSendError) return error;
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
    return new SlackApiError((error as webApi.WebAPIPlatformError).data.error);
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
  /** With an outbox key, the (text) message carries it as metadata, for `findSent`. */
  send(to: Destination, reply: Reply, options?: SendOptions): Promise<SentMessage>;
  /** The message tagged with this outbox key, posted to `to` since `since` (slack-find-sent.ts). */
  findSent(to: Destination, key: string, since: Date): Promise<SentMessage | undefined>;
  update(message: SentMessage, reply: Reply): Promise<void>;
  /** Seen only by `userId`, in a channel they are in. */
  whisper(channel: string, userId: string, reply: Reply): Promise<void>;
}

export interface SlackOutboundDeps {
  metrics: BotMetrics;
  /** Where DM channel ids are kept. */
  memory: ChatMemory;
  now: () => Date;
  log: Log;
}

/**
 * A Reply with pictures goes out as its text (chat.postMessage), then its pictures as files
 * shared into the same channel, the order people read a digest in. The pictures are uploaded
 * before the text is posted: the delivery code repeats a whole send after a retryable failure,
 * and a repeated upload only leaves an unshared file behind. What remains: when sharing the
 * files fails after the text went, the repeat posts the text a second time, unless the delivery
 * code asks `findSent` first (slack-find-sent.ts says what it finds then).
 */
export function slackOutbound(client: webApi.WebClient, deps: SlackOutboundDeps): SlackOutbound {
  const { metrics } = deps;

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

  const dms = new SlackDmChannels(deps.memory, deps.now, async (userId) => {
    const opened = await call(() => client.conversations.open({ users: userId }));
    const channel = opened.channel?.id;
    if (!channel) throw new ChatSendError("slack", "conversations.open returned no channel", false);
    return channel;
  });

  /** Runs `post` in the user's DM; a DM id from the cache that Slack refuses is opened anew, once. */
  async function inDm<T>(userId: string, post: (channel: string) => Promise<T>): Promise<T> {
    const dm = await dms.channelOf(userId);
    try {
      return await post(dm.id);
    } catch (error) {
      if (dm.fresh || !(error instanceof SlackApiError) || !GONE_CHANNEL_ERRORS.has(error.apiError))
        throw error;
      await dms.forget(userId, dm.id);
      return post((await dms.channelOf(userId)).id);
    }
  }

  async function post(channel: string, reply: Reply, key: string | undefined): Promise<SentMessage> {
    const metadata = key === undefined ? {} : { metadata: outboxMetadata(key) };
    const posted = await call(() =>
      client.chat.postMessage({ channel, ...renderBlockKit(reply), ...metadata }),
    );
    if (!posted.channel || !posted.ts)
      throw new ChatSendError("slack", "chat.postMessage returned no ts", false);
    return { platform: "slack", ref: messageRef(posted.channel, posted.ts) };
  }

  return {
    async send(to, reply, options = {}) {
      const images = reply.blocks.filter((b): b is ReplyImage => b.kind === "image");
      const staged: StagedImage[] = [];
      for (const [i, image] of images.entries()) {
        staged.push(await stageImage(client, call, image, `chart-${i + 1}.png`));
      }
      const text = withoutImages(reply);
      const deliver = async (channel: string) => {
        const sent = await post(channel, text, options.idempotencyKey);
        await shareImages(client, call, channel, staged);
        return sent;
      };
      return to.kind === "channel" ? deliver(to.id) : inDm(to.userId, deliver);
    },
    async findSent(to, key, since) {
      const lookIn = async (channel: string) => {
        const ts = await findPosted(client, call, deps.log, channel, key, since);
        return ts === undefined ? undefined : { platform: "slack" as const, ref: messageRef(channel, ts) };
      };
      if (to.kind === "channel") return lookIn(to.id);
      // A send stores the DM channel before it posts there: none stored, nothing posted.
      const dm = await dms.knownChannelOf(to.userId);
      if (dm === undefined) return undefined;
      try {
        return await lookIn(dm);
      } catch (error) {
        if (!(error instanceof SlackApiError) || !GONE_CHANNEL_ERRORS.has(error.apiError)) throw error;
        // A stale id (in this process's memory): the attempt may have opened the DM anew and
        // posted there, and stored that id before it did.
        await dms.forget(to.userId, dm);
        const renewed = await dms.knownChannelOf(to.userId);
        return renewed === undefined ? undefined : lookIn(renewed);
      }
    },
    // A sent message's pictures are files of their own: an update changes the text beside them.
    async update(message, reply) {
      await call(() =>
        client.chat.update({ ...channelAndTs(message), ...renderBlockKit(withoutImages(reply)) }),
      );
    },
    // An ephemeral message cannot carry a file: its pictures stay words (renderBlockKit's alt text).
    async whisper(channel, userId, reply) {
      await call(() => client.chat.postEphemeral({ channel, user: userId, ...renderBlockKit(reply) }));
    },
  };
}

/** The Reply without its pictures; a Reply of nothing but pictures keeps them, shown as their alt text. */
function withoutImages(reply: Reply): Reply {
  const blocks = reply.blocks.filter((b) => b.kind !== "image");
  return blocks.length > 0 || reply.title ? { ...reply, blocks } : reply;
}
