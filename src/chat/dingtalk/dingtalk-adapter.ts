import type { AdapterDeps, HealthReportingAdapter } from "../adapter.ts";
import { type DingTalkConfig, type DingTalkSecrets, dingtalkLimits } from "./dingtalk-config.ts";
import { createRobotAdapter } from "./robot-adapter.ts";
import { DEFAULT_RECONNECT, type ReconnectPolicy } from "./stream-connection.ts";
import { createWebhookAdapter } from "./webhook-adapter.ts";

/**
 * DingTalk behind the ChatAdapter interface, in one of two modes: the enterprise robot
 * (robot-adapter.ts: Stream in, sessionWebhook and OpenAPI out) or a custom group robot
 * (webhook-adapter.ts: signed webhook out, digests only).
 */

/** Time, for tests: how the webhook's rate limiter waits, how fast Stream reconnects. */
export interface DingTalkTiming {
  sleep?: (ms: number) => Promise<void>;
  reconnect?: ReconnectPolicy;
}

/** DingTalk's adapter, in either mode: it always answers health(). */
export type DingTalkAdapter = HealthReportingAdapter;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createDingTalkAdapter(
  settings: DingTalkConfig & DingTalkSecrets,
  deps: AdapterDeps,
  timing: DingTalkTiming = {},
): DingTalkAdapter {
  if (settings.mode === "webhook") {
    const { webhookUrl, webhookSecret } = settings;
    if (!webhookUrl) throw new Error("DingTalk webhook mode needs the webhook URL (DINGTALK_WEBHOOK_URL)");
    return createWebhookAdapter(
      {
        webhookUrl,
        ...(webhookSecret ? { webhookSecret } : {}),
        perMinute: dingtalkLimits(settings.limits).webhookPerMinute,
      },
      deps,
      timing.sleep ?? realSleep,
    );
  }
  const { clientId, clientSecret } = settings;
  if (!clientId || !clientSecret) {
    throw new Error("DingTalk robot mode needs DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET");
  }
  return createRobotAdapter(
    { ...settings, clientId, clientSecret },
    deps,
    timing.reconnect ?? DEFAULT_RECONNECT,
  );
}
