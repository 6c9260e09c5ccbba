import { createHmac } from "node:crypto";
import { fakeWorkspace } from "./workspace.ts";

/** An HTTP request as Slack sends it to the bot: the exact bytes that were signed, and its headers. */
export interface SlackRequest {
  body: string;
  headers: Record<string, string>;
}

export interface SlackSignatureHeaders {
  "x-slack-signature": string;
  "x-slack-request-timestamp": string;
}

/** Slack's v0 scheme: hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed by the app's signing secret. */
export function signSlackRequest(
  body: string,
  signingSecret: string,
  timestampSeconds: number,
): SlackSignatureHeaders {
  const digest = createHmac("sha256", signingSecret).update(`v0:${timestampSeconds}:${body}`).digest("hex");
  return { "x-slack-signature": `v0=${digest}`, "x-slack-request-timestamp": String(timestampSeconds) };
}

/**
 * The fields of a slash command, named as Slack names them. Optional ones are sent only when given, so a
 * test can rebuild a body byte for byte (Slack's own signing example has no api_app_id).
 */
export interface SlashCommand {
  command: string;
  text: string;
  user_id: string;
  user_name: string;
  team_id: string;
  channel_id: string;
  response_url: string;
  trigger_id: string;
  token?: string;
  team_domain?: string;
  enterprise_id?: string;
  enterprise_name?: string;
  channel_name?: string;
  api_app_id?: string;
  is_enterprise_install?: "true" | "false";
}

// The order Slack writes the fields in; it matters because the signature covers the raw body.
const slashCommandFieldOrder = [
  "token",
  "team_id",
  "team_domain",
  "enterprise_id",
  "enterprise_name",
  "channel_id",
  "channel_name",
  "user_id",
  "user_name",
  "command",
  "text",
  "api_app_id",
  "is_enterprise_install",
  "response_url",
  "trigger_id",
] as const satisfies readonly (keyof SlashCommand)[];

// Exactly this: Bolt compares the header with `===`, and a "; charset=utf-8" suffix makes it
// JSON.parse the form body and answer 400.
const formContentType = "application/x-www-form-urlencoded";
const slackUserAgent = "Slackbot 1.0 (+https://api.slack.com/robots)";

function signed(body: string, contentType: string, signingSecret: string, now: Date): SlackRequest {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    body,
    headers: {
      "content-type": contentType,
      "user-agent": slackUserAgent,
      ...signSlackRequest(body, signingSecret, timestamp),
    },
  };
}

export function slashCommandRequest(command: SlashCommand, signingSecret: string, now: Date): SlackRequest {
  const form = new URLSearchParams();
  for (const field of slashCommandFieldOrder) {
    const value = command[field];
    if (value !== undefined) form.append(field, value);
  }
  return signed(form.toString(), formContentType, signingSecret, now);
}

/** Block actions, view submissions, shortcuts: Slack form-encodes one field, `payload`, holding JSON. */
export function interactionRequest(payload: object, signingSecret: string, now: Date): SlackRequest {
  const form = new URLSearchParams({ payload: JSON.stringify(payload) });
  return signed(form.toString(), formContentType, signingSecret, now);
}

export interface EventEnvelope {
  eventId: string;
  eventTime: number;
  teamId?: string;
  apiAppId?: string;
}

/** The Events API wrapper around one event, as JSON, with the bot's authorization the way Slack lists it. */
export function eventCallbackRequest(
  event: object,
  envelope: EventEnvelope,
  signingSecret: string,
  now: Date,
): SlackRequest {
  const teamId = envelope.teamId ?? fakeWorkspace.teamId;
  const body = JSON.stringify({
    team_id: teamId,
    api_app_id: envelope.apiAppId ?? fakeWorkspace.appId,
    event,
    type: "event_callback",
    event_id: envelope.eventId,
    event_time: envelope.eventTime,
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: fakeWorkspace.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  });
  return signed(body, "application/json", signingSecret, now);
}

/**
 * Slack signs the URL handshake like any other request, and Bolt checks the signature before it looks
 * at the body: an unsigned challenge gets 401, so this needs the secret too.
 */
export function urlVerificationRequest(challenge: string, signingSecret: string, now: Date): SlackRequest {
  const body = JSON.stringify({ challenge, type: "url_verification" });
  return signed(body, "application/json", signingSecret, now);
}

export type SlackRetryReason = "http_timeout" | "http_error" | "too_many_requests" | "connection_failed";

/** Slack's redelivery of the same request. The retry headers are not signed, so the signature still holds. */
export function asSlackRetry(
  request: SlackRequest,
  retryNum: number,
  reason: SlackRetryReason,
): SlackRequest {
  return {
    body: request.body,
    headers: { ...request.headers, "x-slack-retry-num": String(retryNum), "x-slack-retry-reason": reason },
  };
}
