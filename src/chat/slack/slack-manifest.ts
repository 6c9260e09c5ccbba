import type { webApi } from "@slack/bolt";
import type { SlackConfig } from "./slack-config.ts";
import { SLACK_EVENTS_PATH } from "./slack-route-receiver.ts";

/**
 * What the Slack app must be for this code, as a manifest for "Create New App → From an app
 * manifest" (api.slack.com/apps). tests/chat/slack/slack-manifest.test.ts holds the scopes to the
 * Web API methods the code calls and the events to the listeners, so a new call without its scope
 * fails a test, not a digest in production.
 */

/** Every bot scope the code needs, with what needs it. */
export const SLACK_BOT_SCOPES = {
  commands: "the /kpi slash command",
  "app_mentions:read": "the app_mention event (@kpi in a channel)",
  "chat:write": "chat.postMessage, chat.update, chat.postEphemeral",
  "im:write": "conversations.open (a direct message to an agent)",
  "im:history": "the message.im event (commands in a DM) and conversations.history in DMs",
  "channels:history": "conversations.history in a public digest channel (a send a crash cut short)",
  "groups:history": "conversations.history in a private digest channel",
  "channels:read": "conversations.info on a public digest channel (kpi doctor: is the bot a member)",
  "groups:read": "conversations.info on a private digest channel",
  "files:write": "files.getUploadURLExternal and files.completeUploadExternal (the digests' charts)",
  "users:read":
    "users.lookupByEmail and users.list (kpi roster sync: each agent's Slack id from their email, else their name)",
  "users:read.email": "users.lookupByEmail (kpi roster sync)",
} as const satisfies Record<string, string>;

/** The events the listeners take (slack-listeners.ts): @mentions, and messages in the bot's DMs. */
export const SLACK_BOT_EVENTS = ["app_mention", "message.im"] as const;

export const SLACK_COMMAND = "/kpi";

export interface SlackManifestOptions {
  /** The bot's public base URL (https://kpi.example.com); unused in socket mode. */
  url?: string;
  mode: SlackConfig["mode"];
  /** The app's name in Slack (at most 35 characters). */
  name: string;
}

/** A request URL under the public base, which may carry a path of its own (behind a proxy). */
export function requestUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path}`;
}

export function slackManifest(options: SlackManifestOptions) {
  const http = options.mode === "http";
  if (http && options.url === undefined) throw new Error("an http-mode manifest needs the public URL");
  const events = http ? requestUrl(options.url!, SLACK_EVENTS_PATH) : undefined;
  const withUrl = events === undefined ? {} : { request_url: events };
  return {
    display_information: {
      name: options.name,
      description: "客服 KPI 绩效: scorecards, digests and nudges",
    },
    features: {
      app_home: {
        home_tab_enabled: false,
        messages_tab_enabled: true,
        messages_tab_read_only_enabled: false,
      },
      bot_user: { display_name: options.name, always_online: true },
      slash_commands: [
        {
          command: SLACK_COMMAND,
          ...(events === undefined ? {} : { url: events }),
          description: "KPI 绩效: me, team, top, explain, followups, help",
          usage_hint: "me [period] | team | top | help",
          should_escape: false,
        },
      ],
    },
    oauth_config: { scopes: { bot: Object.keys(SLACK_BOT_SCOPES) as (keyof typeof SLACK_BOT_SCOPES)[] } },
    settings: {
      event_subscriptions: { ...withUrl, bot_events: [...SLACK_BOT_EVENTS] },
      interactivity: { is_enabled: true, ...withUrl },
      org_deploy_enabled: false,
      socket_mode_enabled: !http,
      token_rotation_enabled: false,
    },
    // web-api's manifest type knows Slack's scopes and event names: a misspelt one fails the build.
  } satisfies webApi.AppsManifestCreateArguments["manifest"];
}
