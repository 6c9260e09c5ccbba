import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { DINGTALK_PERMISSIONS, DINGTALK_STREAM_TOPICS } from "../chat/dingtalk/dingtalk-setup.ts";
import { OUTGOING_CALLBACK_PATH } from "../chat/dingtalk/outgoing-callback.ts";
import { FEISHU_SCOPES, feishuSetup } from "../chat/feishu/feishu-setup.ts";
import { slackManifest } from "../chat/slack/slack-manifest.ts";
import { InvalidInput } from "../engine/index.ts";
import { setupSpec } from "./command-options.ts";
import { choice, type Output } from "./options.ts";

/**
 * `kpi setup slack|feishu|dingtalk`: what to create on the platform for this bot. Slack's
 * manifest goes to standard output alone (`> manifest.yaml` keeps it), the steps around it to
 * standard error; Feishu's and DingTalk's lists are the output.
 */

const PLATFORMS = ["slack", "feishu", "dingtalk"] as const;

/** The bot's public base URL: https (the platforms call nothing else), no query or fragment. */
function publicUrl(value: string | undefined, needed: boolean): string | undefined {
  if (value === undefined) {
    if (needed)
      throw new InvalidInput("--url", "give the bot's public https URL, e.g. --url https://kpi.example.com");
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidInput("--url", `"${value}" is not a URL (e.g. https://kpi.example.com)`);
  }
  if (url.protocol !== "https:")
    throw new InvalidInput("--url", `"${value}" is not https: the platforms call https URLs only`);
  if (url.search || url.hash)
    throw new InvalidInput("--url", `"${value}": give the base URL, without ? or #`);
  return url.toString().replace(/\/+$/, "");
}

export async function setupCommand(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: setupSpec.options,
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1)
    throw new InvalidInput(
      "setup",
      `name one platform: kpi setup slack, feishu or dingtalk (got "${positionals.join(" ")}")`,
    );
  const platform = choice("setup", positionals[0]!, PLATFORMS);
  if (platform === "slack") {
    const mode = choice("--mode", values.mode ?? "http", ["http", "socket"] as const);
    const format = choice("--format", values.format, ["yaml", "json"] as const);
    if (values.name.length === 0 || values.name.length > 35)
      throw new InvalidInput("--name", "1 to 35 characters (Slack's limit)");
    const url = publicUrl(values.url, mode === "http");
    const manifest = slackManifest({ ...(url === undefined ? {} : { url }), mode, name: values.name });
    out.stdout(format === "json" ? JSON.stringify(manifest, null, 2) : stringify(manifest).trimEnd());
    out.stderr(slackSteps(mode));
    return 0;
  }
  if (values.format !== "yaml") throw new InvalidInput("--format", "applies to kpi setup slack only");
  if (platform === "feishu") {
    const mode = choice("--mode", values.mode ?? "http", ["http", "websocket"] as const);
    out.stdout(feishuText(mode, publicUrl(values.url, mode === "http")));
    return 0;
  }
  const mode = choice("--mode", values.mode ?? "robot", ["robot", "webhook"] as const);
  const url = publicUrl(values.url, false);
  out.stdout(mode === "robot" ? dingtalkRobotText(url) : dingtalkWebhookText());
  return 0;
}

function slackSteps(mode: "http" | "socket"): string {
  return [
    "",
    "Next:",
    "  1. https://api.slack.com/apps → Create New App → From an app manifest → pick the workspace → paste the manifest above",
    "  2. Install to Workspace, then set in the bot's environment:",
    "       SLACK_BOT_TOKEN       OAuth & Permissions → Bot User OAuth Token (xoxb-…)",
    "       SLACK_SIGNING_SECRET  Basic Information → App Credentials → Signing Secret",
    ...(mode === "socket"
      ? [
          "       SLACK_APP_TOKEN       Basic Information → App-Level Tokens → Generate, scope connections:write (xapp-…)",
        ]
      : []),
    `  3. kpi.config.yaml: chat: { slack: { mode: ${mode} } }; each team's digest channel id in teams[].channels.slack`,
    "  4. invite the bot to each digest channel (/invite @<bot>), then run: kpi doctor",
  ].join("\n");
}

function feishuText(mode: "http" | "websocket", url: string | undefined): string {
  const setup = feishuSetup({ mode, ...(url === undefined ? {} : { url }) });
  const subscription =
    mode === "http"
      ? [`  请求地址 (Request URL), for events and for callbacks: ${setup.requestUrl}`]
      : ["  订阅方式: 使用长连接接收事件 / 回调 (long connection), for events and for callbacks"];
  return [
    "Feishu / Lark app (https://open.feishu.cn/app, or open.larksuite.com for Lark):",
    "1. 创建企业自建应用 (Create custom app); 添加应用能力 → 机器人 (Add features → Bot)",
    "2. 权限管理 (Permissions & Scopes): grant these tenant scopes",
    ...Object.entries(FEISHU_SCOPES).map(([scope, why]) => `     ${scope.padEnd(34)} ${why}`),
    "   or paste into 批量导入 (Batch import):",
    `     ${JSON.stringify(setup.scopesImport)}`,
    "3. 事件与回调 (Events & Callbacks):",
    ...subscription,
    `  事件配置 (Events): add ${setup.events.join(", ")}`,
    `  回调配置 (Callbacks): add ${setup.callbacks.join(", ")} (卡片回传交互, the card buttons)`,
    ...(mode === "http"
      ? ["  加密策略 (Encryption): set an Encrypt Key; note it and the Verification Token"]
      : []),
    "4. 版本管理与发布 (Version Management): create a version and publish it (scopes take effect then)",
    "5. Set in the bot's environment:",
    "     FEISHU_APP_ID, FEISHU_APP_SECRET   凭证与基础信息 (Credentials & Basic Info)",
    ...(mode === "http"
      ? ["     FEISHU_ENCRYPT_KEY, FEISHU_VERIFICATION_TOKEN   事件与回调 → 加密策略"]
      : []),
    `6. kpi.config.yaml: chat: { feishu: { mode: ${mode} } }; each team's group chat_id (oc_…) in teams[].channels.feishu`,
    "7. add the bot to each digest group (群设置 → 群机器人 → 添加机器人), then run: kpi doctor",
  ].join("\n");
}

function dingtalkRobotText(url: string | undefined): string {
  const permissions = Object.entries(DINGTALK_PERMISSIONS);
  return [
    "DingTalk enterprise robot (https://open-dev.dingtalk.com):",
    "1. 应用开发 → 企业内部应用 → 创建应用 (Create an internal app)",
    "2. 添加应用能力 → 机器人 (Robot): 消息接收模式 (message receiving mode) = Stream 模式; publish the robot",
    `   (the bot subscribes over Stream to ${DINGTALK_STREAM_TOPICS.join(" and ")}: no public URL needed)`,
    ...(url === undefined
      ? []
      : [
          `   optional, HTTP 模式 as well (chat.dingtalk.httpCallback: true): 消息接收地址 ${url}${OUTGOING_CALLBACK_PATH}`,
        ]),
    "3. 权限管理 (Permissions): apply for",
    ...permissions.filter(([, p]) => !p.optional).map(([id, p]) => `     ${id.padEnd(22)} ${p.what}`),
    "   optional:",
    ...permissions.filter(([, p]) => p.optional).map(([id, p]) => `     ${id.padEnd(22)} ${p.what}`),
    "4. 版本管理与发布: publish a version, visible to the agents and supervisors",
    "5. Set in the bot's environment:",
    "     DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET   凭证与基础信息 → Client ID (AppKey), Client Secret (AppSecret)",
    "6. kpi.config.yaml: chat: { dingtalk: { mode: robot } }; each team's group openConversationId in teams[].channels.dingtalk",
    "7. add the robot to each digest group (群设置 → 机器人 → 添加机器人), then run: kpi doctor",
  ].join("\n");
}

function dingtalkWebhookText(): string {
  return [
    "DingTalk custom group robot (digests only; it cannot take commands):",
    "1. in the digest group: 群设置 → 机器人 → 添加机器人 → 自定义 (Custom)",
    "2. 安全设置 (Security): 加签 (Sign); copy the SEC… secret",
    "3. Set in the bot's environment:",
    "     DINGTALK_WEBHOOK_URL      the robot's Webhook (https://oapi.dingtalk.com/robot/send?access_token=…)",
    "     DINGTALK_WEBHOOK_SECRET   the SEC… secret",
    '4. kpi.config.yaml: chat: { dingtalk: { mode: webhook } }; teams[].channels.dingtalk: "webhook"',
    "5. run: kpi doctor",
  ].join("\n");
}
