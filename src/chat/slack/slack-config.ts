import { z } from "zod";

/**
 * `chat.slack` in the configuration. Secrets come from the environment only:
 * SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (xoxb-…), and SLACK_APP_TOKEN (xapp-…) for Socket Mode.
 */
export const slackConfigSchema = z.strictObject({
  /** http: Slack posts to /slack/events on our server; socket: Socket Mode, no public URL needed. */
  mode: z.enum(["http", "socket"]).default("http"),
  /** Web API base (tests and proxies); Slack's own by default. */
  apiUrl: z.string().url().default("https://slack.com/api/"),
});
export type SlackConfig = z.infer<typeof slackConfigSchema>;
