import { conversationsHistory } from "./conversations-history.ts";
import { fakeWorkspace } from "./workspace.ts";

/** A Web API call's arguments after the body is parsed: strings from a form, anything from JSON. */
export type ApiArgs = Record<string, unknown>;
export type ApiResult = { ok: boolean } & Record<string, unknown>;

export interface FakeUser {
  id: string;
  name: string;
  tz: string;
  locale: string;
  real_name?: string;
  /** The profile's email, which users.lookupByEmail finds the user by. */
  email?: string;
  /** The profile's display name (the handle `name` when not given). */
  display_name?: string;
  /** Deactivated: users.list still lists them, marked deleted. */
  deleted?: boolean;
}

/** A message as it stands in the fake's channel history (chat.update rewrites it in place). */
export interface FakeMessage {
  channel: string;
  ts: string;
  text: string | undefined;
  blocks: unknown;
  thread_ts: string | undefined;
  /** Files shared by files.completeUploadExternal, which posts them as a message of their own. */
  files?: string[];
  /** Message metadata posted with it (chat.postMessage's `metadata`), as Slack keeps it. */
  metadata?: FakeMetadata;
  /** Who posted it, when not the bot: a person talking in the channel (FakeSlack.postAs). */
  user?: string;
}

export interface FakeMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/** A channel conversations.info knows; a private one the bot is not in is hidden from it, as in Slack. */
export interface FakeChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  /** Whether the bot has been invited. */
  botIsMember: boolean;
}

/** What the methods read and change: seeded users, posted messages, and the clock that makes `ts`. */
export interface FakeSlackState {
  users: Map<string, FakeUser>;
  channels: Map<string, FakeChannel>;
  /** The bot token's scopes, when the test gives them: sent as x-oauth-scopes and enforced where noted. */
  grantedScopes?: readonly string[];
  messages: FakeMessage[];
  now: () => Date;
  tsCount: number;
}

const text = (args: ApiArgs, key: string): string | undefined =>
  typeof args[key] === "string" && args[key] !== "" ? (args[key] as string) : undefined;

// A form sends "true"; a JSON body sends true.
const flag = (args: ApiArgs, key: string): boolean => args[key] === true || args[key] === "true";

export function nextTs(state: FakeSlackState): string {
  state.tsCount += 1;
  const seconds = Math.floor(state.now().getTime() / 1000);
  return `${seconds}.${String(state.tsCount).padStart(6, "0")}`;
}

/** One DM per user, named after it (U123 → D123) so a test can tell where a DM went without asking. */
export const dmChannelOf = (userId: string): string => `D${userId.slice(1)}`;

// chat.postMessage to a user id posts in the bot's DM with that user, as Slack does.
const resolveChannel = (channel: string): string => (/^[UW]/.test(channel) ? dmChannelOf(channel) : channel);

/** Slack's check of `metadata`: an event_type and an event_payload object, else invalid_metadata_format. */
function metadataOf(args: ApiArgs): FakeMetadata | "invalid" | undefined {
  const metadata = args.metadata as Partial<FakeMetadata> | undefined;
  if (metadata === undefined) return undefined;
  const { event_type, event_payload } = metadata ?? {};
  if (typeof event_type !== "string" || event_type === "") return "invalid";
  if (typeof event_payload !== "object" || event_payload === null || Array.isArray(event_payload))
    return "invalid";
  return { event_type, event_payload };
}

/**
 * Slack's block limits, as it refuses a message with `invalid_blocks`: at most 50 blocks, 25
 * elements in an actions block, 3,000 characters in a section's text, 150 in a header's, 75 in
 * a button's label.
 */
export function blocksProblem(blocks: unknown): string | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return "blocks is not an array";
  if (blocks.length > 50) return `${blocks.length} blocks (at most 50)`;
  for (const [i, block] of blocks.entries()) {
    const b = block as { type?: string; text?: { text?: string }; elements?: unknown[] };
    if (b.type === "actions") {
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 25)
        return `block ${i}: actions with ${b.elements?.length ?? 0} elements (1 to 25)`;
      for (const e of b.elements as { text?: { text?: string } }[])
        if ((e.text?.text?.length ?? 0) > 75) return `block ${i}: a button label over 75 characters`;
    }
    if (b.type === "section" && (b.text?.text?.length ?? 0) > 3000) return `block ${i}: section over 3000`;
    if (b.type === "header" && (b.text?.text?.length ?? 0) > 150) return `block ${i}: header over 150`;
  }
  return undefined;
}

function postMessage(args: ApiArgs, state: FakeSlackState): ApiResult {
  const channel = text(args, "channel");
  if (channel === undefined) return { ok: false, error: "channel_not_found" };
  if (args.text === undefined && args.blocks === undefined && args.attachments === undefined) {
    return { ok: false, error: "no_text" };
  }
  if (blocksProblem(args.blocks)) return { ok: false, error: "invalid_blocks" };
  const metadata = metadataOf(args);
  if (metadata === "invalid") return { ok: false, error: "invalid_metadata_format" };
  const message: FakeMessage = {
    channel: resolveChannel(channel),
    ts: nextTs(state),
    text: text(args, "text"),
    blocks: args.blocks,
    thread_ts: text(args, "thread_ts"),
    ...(metadata === undefined ? {} : { metadata }),
  };
  state.messages.push(message);
  const { channel: where, ...shown } = message;
  return {
    ok: true,
    channel: where,
    ts: message.ts,
    message: { type: "message", user: fakeWorkspace.botUserId, bot_id: fakeWorkspace.botId, ...shown },
  };
}

function update(args: ApiArgs, state: FakeSlackState): ApiResult {
  const channel = text(args, "channel");
  const ts = text(args, "ts");
  const message = state.messages.find((m) => m.channel === channel && m.ts === ts);
  if (message === undefined) return { ok: false, error: "message_not_found" };
  if (blocksProblem(args.blocks)) return { ok: false, error: "invalid_blocks" };
  if (args.text !== undefined) message.text = text(args, "text");
  if (args.blocks !== undefined) message.blocks = args.blocks;
  return { ok: true, channel: message.channel, ts: message.ts, text: message.text, message: { ...message } };
}

function postEphemeral(args: ApiArgs, state: FakeSlackState): ApiResult {
  if (text(args, "channel") === undefined) return { ok: false, error: "channel_not_found" };
  if (text(args, "user") === undefined) return { ok: false, error: "invalid_arguments" };
  return { ok: true, message_ts: nextTs(state) };
}

function openConversation(args: ApiArgs): ApiResult {
  const users = (text(args, "users") ?? "").split(",").filter((u) => u !== "");
  if (users.length === 0) return { ok: false, error: "users_list_not_supplied" };
  if (users.length > 1) return { ok: false, error: "not_supported_in_fake" };
  return { ok: true, channel: { id: dmChannelOf(users[0]!) } };
}

function utcOffsetSeconds(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }).formatToParts(at);
  const offset = /GMT([+-])(\d\d):(\d\d)/.exec(parts.find((p) => p.type === "timeZoneName")?.value ?? "");
  if (offset === null) return 0; // "GMT" alone
  return (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 3600 + Number(offset[3]) * 60);
}

/** What users.info and users.lookupByEmail both say of a user. */
function userFields(user: { id: string; name: string; real_name?: string; tz: string }) {
  return {
    id: user.id,
    team_id: fakeWorkspace.teamId,
    name: user.name,
    real_name: user.real_name ?? user.name,
    tz: user.tz,
  };
}

function userInfo(args: ApiArgs, state: FakeSlackState): ApiResult {
  const user = state.users.get(text(args, "user") ?? "");
  if (user === undefined) return { ok: false, error: "user_not_found" };
  const at = state.now();
  const label = new Intl.DateTimeFormat("en-US", { timeZone: user.tz, timeZoneName: "long" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName")?.value;
  return {
    ok: true,
    user: {
      ...userFields(user),
      tz_label: label,
      tz_offset: utcOffsetSeconds(user.tz, at),
      is_bot: false,
      // Slack leaves the locale out unless it is asked for.
      ...(flag(args, "include_locale") ? { locale: user.locale } : {}),
    },
  };
}

/**
 * users.lookupByEmail: the user whose profile email it is (Slack compares case-insensitively),
 * else users_not_found; the email is required (invalid_arguments without it).
 */
function lookupByEmail(args: ApiArgs, state: FakeSlackState): ApiResult {
  const email = text(args, "email")?.toLowerCase();
  if (email === undefined) return { ok: false, error: "invalid_arguments" };
  const user = [...state.users.values()].find((u) => u.email?.toLowerCase() === email);
  if (user === undefined) return { ok: false, error: "users_not_found" };
  return {
    ok: true,
    user: {
      ...userFields(user),
      is_bot: false,
      profile: { email: user.email, real_name: user.real_name ?? user.name, display_name: user.name },
    },
  };
}

/**
 * users.list: the workspace's members a page at a time (`limit`, Slack's recommended most 200;
 * `cursor` from the last page's response_metadata.next_cursor, "" on the last page). Needs
 * users:read where scopes are given.
 */
function usersList(args: ApiArgs, state: FakeSlackState): ApiResult {
  if (state.grantedScopes !== undefined && !state.grantedScopes.includes("users:read"))
    return {
      ok: false,
      error: "missing_scope",
      needed: "users:read",
      provided: state.grantedScopes.join(","),
    };
  const limit = Math.min(Number(text(args, "limit") ?? 0) || 1000, 1000);
  const cursor = text(args, "cursor");
  const start = cursor ? Number(Buffer.from(cursor, "base64").toString("utf8").replace("user:", "")) : 0;
  if (!Number.isInteger(start) || start < 0) return { ok: false, error: "invalid_cursor" };
  const users = [...state.users.values()];
  const page = users.slice(start, start + limit);
  const next = start + limit < users.length ? Buffer.from(`user:${start + limit}`).toString("base64") : "";
  return {
    ok: true,
    members: page.map((user) => ({
      ...userFields(user),
      deleted: user.deleted ?? false,
      is_bot: false,
      profile: {
        real_name: user.real_name ?? user.name,
        display_name: user.display_name ?? user.name,
        ...(user.email ? { email: user.email } : {}),
      },
    })),
    response_metadata: { next_cursor: next },
  };
}

function authTest(): ApiResult {
  return {
    ok: true,
    url: `https://${fakeWorkspace.teamDomain}.slack.com/`,
    team: fakeWorkspace.teamDomain,
    user: "kpi-bot",
    team_id: fakeWorkspace.teamId,
    user_id: fakeWorkspace.botUserId,
    bot_id: fakeWorkspace.botId,
    is_enterprise_install: false,
  };
}

/** conversations.info: channels:read for a public channel, groups:read for a private one. */
function conversationInfo(args: ApiArgs, state: FakeSlackState): ApiResult {
  const channel = state.channels.get(text(args, "channel") ?? "");
  if (channel === undefined || (channel.isPrivate && !channel.botIsMember))
    return { ok: false, error: "channel_not_found" };
  const needed = channel.isPrivate ? "groups:read" : "channels:read";
  if (state.grantedScopes !== undefined && !state.grantedScopes.includes(needed))
    return { ok: false, error: "missing_scope", needed, provided: state.grantedScopes.join(",") };
  return {
    ok: true,
    channel: {
      id: channel.id,
      name: channel.name,
      is_channel: !channel.isPrivate,
      is_group: channel.isPrivate === true,
      is_private: channel.isPrivate === true,
      is_archived: channel.isArchived === true,
      is_member: channel.botIsMember,
    },
  };
}

export const webApiMethods: Record<string, (args: ApiArgs, state: FakeSlackState) => ApiResult> = {
  "auth.test": authTest,
  "chat.postMessage": postMessage,
  "chat.update": update,
  "chat.postEphemeral": postEphemeral,
  "conversations.history": conversationsHistory,
  "conversations.info": conversationInfo,
  "conversations.open": openConversation,
  "users.info": userInfo,
  "users.lookupByEmail": lookupByEmail,
  "users.list": usersList,
};
