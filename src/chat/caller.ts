/**
 * Who is asking, in the platforms' own terms: a user id on one chat platform. Adapters make a
 * Caller of each command and click; the use-cases decide what that person may see.
 */

/** The platforms the bot speaks on; the console is the terminal's (`kpi chat`, `npm start` without chat). */
export type ChatPlatform = "slack" | "feishu" | "dingtalk" | "console";

export interface Caller {
  platform: ChatPlatform;
  userId: string;
}

/** A chat account as configuration (admins), identities and the audit log name it: `platform:userId`. */
export const chatUserKey = (user: { platform: string; userId: string }): string =>
  `${user.platform}:${user.userId}`;
