import { webApi } from "@slack/bolt";

/**
 * What `kpi doctor` asks Slack: does the bot token work (auth.test), which scopes it carries
 * (Slack names them in every answer's x-oauth-scopes header), and is the bot a member of each
 * digest channel (conversations.info). Answers are plain data; what to do about them is the
 * doctor's. Nothing here holds or returns the token.
 */

export type SlackTokenCheck =
  | { ok: true; team: string; botUser: string; botUserId: string; scopes?: string[] }
  | { ok: false; error: string };

export type SlackChannelCheck =
  | { ok: true; name: string; member: boolean; archived: boolean }
  | { ok: false; error: string };

export interface SlackChecks {
  token(): Promise<SlackTokenCheck>;
  channel(id: string): Promise<SlackChannelCheck>;
}

/** Slack's error code, or what went wrong on the way (HTTP status, network): never the request. */
function errorOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === webApi.ErrorCode.PlatformError) return (error as webApi.WebAPIPlatformError).data.error;
  if (code === webApi.ErrorCode.HTTPError) return `HTTP ${(error as webApi.WebAPIHTTPError).statusCode}`;
  if (code === webApi.ErrorCode.RateLimitedError) return "rate limited";
  if (code === webApi.ErrorCode.RequestError) return "no answer from Slack (network)";
  return error instanceof Error ? error.message : String(error);
}

export function slackChecks(settings: { apiUrl: string; botToken: string; timeoutMs?: number }): SlackChecks {
  const client = new webApi.WebClient(settings.botToken, {
    slackApiUrl: settings.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: settings.timeoutMs ?? 10_000,
    logLevel: webApi.LogLevel.ERROR,
  });
  return {
    async token() {
      try {
        const answer = await client.auth.test();
        const scopes = answer.response_metadata?.scopes;
        return {
          ok: true,
          team: answer.team ?? answer.team_id ?? "",
          botUser: answer.user ?? "",
          botUserId: answer.user_id ?? "",
          ...(scopes === undefined ? {} : { scopes }),
        };
      } catch (error) {
        return { ok: false, error: errorOf(error) };
      }
    },
    async channel(id) {
      try {
        const { channel } = await client.conversations.info({ channel: id });
        return {
          ok: true,
          name: channel?.name ?? id,
          member: channel?.is_member === true,
          archived: channel?.is_archived === true,
        };
      } catch (error) {
        return { ok: false, error: errorOf(error) };
      }
    },
  };
}
