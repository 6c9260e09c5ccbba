import { z } from "zod";

/**
 * `chat.dingtalk` in the configuration. Secrets come from the environment only:
 * DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET (the app's AppKey/AppSecret) for the enterprise
 * robot; DINGTALK_WEBHOOK_URL and DINGTALK_WEBHOOK_SECRET for a custom group robot.
 */
export const DEFAULT_OAPI_URL = "https://oapi.dingtalk.com";

/**
 * DingTalk's own hosts, where a robot message's sessionWebhook may point: oapi.dingtalk.com
 * (/robot/sendBySession, what DingTalk sends) and api.dingtalk.com (its newer OpenAPI host).
 */
export const DEFAULT_SESSION_WEBHOOK_HOSTS = ["oapi.dingtalk.com", "api.dingtalk.com"];

/** A bare host name, as in a URL: no scheme, port, path or wildcard. */
const hostName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
    "write a host name, e.g. oapi.dingtalk.com",
  );

export const dingtalkConfigSchema = z.strictObject({
  /** robot: enterprise robot (Stream in, OpenAPI out); webhook: a custom group robot, digests only. */
  mode: z.enum(["robot", "webhook"]).default("robot"),
  /** OpenAPI base (tests and proxies). */
  apiUrl: z.string().url().default("https://api.dingtalk.com"),
  /** The old API's base, where media (a digest's chart) is uploaded (tests and proxies). */
  oapiUrl: z.string().url().default(DEFAULT_OAPI_URL),
  /** The robot's code (robotCode) for OpenAPI sends; defaults to the client id, as DingTalk does. */
  robotCode: z.string().optional(),
  /**
   * Where the Stream client asks for its WebSocket ticket (tests and staging); DingTalk's own
   * https://api.dingtalk.com/v1.0/gateway/connections/open, the SDK's constant, by default.
   */
  streamGatewayUrl: z.string().url().optional(),
  /**
   * The hosts a message's sessionWebhook may name (https on port 443); a message naming any
   * other is answered through the OpenAPI. The origins of apiUrl and oapiUrl are allowed too.
   */
  sessionWebhookHosts: z.array(hostName).default(DEFAULT_SESSION_WEBHOOK_HOSTS),
  /** Also take outgoing-robot callbacks over HTTP at POST /dingtalk/events (signed with the AppSecret). */
  httpCallback: z.boolean().default(false),
  /**
   * Send limits: the enterprise robot's OpenAPI calls per second per app, and a custom group
   * robot's published 20 messages a minute (more gets the webhook blocked for 10 minutes).
   */
  limits: z
    .strictObject({
      perAppPerSecond: z.number().positive().default(20),
      webhookPerMinute: z.number().positive().default(20),
    })
    .prefault({}),
});
/** The parsed section; `limits`, `oapiUrl` and `sessionWebhookHosts` may be left out (tests): DingTalk's own apply. */
export type DingTalkConfig = Omit<
  z.infer<typeof dingtalkConfigSchema>,
  "limits" | "oapiUrl" | "sessionWebhookHosts"
> & {
  limits?: z.infer<typeof dingtalkConfigSchema>["limits"];
  oapiUrl?: string;
  sessionWebhookHosts?: string[];
};
export const dingtalkLimits = (limits: DingTalkConfig["limits"]) =>
  dingtalkConfigSchema.shape.limits.parse(limits);

/** What the environment supplies; which half is needed depends on the mode. */
export interface DingTalkSecrets {
  clientId?: string;
  clientSecret?: string;
  /** https://oapi.dingtalk.com/robot/send?access_token=… */
  webhookUrl?: string;
  /** The SEC… secret of the robot's 加签 setting. */
  webhookSecret?: string;
}

const ENV_NAMES = {
  robot: { clientId: "DINGTALK_CLIENT_ID", clientSecret: "DINGTALK_CLIENT_SECRET" },
  webhook: { webhookUrl: "DINGTALK_WEBHOOK_URL", webhookSecret: "DINGTALK_WEBHOOK_SECRET" },
} as const;

/** Where in DingTalk each variable's value is found. */
const ENV_WHERE: Record<string, string> = {
  DINGTALK_CLIENT_ID: "the app's 凭证与基础信息 (Credentials) → Client ID (AppKey)",
  DINGTALK_CLIENT_SECRET: "the app's 凭证与基础信息 (Credentials) → Client Secret (AppSecret)",
  DINGTALK_WEBHOOK_URL:
    "the group's 机器人设置 → 自定义机器人 → Webhook (https://oapi.dingtalk.com/robot/send?access_token=…)",
  DINGTALK_WEBHOOK_SECRET: "the same robot's 安全设置 → 加签 (SEC…)",
};

/** The environment variables a mode needs, and where each value is found. */
export function dingtalkSecretNames(
  mode: DingTalkConfig["mode"] = "robot",
): { name: string; where: string }[] {
  return Object.values(ENV_NAMES[mode]).map((name) => ({ name, where: ENV_WHERE[name] ?? "" }));
}

/** The secrets of a mode from the environment; the error names what is missing, never a value. */
export function dingtalkSecretsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  mode: DingTalkConfig["mode"] = "robot",
): DingTalkSecrets {
  const names: Record<string, string> = ENV_NAMES[mode];
  const missing = Object.values(names).filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    throw new Error(`DingTalk ${mode} mode needs ${missing.join(" and ")} in the environment`);
  }
  return Object.fromEntries(Object.entries(names).map(([key, name]) => [key, env[name]!.trim()]));
}
