import type { ApiArgs, ApiResult, FakeMessage, FakeSlackState } from "./web-api-methods.ts";
import { fakeWorkspace } from "./workspace.ts";

/**
 * conversations.history as Slack answers it: a channel's top-level messages (no thread replies)
 * newest first, after `oldest` and up to `latest` (both exclusive unless `inclusive`), at most
 * `limit` (default 100, at most 999) a page; `has_more` and an opaque `next_cursor` (Slack's
 * looks like base64 of "next_ts:<ts>", so does the fake's) when older ones remain. Metadata only
 * with `include_all_metadata`.
 */

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 999;

/** A form sends strings, JSON may send numbers; anything else is as if left out. */
function numberArg(args: ApiArgs, key: string): number | undefined {
  const value = args[key];
  if (typeof value === "number") return value;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

const flag = (args: ApiArgs, key: string): boolean => args[key] === true || args[key] === "true";

const cursorOf = (ts: string): string => Buffer.from(`next_ts:${ts}`).toString("base64");

/** The ts a cursor starts from (inclusive), or "invalid". */
function cursorTs(cursor: string): number | "invalid" {
  const match = /^next_ts:(\d+\.\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
  return match ? Number(match[1]) : "invalid";
}

/** A message as history shows it: the bot's with its bot_id and app_id, a person's with their user id. */
function shown(message: FakeMessage, withMetadata: boolean): Record<string, unknown> {
  const bot = message.user === undefined;
  return {
    type: "message",
    user: message.user ?? fakeWorkspace.botUserId,
    ...(bot ? { bot_id: fakeWorkspace.botId, app_id: fakeWorkspace.appId } : {}),
    ts: message.ts,
    text: message.text ?? "",
    ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
    ...(message.files === undefined ? {} : { files: message.files.map((id) => ({ id })), upload: true }),
    ...(message.thread_ts === undefined ? {} : { thread_ts: message.thread_ts }),
    ...(withMetadata && message.metadata !== undefined ? { metadata: message.metadata } : {}),
  };
}

export function conversationsHistory(args: ApiArgs, state: FakeSlackState): ApiResult {
  const channel = typeof args.channel === "string" ? args.channel : "";
  if (channel === "") return { ok: false, error: "channel_not_found" };
  const requested = numberArg(args, "limit") ?? DEFAULT_LIMIT;
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(requested)));
  const inclusive = flag(args, "inclusive");
  const oldest = numberArg(args, "oldest") ?? 0;
  const latest = numberArg(args, "latest") ?? Number.POSITIVE_INFINITY;
  // A cursor names the newest message of the next page.
  const from = typeof args.cursor === "string" && args.cursor !== "" ? cursorTs(args.cursor) : Infinity;
  if (from === "invalid") return { ok: false, error: "invalid_cursor" };
  const inRange = state.messages
    .filter((m) => m.channel === channel && (m.thread_ts === undefined || m.thread_ts === m.ts))
    .filter((m) => {
      const ts = Number(m.ts);
      return (inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest) && ts <= from;
    })
    .sort((a, b) => Number(b.ts) - Number(a.ts));
  const page = inRange.slice(0, limit);
  const next = inRange[limit];
  return {
    ok: true,
    messages: page.map((m) => shown(m, flag(args, "include_all_metadata"))),
    has_more: next !== undefined,
    pin_count: 0,
    channel_actions_ts: null,
    channel_actions_count: 0,
    ...(next === undefined ? {} : { response_metadata: { next_cursor: cursorOf(next.ts) } }),
  };
}
