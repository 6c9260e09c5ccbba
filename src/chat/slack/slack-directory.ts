import { webApi } from "@slack/bolt";
import { type ChatDirectory, DirectoryError, type DirectoryMatch } from "../directory.ts";

/**
 * Slack's directory: users.lookupByEmail, one email a call (Tier 3, about 50 a minute: a roster
 * of a few dozen agents is well within it). The app needs the users:read.email scope.
 */

const REFUSED_TOKEN = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
]);

export interface SlackDirectorySettings {
  apiUrl: string;
  botToken: string;
}

export function slackDirectory(settings: SlackDirectorySettings): ChatDirectory {
  const client = new webApi.WebClient(settings.botToken, {
    slackApiUrl: settings.apiUrl,
    // A refusal is told at once; the user runs the command again rather than wait half an hour.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logLevel: webApi.LogLevel.ERROR,
  });
  return {
    platform: "slack",
    lookups: ["email"],
    async find(people) {
      const matches: DirectoryMatch[] = [];
      for (const person of people) {
        if (person.email === undefined) continue;
        const userId = await lookUp(client, person.email);
        if (userId !== undefined) matches.push({ key: person.key, userId, by: "email" });
      }
      return matches;
    },
  };
}

async function lookUp(client: webApi.WebClient, email: string): Promise<string | undefined> {
  try {
    const answer = await client.users.lookupByEmail({ email });
    return answer.user?.id;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === webApi.ErrorCode.PlatformError) {
      const apiError = (error as webApi.WebAPIPlatformError).data.error;
      if (apiError === "users_not_found") return undefined;
      if (REFUSED_TOKEN.has(apiError))
        throw new DirectoryError(
          "slack",
          "credentials",
          `Slack refused SLACK_BOT_TOKEN (${apiError}): copy the Bot User OAuth Token (xoxb-…) of the installed app`,
        );
      if (apiError === "missing_scope")
        throw new DirectoryError(
          "slack",
          "credentials",
          "the app lacks the users:read.email scope: add it under OAuth & Permissions and reinstall the app",
        );
      throw new DirectoryError("slack", "unavailable", `users.lookupByEmail failed: ${apiError}`);
    }
    if (code === webApi.ErrorCode.RateLimitedError) {
      const seconds = (error as webApi.WebAPIRateLimitedError).retryAfter;
      throw new DirectoryError(
        "slack",
        "unavailable",
        `Slack is rate-limiting users.lookupByEmail: try again in ${seconds} s`,
      );
    }
    if (code === webApi.ErrorCode.HTTPError) {
      const status = (error as webApi.WebAPIHTTPError).statusCode;
      throw new DirectoryError(
        "slack",
        "unavailable",
        `users.lookupByEmail answered HTTP ${status}: try again later`,
      );
    }
    if (code === webApi.ErrorCode.RequestError)
      throw new DirectoryError("slack", "unavailable", "Slack could not be reached (network error)");
    throw error;
  }
}
