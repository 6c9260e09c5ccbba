import { z } from "zod";

/**
 * `chat.dingtalk` in the configuration. Secrets come from the environment only:
 * DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET (the app's AppKey/AppSecret) for the enterprise
 * robot; DINGTALK_WEBHOOK_URL and DINGTALK_WEBHOOK_SECRET for a custom group robot.
 */
export const dingtalkConfigSchema = z.strictObject({
  /** robot: enterprise robot (Stream in, OpenAPI out); webhook: a custom group robot, digests only. */
  mode: z.enum(["robot", "webhook"]).default("robot"),
  /** OpenAPI base (tests and proxies). */
  apiUrl: z.string().url().default("https://api.dingtalk.com"),
  /** The robot's code (robotCode) for OpenAPI sends; defaults to the client id, as DingTalk does. */
  robotCode: z.string().optional(),
});
export type DingTalkConfig = z.infer<typeof dingtalkConfigSchema>;
