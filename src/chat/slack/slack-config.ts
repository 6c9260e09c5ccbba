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
  /** Slack's published limit for chat.postMessage: about one message a second per channel. */
  limits: z.strictObject({ perChannelPerSecond: z.number().positive().default(1) }).prefault({}),
});
/** The parsed section; `limits` may be left out (tests, the bench): the published limits apply. */
export type SlackConfig = Omit<z.infer<typeof slackConfigSchema>, "limits"> & {
  limits?: z.infer<typeof slackConfigSchema>["limits"];
};
export const slackLimits = (limits: SlackConfig["limits"]) => slackConfigSchema.shape.limits.parse(limits);
