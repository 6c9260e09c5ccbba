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
});
export type FeishuConfig = z.infer<typeof feishuConfigSchema>;
