import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readText } from "../http-body.ts";
import type { ScopeCount } from "../rate-window.ts";
import { type FakeUpload, fakeFiles } from "./files.ts";
import { type SlackLimits, slackRateLimits } from "./rate-limits.ts";
import { parseArgs, parseJsonOr, tokenOf } from "./request-body.ts";
import {
  type ApiArgs,
  type ApiResult,
  type FakeChannel,
  type FakeMessage,
  type FakeSlackState,
  type FakeUser,
  nextTs,
  webApiMethods,
} from "./web-api-methods.ts";
import { fakeWorkspace } from "./workspace.ts";

export {
  dmChannelOf,
  type FakeChannel,
  type FakeMessage,
  type FakeMetadata,
  type FakeUser,
} from "./web-api-methods.ts";

/** One Web API request as the fake received it, and the HTTP status it answered with. */
export interface FakeSlackCall {
  method: string;
  body: ApiArgs;
  headers: IncomingHttpHeaders;
  /** 0 when the fake never answered (a hang). */
  status: number;
  /** When it arrived (Date.now()), to check that sends keep to the limits. */
  receivedAt: number;
}

/**
 * How the next call to a method goes wrong: throttled, Slack down, an API error in a 200, or no
 * answer at all: hung before Slack acted on it ("unprocessed"), or acted on (a message posted)
 * with the answer lost on the way back ("processed"). A hung call is answered never; the client's
 * timeout ends it.
 */
export type FakeFailure =
  | { status: 429; retryAfter: number }
  | { status: 500 | 502 | 503 }
  | { error: string }
  | { hang: "unprocessed" | "processed" };

export interface FakeSlack {
  /** For `new WebClient(token, { slackApiUrl })` and Bolt's `clientOptions.slackApiUrl`. */
  apiUrl: string;
  botToken: string;
  calls: readonly FakeSlackCall[];
  callsTo(method: string): FakeSlackCall[];
  /** `method` is a Web API method, or "response_url" for every response URL, "upload_url" for file uploads. */
  failNext(method: string, failure: FakeFailure, times?: number): void;
  /**
   * From now on, about `share` of the calls to `method` (chosen by a seeded generator, the same
   * ones every run) fail with one of `failures` in turn.
   */
  failSome(method: string, share: number, failures: readonly FakeFailure[], seed?: number): void;
  addUser(user: FakeUser): void;
  /** A channel for conversations.info (chat.postMessage posts to any channel id regardless). */
  addChannel(channel: FakeChannel): void;
  /** Messages as they stand now, after any chat.update. */
  messages: readonly FakeMessage[];
  /** A person posts in a channel (as people talk between the bot's messages); returns its ts. */
  postAs(userId: string, channel: string, text: string): string;
  responseUrl(id: string): string;
  /** The JSON bodies POSTed to `responseUrl(id)`, in order. */
  responses(id: string): unknown[];
  /** Files asked for with files.getUploadURLExternal: what reached the upload URL, where they were shared. */
  uploads(): FakeUpload[];
  /** What each rate-limit scope admitted and throttled (with `limits` given). */
  limitCounts(): ScopeCount[];
  close(): Promise<void>;
}

export interface FakeSlackOptions {
  users?: FakeUser[];
  now?: () => Date;
  /** Enforce these limits (rate-limits.ts); none by default. */
  limits?: SlackLimits;
  channels?: FakeChannel[];
  /**
   * The bot token's scopes, sent in every answer's x-oauth-scopes header as Slack does; left out,
   * no header is sent (and no scope is enforced).
   */
  grantedScopes?: readonly string[];
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

const statusOf = (failure: FakeFailure): number =>
  "hang" in failure ? 0 : "error" in failure ? 200 : failure.status;

function sendFailure(res: ServerResponse, failure: Exclude<FakeFailure, { hang: string }>): void {
  if ("error" in failure) {
    sendJson(res, 200, { ok: false, error: failure.error });
  } else if (failure.status === 429) {
    sendJson(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(failure.retryAfter) });
  } else {
    res.writeHead(failure.status, { "content-type": "text/plain" });
    res.end("Slack is having trouble (fake)");
  }
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const state: FakeSlackState = {
    users: new Map((options.users ?? []).map((u) => [u.id, u])),
    channels: new Map((options.channels ?? []).map((c) => [c.id, c])),
    ...(options.grantedScopes === undefined ? {} : { grantedScopes: options.grantedScopes }),
    messages: [],
    now: options.now ?? (() => new Date()),
    tsCount: 0,
  };
  const calls: FakeSlackCall[] = [];
  const responses = new Map<string, unknown[]>();
  const failures = new Map<string, FakeFailure[]>();
  const chaos = new Map<string, () => FakeFailure | undefined>();
  const takeFailure = (key: string) => failures.get(key)?.shift() ?? chaos.get(key)?.();
  const limits = slackRateLimits(options.limits ?? {});
  const files = fakeFiles(state);

  function answerApi(req: IncomingMessage, res: ServerResponse, method: string, text: string) {
    const parsed = parseArgs(req, text);
    const body = parsed === "invalid_json" ? {} : parsed.args;
    // Slack's gateway counts a call before anything else happens to it.
    const retryAfter = limits.judge(method, body, state.now().getTime());
    const failure: FakeFailure | undefined =
      retryAfter === undefined ? takeFailure(method) : { status: 429, retryAfter };
    calls.push({
      method,
      body,
      headers: req.headers,
      status: failure ? statusOf(failure) : 200,
      receivedAt: Date.now(),
    });
    if (failure && "hang" in failure) {
      if (failure.hang === "processed") answer(method, req, parsed);
      return;
    }
    if (failure) return sendFailure(res, failure);
    const scopes =
      state.grantedScopes === undefined ? {} : { "x-oauth-scopes": state.grantedScopes.join(",") };
    sendJson(res, 200, answer(method, req, parsed), scopes);
  }

  function answer(method: string, req: IncomingMessage, parsed: ReturnType<typeof parseArgs>): ApiResult {
    if (parsed === "invalid_json") return { ok: false, error: "invalid_json" };
    const token = tokenOf(req, parsed.args, parsed.tokenInBody);
    if (token === undefined) return { ok: false, error: "not_authed" };
    if (token !== fakeWorkspace.botToken) return { ok: false, error: "invalid_auth" };
    const run = webApiMethods[method] ?? files.methods[method];
    return run === undefined ? { ok: false, error: "unknown_method" } : run(parsed.args, state);
  }

  function answerResponseUrl(res: ServerResponse, id: string, text: string) {
    const failure = takeFailure("response_url");
    if (failure && "hang" in failure) return;
    if (failure) return sendFailure(res, failure);
    const list = responses.get(id) ?? [];
    list.push(parseJsonOr(text));
    responses.set(id, list);
    sendJson(res, 200, { ok: true });
  }

  function route(req: IncomingMessage, res: ServerResponse, text: string) {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    if (req.method !== "POST")
      return sendJson(res, 405, { ok: false, error: "method_not_supported_in_fake" });
    if (path.startsWith("/api/")) return answerApi(req, res, path.slice("/api/".length), text);
    if (path.startsWith("/response/")) {
      return answerResponseUrl(res, decodeURIComponent(path.slice("/response/".length)), text);
    }
    sendJson(res, 404, { ok: false, error: "not_found" });
  }

  const server = createServer((req, res) => {
    // An upload's body is bytes, not text: read by files.ts.
    if (files.isUpload(req)) {
      return void files
        .receive(req, res, takeFailure("upload_url"))
        .then((call) => calls.push(call))
        .catch((error: unknown) => sendJson(res, 500, { ok: false, error: String(error) }));
    }
    readText(req)
      .then((text) => route(req, res, text))
      .catch((error: unknown) => sendJson(res, 500, { ok: false, error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  files.setBase(base);

  return {
    apiUrl: `${base}/api/`,
    botToken: fakeWorkspace.botToken,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    failNext(method, failure, times = 1) {
      failures.set(method, [...(failures.get(method) ?? []), ...Array<FakeFailure>(times).fill(failure)]);
    },
    failSome(method, share, list, seed = 1) {
      let state = seed >>> 0 || 1;
      let turn = 0;
      chaos.set(method, () => {
        // xorshift32: small, seeded, good enough to spread failures.
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        if ((state >>> 0) / 2 ** 32 >= share) return undefined;
        return list[turn++ % list.length];
      });
    },
    addUser: (user) => void state.users.set(user.id, user),
    addChannel: (channel) => void state.channels.set(channel.id, channel),
    messages: state.messages,
    postAs(userId, channel, text) {
      const ts = nextTs(state);
      state.messages.push({ channel, ts, text, blocks: undefined, thread_ts: undefined, user: userId });
      return ts;
    },
    responseUrl: (id) => `${base}/response/${encodeURIComponent(id)}`,
    responses: (id) => responses.get(id) ?? [],
    uploads: files.uploads,
    limitCounts: () => limits.counts(),
    close() {
      // fetch keeps connections alive; without this, close() waits for them to time out.
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
