import type { AdapterDeps, ChatAdapter } from "../chat/adapter.ts";
import type { Config } from "../config.ts";

/**
 * The adapters of the platforms the configuration names, each with its secrets from the
 * environment. A platform configured without its secrets stops the start with the names of the
 * missing variables, rather than running half-connected.
 *
 * Each platform's module (and so its SDK: @slack/bolt, @larksuiteoapi/node-sdk, dingtalk-stream)
 * is imported only when that platform is configured: together they cost the bot about 30 MB and
 * a second of start-up, which the console and the other platforms have no use for.
 */
export async function platformAdapters(
  chat: Config["chat"],
  env: NodeJS.ProcessEnv,
  deps: AdapterDeps,
): Promise<ChatAdapter[]> {
  const adapters: ChatAdapter[] = [];
  if (chat.slack) {
    const { createSlackAdapter, slackSecretsFromEnv } = await import("../chat/slack/slack-adapter.ts");
    adapters.push(createSlackAdapter({ ...chat.slack, ...slackSecretsFromEnv(env, chat.slack.mode) }, deps));
  }
  if (chat.feishu) {
    const { createFeishuAdapter } = await import("../chat/feishu/feishu-adapter.ts");
    const { feishuSecretsFromEnv } = await import("../chat/feishu/feishu-config.ts");
    adapters.push(
      createFeishuAdapter({ ...chat.feishu, ...feishuSecretsFromEnv(env, chat.feishu.mode) }, deps),
    );
  }
  if (chat.dingtalk) {
    const { createDingTalkAdapter } = await import("../chat/dingtalk/dingtalk-adapter.ts");
    const { dingtalkSecretsFromEnv } = await import("../chat/dingtalk/dingtalk-config.ts");
    adapters.push(
      createDingTalkAdapter({ ...chat.dingtalk, ...dingtalkSecretsFromEnv(env, chat.dingtalk.mode) }, deps),
    );
  }
  return adapters;
}
