import { z } from "zod";

/**
 * `chat.feishu` in the configuration. Secrets come from the environment only: FEISHU_APP_ID,
 * FEISHU_APP_SECRET, FEISHU_ENCRYPT_KEY and FEISHU_VERIFICATION_TOKEN.
 */
export const feishuConfigSchema = z.strictObject({
  /** http: Feishu posts events to /feishu/events; websocket: the SDK's long connection (WSClient). */
  mode: z.enum(["http", "websocket"]).default("http"),
  /** OpenAPI base: https://open.feishu.cn (Feishu), https://open.larksuite.com (Lark), or a test host. */
  domain: z.string().url().default("https://open.feishu.cn"),
  /**
   * The bot's own open_id, to tell @bot from other @mentions in a group message. Without it a
   * mention at the start of the message is taken to address the bot.
   */
  botOpenId: z.string().startsWith("ou_").optional(),
  /** Feishu's published send limits: 50 a second per app, 5 a second per user and per group. */
  limits: z
    .strictObject({
      perAppPerSecond: z.number().positive().default(50),
      perChatPerSecond: z.number().positive().default(5),
    })
    .prefault({}),
});
/** The parsed section; `limits` may be left out (tests, the bench): the published limits apply. */
export type FeishuConfig = Omit<z.infer<typeof feishuConfigSchema>, "limits"> & {
  limits?: z.infer<typeof feishuConfigSchema>["limits"];
};
export const feishuLimits = (limits: FeishuConfig["limits"]) => feishuConfigSchema.shape.limits.parse(limits);

/** The app's credentials; the encrypt key and verification token guard the webhook (http mode). */
export interface FeishuSecrets {
  appId: string;
  appSecret: string;
  encryptKey?: string;
  verificationToken?: string;
}

const SECRET_VARIABLES = {
  appId: "FEISHU_APP_ID",
  appSecret: "FEISHU_APP_SECRET",
  encryptKey: "FEISHU_ENCRYPT_KEY",
  verificationToken: "FEISHU_VERIFICATION_TOKEN",
} as const;

/** The environment variables a mode needs, and where in the developer console each value is found. */
export function feishuSecretNames(mode: FeishuConfig["mode"] = "http"): { name: string; where: string }[] {
  const where: Record<keyof typeof SECRET_VARIABLES, string> = {
    appId: "凭证与基础信息 (Credentials & Basic Info) → App ID (cli_…)",
    appSecret: "凭证与基础信息 (Credentials & Basic Info) → App Secret",
    encryptKey: "事件与回调 (Events & Callbacks) → 加密策略 (Encryption) → Encrypt Key",
    verificationToken: "事件与回调 (Events & Callbacks) → 加密策略 (Encryption) → Verification Token",
  };
  const keys =
    mode === "http"
      ? (Object.keys(SECRET_VARIABLES) as (keyof typeof SECRET_VARIABLES)[])
      : (["appId", "appSecret"] as const);
  return keys.map((key) => ({ name: SECRET_VARIABLES[key], where: where[key] }));
}

/**
 * The secrets from the environment. In http mode all four are required: without an encrypt key
 * the SDK checks no signature at all, so anyone could post commands as anyone. The error names
 * the missing variables, never a value.
 */
export function feishuSecretsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  mode: FeishuConfig["mode"] = "http",
): FeishuSecrets {
  const missing = feishuSecretNames(mode)
    .map((secret) => secret.name)
    .filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`Feishu (${mode} mode) needs the environment variables ${missing.join(", ")}`);
  }
  const secrets: FeishuSecrets = { appId: env.FEISHU_APP_ID!, appSecret: env.FEISHU_APP_SECRET! };
  if (env.FEISHU_ENCRYPT_KEY) secrets.encryptKey = env.FEISHU_ENCRYPT_KEY;
  if (env.FEISHU_VERIFICATION_TOKEN) secrets.verificationToken = env.FEISHU_VERIFICATION_TOKEN;
  return secrets;
}
