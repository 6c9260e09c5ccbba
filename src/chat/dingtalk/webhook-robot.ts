import { createHmac } from "node:crypto";
import type { BotMetrics } from "../../server/metrics.ts";
import { counted, oapiFailure, postJson } from "./http-call.ts";
import type { DingTalkMarkdown } from "./markdown.ts";
import { webhookBody } from "./robot-payloads.ts";
import { type LimiterTiming, RollingWindowLimiter } from "./rolling-limiter.ts";

/**
 * A custom group robot (自定义机器人): posts to its webhook, signed as its 加签 setting demands.
 * DingTalk takes 20 messages a minute per robot and silences it for 10 minutes on the 21st
 * (errcode 130101), so messages over the limit wait here for the window instead.
 */

export const WEBHOOK_MESSAGES_PER_MINUTE = 20;
/** A second more than the minute: DingTalk's clock and the time in transit are not ours. */
const WEBHOOK_WINDOW_MS = 61_000;

/** HMAC-SHA256(secret, `${timestamp}\n${secret}`): DingTalk's one recipe, for webhooks and callbacks alike. */
export function dingTalkDigest(secret: string, timestamp: number | string): Buffer {
  return createHmac("sha256", secret).update(`${timestamp}\n${secret}`).digest();
}

/** The digest in base64, URL-encoded: base64's "+" would arrive as a space. */
export function webhookSign(secret: string, timestampMs: number): string {
  return encodeURIComponent(dingTalkDigest(secret, timestampMs).toString("base64"));
}

export function signedWebhookUrl(
  webhookUrl: string,
  secret: string | undefined,
  timestampMs: number,
): string {
  if (!secret) return webhookUrl;
  const separator = webhookUrl.includes("?") ? "&" : "?";
  return `${webhookUrl}${separator}timestamp=${timestampMs}&sign=${webhookSign(secret, timestampMs)}`;
}

export class CustomRobotWebhook {
  readonly #limiter: RollingWindowLimiter;

  constructor(
    private readonly robot: { webhookUrl: string; webhookSecret?: string },
    private readonly deps: { metrics: BotMetrics; timing: LimiterTiming },
  ) {
    this.#limiter = new RollingWindowLimiter(WEBHOOK_MESSAGES_PER_MINUTE, WEBHOOK_WINDOW_MS, deps.timing);
  }

  async send(message: DingTalkMarkdown): Promise<void> {
    await this.#limiter.take();
    // Signed when it leaves, not when it was queued: DingTalk allows an hour either way.
    const nowMs = this.deps.timing.clock();
    const url = signedWebhookUrl(this.robot.webhookUrl, this.robot.webhookSecret, nowMs);
    await counted(this.deps.metrics, async () => {
      const failure = oapiFailure("robot/send", await postJson(url, webhookBody(message), { nowMs }));
      if (failure) throw failure;
    });
  }
}
