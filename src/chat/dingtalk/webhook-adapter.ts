import type { AdapterDeps, HealthReportingAdapter, SentMessage } from "../adapter.ts";
import { noDirectMessages, unEditable } from "./dingtalk-errors.ts";
import { renderDingTalkMarkdown } from "./markdown.ts";
import { CustomRobotWebhook } from "./webhook-robot.ts";

/**
 * A custom group robot: digests into the one group its webhook belongs to (a channel id is not
 * needed and not checked); nothing comes in, and it cannot write to a person.
 * A digest's chart stays its alt text here: the webhook has no token for media/upload, and its
 * markdown shows a picture only by a public URL, which the bot does not host.
 */
export function createWebhookAdapter(
  robot: { webhookUrl: string; webhookSecret?: string; perMinute: number },
  deps: AdapterDeps,
  sleep: (ms: number) => Promise<void>,
): HealthReportingAdapter {
  const webhook = new CustomRobotWebhook(robot, {
    metrics: deps.metrics,
    timing: { clock: () => deps.now().getTime(), sleep },
  });
  let sent = 0;
  return {
    platform: "dingtalk",
    routes: [],
    async send(to, reply): Promise<SentMessage> {
      if (to.kind === "user") throw noDirectMessages();
      for (const part of renderDingTalkMarkdown(reply)) await webhook.send(part);
      sent++;
      return { platform: "dingtalk", ref: `webhook:${sent}` };
    },
    // The one group of the webhook, however many channels name it.
    sendScopes: () => [{ scope: "dingtalk:webhook", intervalMs: 60_000 / robot.perMinute }],
    async update() {
      throw unEditable();
    },
    async start() {},
    async stop() {},
    health: async () => true,
  };
}
