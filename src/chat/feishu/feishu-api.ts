import * as lark from "@larksuiteoapi/node-sdk";
import type { Log } from "../../log.ts";
import type { BotMetrics } from "../../server/metrics.ts";
import { ChatSendError } from "../adapter.ts";
import type { FeishuCard } from "./card.ts";
import { feishuErrorOf, isInvalidToken } from "./feishu-errors.ts";
import { sdkLogger } from "./sdk-logger.ts";

/**
 * The IM calls the bot makes (send, reply, update a card, upload a card's image) through its own lark.Client.
 * Each adapter has its own token cache: the SDK's default cache is one per process, keyed by
 * appId, and keeps a token Feishu has revoked until it expires (two hours), answering 99991663
 * all the while. A call refused for its token is made once more with a fresh one.
 */

export type ReceiveIdType = "chat_id" | "open_id";

export interface FeishuApi {
  /** Returns the new message_id. `uuid` makes a retried send post once (Feishu keeps it an hour). */
  sendCard(receiveIdType: ReceiveIdType, receiveId: string, card: FeishuCard, uuid?: string): Promise<string>;
  replyCard(messageId: string, card: FeishuCard): Promise<string>;
  updateCard(messageId: string, card: FeishuCard): Promise<void>;
  /** Uploads a picture for messages; returns the image_key a card's `img` element shows it by. */
  uploadImage(png: Uint8Array): Promise<string>;
}

export interface FeishuApiSettings {
  appId: string;
  appSecret: string;
  domain: string;
}

/** The SDK's response body: it resolves with any 2xx body, whatever its code. */
interface FeishuBody {
  code?: number | undefined;
  msg?: string | undefined;
  data?: { message_id?: string | undefined; image_key?: string | undefined } | undefined;
}

export function createFeishuApi(settings: FeishuApiSettings, metrics: BotMetrics, log: Log): FeishuApi {
  const tokens = new TokenCache();
  const client = new lark.Client({
    appId: settings.appId,
    appSecret: settings.appSecret,
    domain: settings.domain,
    cache: tokens,
    logger: sdkLogger(log),
    loggerLevel: lark.LoggerLevel.warn,
  });

  async function call(operation: string, request: () => Promise<FeishuBody>): Promise<FeishuBody> {
    try {
      const body = await withFreshTokenOnce(request, tokens);
      if ((body.code ?? 0) !== 0) throw feishuErrorOf(operation, { code: body.code, msg: body.msg });
      metrics.outbound.inc({ platform: "feishu", result: "ok" });
      return body;
    } catch (error) {
      const failure = error instanceof ChatSendError ? error : feishuErrorOf(operation, error);
      metrics.outbound.inc({ platform: "feishu", result: failure.retryable ? "retryable" : "failed" });
      log.warn({ operation, retryable: failure.retryable }, failure.message);
      throw failure;
    }
  }

  const messageIdOf = (operation: string, body: FeishuBody): string => {
    const id = body.data?.message_id;
    if (!id) throw new ChatSendError("feishu", `${operation}: no message_id in the answer`, false);
    return id;
  };

  return {
    async sendCard(receiveIdType, receiveId, card, uuid) {
      const body = await call("send", () =>
        client.im.v1.message.create({
          params: { receive_id_type: receiveIdType },
          data: {
            receive_id: receiveId,
            msg_type: "interactive",
            content: JSON.stringify(card),
            ...(uuid === undefined ? {} : { uuid }),
          },
        }),
      );
      return messageIdOf("send", body);
    },
    async replyCard(messageId, card) {
      const body = await call("reply", () =>
        client.im.v1.message.reply({
          path: { message_id: messageId },
          data: { msg_type: "interactive", content: JSON.stringify(card) },
        }),
      );
      return messageIdOf("reply", body);
    },
    async uploadImage(png) {
      // A Buffer goes up as a multipart part without a filename, as the SDK's README does it.
      // Unlike the message calls, this one resolves with the body's `data` alone (null without
      // one): a refusal comes as a thrown 4xx, which `call` reads.
      const body = await call("upload image", async () => {
        const data = await client.im.v1.image.create({
          data: { image_type: "message", image: Buffer.from(png) },
        });
        return { data: data ?? undefined };
      });
      const key = body?.data?.image_key;
      if (!key) throw new ChatSendError("feishu", "upload image: no image_key in the answer", false);
      return key;
    },
    async updateCard(messageId, card) {
      await call("update", () =>
        client.im.v1.message.patch({
          path: { message_id: messageId },
          data: { content: JSON.stringify(card) },
        }),
      );
    },
  };
}

/** Runs the request; when Feishu refuses its token (in a thrown 400 or a resolved body), forgets it and runs it once more. */
async function withFreshTokenOnce(
  request: () => Promise<FeishuBody>,
  tokens: TokenCache,
): Promise<FeishuBody> {
  try {
    const body = await request();
    if (!isInvalidToken(body)) return body;
  } catch (error) {
    if (!isInvalidToken(error)) throw error;
  }
  tokens.forget();
  return request();
}

/** The SDK types its keys as `string | Symbol` (the boxed type). */
type CacheKey = Parameters<lark.Cache["get"]>[0];

/** lark's Cache, one per adapter, so a refused token can be dropped. */
export class TokenCache implements lark.Cache {
  private readonly values = new Map<string, { value: unknown; expiresAt?: number }>();

  async get(key: CacheKey, options?: { namespace?: string }): Promise<unknown> {
    const entry = this.values.get(cacheKey(key, options));
    if (!entry) return undefined;
    return entry.expiresAt === undefined || entry.expiresAt > Date.now() ? entry.value : undefined;
  }

  async set(key: CacheKey, value: unknown, expiresAt?: number, options?: { namespace?: string }) {
    this.values.set(cacheKey(key, options), { value, ...(expiresAt === undefined ? {} : { expiresAt }) });
    return true;
  }

  forget(): void {
    this.values.clear();
  }
}

const cacheKey = (key: CacheKey, options?: { namespace?: string }) =>
  `${options?.namespace ?? ""}/${key.toString()}`;
