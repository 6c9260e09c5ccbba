import { dingtalkConfigSchema } from "../chat/dingtalk/dingtalk-config.ts";
import { dingtalkDirectory } from "../chat/dingtalk/dingtalk-directory.ts";
import type { ChatDirectory } from "../chat/directory.ts";
import { feishuConfigSchema } from "../chat/feishu/feishu-config.ts";
import { feishuDirectory } from "../chat/feishu/feishu-directory.ts";
import { slackConfigSchema } from "../chat/slack/slack-config.ts";
import { slackDirectory } from "../chat/slack/slack-directory.ts";
import type { Config } from "../config.ts";
import { InvalidInput } from "../engine/index.ts";

/**
 * The directory of a platform, with the credentials the bot uses (README, "Chat platforms"):
 * only those a lookup needs, so a directory can be searched before the webhook secrets exist.
 * A platform the configuration does not name is reached at its usual address.
 */

export const DIRECTORY_PLATFORMS = ["slack", "feishu", "dingtalk"] as const;
export type DirectoryPlatform = (typeof DIRECTORY_PLATFORMS)[number];

export function directoryFor(
  platform: DirectoryPlatform,
  chat: Config["chat"],
  env: Readonly<Record<string, string | undefined>>,
): ChatDirectory {
  const need = (...names: string[]) => {
    const missing = names.filter((name) => !env[name]?.trim());
    if (missing.length > 0)
      throw new InvalidInput("--from", `${platform} needs ${missing.join(" and ")} in the environment`);
    return names.map((name) => env[name]!.trim());
  };
  if (platform === "slack") {
    const [botToken] = need("SLACK_BOT_TOKEN");
    const { apiUrl } = chat.slack ?? slackConfigSchema.parse({});
    return slackDirectory({ apiUrl, botToken: botToken! });
  }
  if (platform === "feishu") {
    const [appId, appSecret] = need("FEISHU_APP_ID", "FEISHU_APP_SECRET");
    const { domain } = chat.feishu ?? feishuConfigSchema.parse({});
    return feishuDirectory({ appId: appId!, appSecret: appSecret!, domain });
  }
  const settings = chat.dingtalk ?? dingtalkConfigSchema.parse({});
  if (settings.mode === "webhook")
    throw new InvalidInput(
      "--from",
      "a DingTalk webhook robot has no directory: the enterprise robot (mode: robot) has",
    );
  const [clientId, clientSecret] = need("DINGTALK_CLIENT_ID", "DINGTALK_CLIENT_SECRET");
  return dingtalkDirectory({
    apiUrl: settings.apiUrl,
    oapiUrl: settings.oapiUrl ?? "https://oapi.dingtalk.com",
    clientId: clientId!,
    clientSecret: clientSecret!,
  });
}
