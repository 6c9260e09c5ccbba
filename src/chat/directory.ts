import type { ChatPlatform } from "./caller.ts";

/**
 * A chat platform's directory of people, as `kpi roster sync` asks it: who has this email or
 * mobile number. Each platform answers in its own way (Slack one email at a time, Feishu fifty of
 * each in one call, DingTalk one mobile at a time); the use-case sees matches.
 */

/** Someone to look up, by whatever the roster knows of them; `key` comes back with the match. */
export interface DirectoryQuery {
  key: string;
  email?: string;
  mobile?: string;
  /** The roster's name: matched only where one person in the directory has it. */
  name?: string;
}

export interface DirectoryMatch {
  key: string;
  /** The platform's user id: Slack U…, Feishu open_id ou_…, DingTalk userid (staffId). */
  userId: string;
  by: DirectoryLookup;
}

export type DirectoryLookup = "email" | "mobile" | "name";

export interface ChatDirectory {
  readonly platform: Exclude<ChatPlatform, "console">;
  /** What each platform can look people up by; a query with neither is not sent. */
  readonly lookups: readonly DirectoryLookup[];
  /** The matches found; people the directory does not know are left out. Throws DirectoryError. */
  find(people: readonly DirectoryQuery[]): Promise<DirectoryMatch[]>;
}

/**
 * Why a lookup failed as a whole: the credentials or the app's permissions (the user must fix
 * them: "credentials"), or the platform throttled or failed ("unavailable": try again later).
 * The message names the platform's answer and what to do, never a token or a person.
 */
export class DirectoryError extends Error {
  constructor(
    readonly platform: ChatDirectory["platform"],
    readonly kind: "credentials" | "unavailable",
    message: string,
  ) {
    super(`${platform}: ${message}`);
    this.name = "DirectoryError";
  }
}
