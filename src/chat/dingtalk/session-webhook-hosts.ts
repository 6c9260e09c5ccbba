/**
 * Where an answer may go on a message's sessionWebhook. DingTalk signs an HTTP callback's
 * timestamp, not its body, so the URL a message names is only as good as the host in it: the
 * bot posts there (someone's scorecard) only when it is an allowed host over https on the
 * standard port, or exactly the origin of an API base the operator configured (a proxy, a
 * staging host, the tests' loopback fake), which already receives the app's access token.
 */

/** Origins (`https://oapi.dingtalk.com`) a sessionWebhook may point to. */
export type ReplyOrigins = ReadonlySet<string>;

export function replyOrigins(hosts: readonly string[], apiBases: readonly string[]): ReplyOrigins {
  return new Set([
    ...hosts.map((host) => new URL(`https://${host}`).origin),
    ...apiBases.map((base) => new URL(base).origin),
  ]);
}

/**
 * Whether the bot may post to this URL. Origins compare scheme, host and port exactly, so
 * `http://`, another port, `oapi.dingtalk.com.evil.net` and `oapi.dingtalk.com@evil.net` (whose
 * host is evil.net) all fail; a URL with any user info fails too, whatever its host.
 */
export function isAllowedReplyUrl(url: string, origins: ReplyOrigins): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== "" || parsed.password !== "") return false;
  return origins.has(parsed.origin);
}

/** The host:port a URL names, for a log line: never its path or query (the session token). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(not a URL)";
  }
}
