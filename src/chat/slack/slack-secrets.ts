import type { SlackConfig } from "./slack-config.ts";

/** What the Slack adapter needs from the environment; never from the configuration file. */
export interface SlackSecrets {
  signingSecret: string;
  /** The bot token, xoxb-… */
  botToken: string;
  /** The app-level token, xapp-…, for Socket Mode only. */
  appToken?: string;
}

/** The environment variables a mode needs, and where on the app's pages each value is found. */
export function slackSecretNames(mode: SlackConfig["mode"] = "http"): { name: string; where: string }[] {
  return [
    { name: "SLACK_SIGNING_SECRET", where: "Basic Information → App Credentials → Signing Secret" },
    { name: "SLACK_BOT_TOKEN", where: "OAuth & Permissions → Bot User OAuth Token (xoxb-…)" },
    ...(mode === "socket"
      ? [
          {
            name: "SLACK_APP_TOKEN",
            where: "Basic Information → App-Level Tokens, with connections:write (xapp-…)",
          },
        ]
      : []),
  ];
}

/** Reads the secrets the mode needs; the error names what is missing, never a value. */
export function slackSecretsFromEnv(
  env: NodeJS.ProcessEnv,
  mode: SlackConfig["mode"] = "http",
): SlackSecrets {
  const wanted = slackSecretNames(mode).map((secret) => secret.name);
  const missing = wanted.filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    throw new Error(`Slack (${mode} mode) needs ${missing.join(", ")} in the environment`);
  }
  return {
    signingSecret: env.SLACK_SIGNING_SECRET!.trim(),
    botToken: env.SLACK_BOT_TOKEN!.trim(),
    ...(env.SLACK_APP_TOKEN?.trim() ? { appToken: env.SLACK_APP_TOKEN.trim() } : {}),
  };
}
