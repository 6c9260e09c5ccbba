import type { AdapterDeps, ChatAdapter } from "../chat/adapter.ts";
import { createDingTalkAdapter } from "../chat/dingtalk/dingtalk-adapter.ts";
import { dingtalkSecretsFromEnv } from "../chat/dingtalk/dingtalk-config.ts";
import { createFeishuAdapter } from "../chat/feishu/feishu-adapter.ts";
import { feishuSecretsFromEnv } from "../chat/feishu/feishu-config.ts";
import { createSlackAdapter, slackSecretsFromEnv } from "../chat/slack/slack-adapter.ts";
import type { Config } from "../config.ts";

/**
 * The adapters of the platforms the configuration names, each with its secrets from the
 * environment. A platform configured without its secrets stops the start with the names of the
 * missing variables, rather than running half-connected.
 */
export function platformAdapters(
  chat: Config["chat"],
  env: NodeJS.ProcessEnv,
  deps: AdapterDeps,
): ChatAdapter[] {
  const adapters: ChatAdapter[] = [];
  if (chat.slack)
    adapters.push(createSlackAdapter({ ...chat.slack, ...slackSecretsFromEnv(env, chat.slack.mode) }, deps));
  if (chat.feishu)
    adapters.push(
      createFeishuAdapter({ ...chat.feishu, ...feishuSecretsFromEnv(env, chat.feishu.mode) }, deps),
    );
  if (chat.dingtalk)
    adapters.push(
      createDingTalkAdapter({ ...chat.dingtalk, ...dingtalkSecretsFromEnv(env, chat.dingtalk.mode) }, deps),
    );
  return adapters;
}
