import { webApi } from "@slack/bolt";
import { type ChatDirectory, DirectoryError, type DirectoryMatch } from "../directory.ts";

/**
 * Slack's directory: users.lookupByEmail, one email a call (Tier 3, about 50 a minute: a roster
 * of a few dozen agents is well within it). The app needs the users:read.email scope. Whoever is
 * not found by email is looked for by name in users.list (Tier 2, a page of up to 200 members a
 * call): the roster's name against each member's real name, display name and handle, a match only
 * when exactly one active person has it (two 小张 are told apart by email, never by guessing).
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
    lookups: ["email", "name"],
    async find(people) {
      const matches: DirectoryMatch[] = [];
      for (const person of people) {
        if (person.email === undefined) continue;
        const userId = await lookUp(client, person.email);
        if (userId !== undefined) matches.push({ key: person.key, userId, by: "email" });
      }
      const found = new Set(matches.map((m) => m.key));
      const unnamed = people.filter((p) => !found.has(p.key) && p.name !== undefined);
      if (unnamed.length === 0) return matches;
      const byName = await membersByName(client);
      for (const person of unnamed) {
        const ids = byName.get(nameKey(person.name!));
        if (ids?.size === 1) matches.push({ key: person.key, userId: [...ids][0]!, by: "name" });
      }
      return matches;
    },
  };
}

/** Names compare without case, surrounding spaces or full-width spaces. */
const nameKey = (name: string) => name.normalize("NFKC").trim().toLowerCase();

/** Every active person of the workspace under each of their names: real, display, handle. */
async function membersByName(client: webApi.WebClient): Promise<Map<string, Set<string>>> {
  const byName = new Map<string, Set<string>>();
  let cursor: string | undefined;
  do {
    const page = await call("users.list", () =>
      client.users.list({ limit: 200, ...(cursor ? { cursor } : {}) }),
    );
    for (const member of page.members ?? []) {
      if (member.id === undefined || member.deleted || member.is_bot || member.id === "USLACKBOT") continue;
      const names = [member.real_name, member.profile?.real_name, member.profile?.display_name, member.name];
      for (const name of new Set(names.filter((n): n is string => Boolean(n)).map(nameKey))) {
        const ids = byName.get(name) ?? new Set<string>();
        byName.set(name, ids.add(member.id));
      }
    }
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return byName;
}

async function lookUp(client: webApi.WebClient, email: string): Promise<string | undefined> {
  try {
    const answer = await call("users.lookupByEmail", () => client.users.lookupByEmail({ email }));
    return answer.user?.id;
  } catch (error) {
    if (error instanceof NotFound) return undefined;
    throw error;
  }
}

/** users_not_found: the one refusal that is an answer, not a failure. */
class NotFound extends Error {}

/** A Web API call with Slack's refusals said as what to do about them (DirectoryError). */
async function call<T>(method: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === webApi.ErrorCode.PlatformError) {
      const apiError = (error as webApi.WebAPIPlatformError).data.error;
      if (apiError === "users_not_found") throw new NotFound(apiError);
      if (REFUSED_TOKEN.has(apiError))
        throw new DirectoryError(
          "slack",
          "credentials",
          `Slack refused SLACK_BOT_TOKEN (${apiError}): copy the Bot User OAuth Token (xoxb-…) of the installed app`,
        );
      if (apiError === "missing_scope") {
        const needed = method === "users.list" ? "users:read" : "users:read.email";
        throw new DirectoryError(
          "slack",
          "credentials",
          `the app lacks the ${needed} scope: add it under OAuth & Permissions and reinstall the app`,
        );
      }
      throw new DirectoryError("slack", "unavailable", `${method} failed: ${apiError}`);
    }
    if (code === webApi.ErrorCode.RateLimitedError) {
      const seconds = (error as webApi.WebAPIRateLimitedError).retryAfter;
      throw new DirectoryError(
        "slack",
        "unavailable",
        `Slack is rate-limiting ${method}: try again in ${seconds} s`,
      );
    }
    if (code === webApi.ErrorCode.HTTPError) {
      const status = (error as webApi.WebAPIHTTPError).statusCode;
      throw new DirectoryError("slack", "unavailable", `${method} answered HTTP ${status}: try again later`);
    }
    if (code === webApi.ErrorCode.RequestError)
      throw new DirectoryError("slack", "unavailable", "Slack could not be reached (network error)");
    throw error;
  }
}
