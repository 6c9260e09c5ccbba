import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Hang, seededPicks } from "../chaos.ts";
import { isRecord, readText } from "../http-body.ts";
import type { ScopeCount } from "../rate-window.ts";
import {
  answerForFailure,
  FEISHU_ERRORS,
  type FeishuAnswer,
  type FeishuFailure,
  failure,
  success,
} from "./answers.ts";
import { answerDirectory, type FakeDirectoryUser } from "./directory.ts";
import { answerImages, type FakeImage, isMultipart, readForm } from "./images.ts";
import { answerMessages, type FakeMessage, type MessageStore, parseContent } from "./messages.ts";
import { type FeishuLimits, feishuRateLimits } from "./rate-limits.ts";

/**
 * A loopback fake of the parts of Feishu/Lark's OpenAPI the bot uses, for the real
 * `@larksuiteoapi/node-sdk`: `new lark.Client({ appId, appSecret, domain: fake.domain })`.
 */

export interface FakeFeishuApp {
  appId: string;
  appSecret: string;
}

export interface FakeFeishuOptions {
  apps?: FakeFeishuApp[];
  /** Seconds a tenant token lives; Feishu says 7200. The SDK reuses it until 3 minutes before. */
  tokenTtlSeconds?: number;
  /** Milliseconds since the epoch, for token expiry and message times. */
  now?: () => number;
  /** Enforce these send limits (rate-limits.ts); none by default. */
  limits?: FeishuLimits;
  /** Group chat_ids the bot has been added to (is_in_chat answers true for them). */
  botChats?: string[];
  /** The tenant's people, for contact/v3/users/batch_get_id. */
  directory?: FakeDirectoryUser[];
}

/** One HTTP call the fake received, whatever it answered. */
export interface FeishuCall {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The JSON body, parsed ({} when there was none). */
  body: Record<string, unknown>;
  /** `body.content` parsed from its JSON string: `{ text }` for text, the card for cards. */
  content: unknown;
  /** The card, on sends and replies of msg_type "interactive" and on card updates (PATCH). */
  card: unknown;
  /** 0 when the fake never answered (a hang). */
  status: number;
  answer: unknown;
}

export interface FakeFeishu {
  /** Pass as `domain` to `lark.Client`. */
  domain: string;
  calls: FeishuCall[];
  /** Calls whose path matches `route`, where a `:name` segment matches any one segment. */
  callsTo(route: string, method?: string): FeishuCall[];
  /** Messages as they stand now, after replies and card updates, by message_id. */
  messages: ReadonlyMap<string, FakeMessage>;
  /** Images uploaded with POST /open-apis/im/v1/images, by image_key. */
  images: ReadonlyMap<string, FakeImage>;
  /** Registers an app with an appId never used before (the SDK caches tokens per appId, process-wide). */
  newApp(): FakeFeishuApp;
  /** The next `times` calls whose path starts with `pathPrefix` answer `planned` instead. */
  failNext(pathPrefix: string, planned: FeishuFailure | Hang, times?: number): void;
  /**
   * From now on, about `share` of the calls whose path starts with `pathPrefix` (chosen by a
   * seeded generator, the same ones every run) answer one of `faults` in turn.
   */
  failSome(pathPrefix: string, share: number, faults: readonly (FeishuFailure | Hang)[], seed?: number): void;
  /** What each rate-limit scope admitted and throttled (with `limits` given). */
  limitCounts(): ScopeCount[];
  /** Adds the bot to a group, as adding it in the group's settings does. */
  addBotToChat(chatId: string): void;
  /** The tenant's people batch_get_id finds (add to it to grow the directory). */
  directory: FakeDirectoryUser[];
  /** Invalidates every tenant token issued so far, as an app-secret reset does. */
  revokeTokens(): void;
  close(): Promise<void>;
}

const TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
const IS_IN_CHAT_PATH = /^\/open-apis\/im\/v1\/chats\/([^/]+)\/members\/is_in_chat$/;
let appsMinted = 0;

export async function startFakeFeishu(options: FakeFeishuOptions = {}): Promise<FakeFeishu> {
  const now = options.now ?? Date.now;
  const ttlSeconds = options.tokenTtlSeconds ?? 7200;
  const apps = new Map((options.apps ?? []).map((app) => [app.appId, app.appSecret]));
  const tokens = new Map<string, { appId: string; expiresAt: number }>();
  const planned: { pathPrefix: string; failure: FeishuFailure | Hang; left: number }[] = [];
  const chaos: { pathPrefix: string; pick: () => FeishuFailure | Hang | undefined }[] = [];
  const limits = feishuRateLimits(options.limits ?? {});
  const calls: FeishuCall[] = [];
  const botChats = new Set(options.botChats ?? []);
  const directory = [...(options.directory ?? [])];
  let messageCount = 0;
  const images = new Map<string, FakeImage>();
  const store: MessageStore = {
    images,
    messages: new Map(),
    byUuid: new Map(),
    nextId: () => `om_fake_${++messageCount}`,
    now,
  };

  function issueToken(body: Record<string, unknown>): FeishuAnswer {
    const secret = apps.get(String(body.app_id));
    if (secret === undefined) return failure(FEISHU_ERRORS.appIdUnknown);
    if (secret !== body.app_secret) return failure(FEISHU_ERRORS.appSecretInvalid);
    const token = `t-fake-${randomBytes(12).toString("hex")}`;
    tokens.set(token, { appId: String(body.app_id), expiresAt: now() + ttlSeconds * 1000 });
    // Feishu's auth endpoints put the token beside code and msg, not under data.
    return { status: 200, body: { code: 0, msg: "ok", tenant_access_token: token, expire: ttlSeconds } };
  }

  /** The app a request acts for, or the error Feishu answers a missing or dead token with. */
  function authorize(headers: IncomingHttpHeaders): string | FeishuAnswer {
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? "")?.[1];
    if (bearer === undefined) return failure(FEISHU_ERRORS.missingToken);
    const token = tokens.get(bearer);
    if (!token || token.expiresAt <= now()) return failure(FEISHU_ERRORS.invalidToken);
    return token.appId;
  }

  function answer(
    method: string,
    url: URL,
    headers: IncomingHttpHeaders,
    body: Record<string, unknown>,
  ): FeishuAnswer & { hung?: Hang["hang"] } {
    const failing = planned.find((p) => p.left > 0 && url.pathname.startsWith(p.pathPrefix));
    if (failing) failing.left -= 1;
    const fault = failing?.failure ?? chaos.find((c) => url.pathname.startsWith(c.pathPrefix))?.pick();
    if (fault && "hang" in fault) {
      const acted = fault.hang === "processed" ? answerNormally(method, url, headers, body) : undefined;
      return { status: 0, body: acted?.body ?? null, hung: fault.hang };
    }
    if (fault) return answerForFailure(fault);
    return answerNormally(method, url, headers, body);
  }

  function answerNormally(
    method: string,
    url: URL,
    headers: IncomingHttpHeaders,
    body: Record<string, unknown>,
  ) {
    if (method === "POST" && url.pathname === TOKEN_PATH) return issueToken(body);
    const appId = authorize(headers);
    if (typeof appId !== "string") return appId;
    const throttled = limits.judge(method, url, body, appId, now());
    if (throttled) return throttled;
    const inChat = IS_IN_CHAT_PATH.exec(url.pathname);
    if (method === "GET" && inChat)
      return success({ is_in_chat: botChats.has(decodeURIComponent(inChat[1]!)) });
    const request = { method, pathname: url.pathname, query: url.searchParams, body, appId };
    return (
      answerMessages(request, store) ??
      answerImages(request, images) ??
      answerDirectory(request, directory) ?? { status: 404, body: "404 page not found" }
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const body = isMultipart(req) ? await readForm(req) : await readJson(req);
    const answered =
      body === undefined
        ? failure(FEISHU_ERRORS.fieldValidation, "body is not JSON")
        : answer(method, url, req.headers, body);
    const content = parseContent(body?.content);
    const isCard = method === "PATCH" || body?.msg_type === "interactive";
    calls.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: body ?? {},
      content,
      card: isCard ? content : undefined,
      status: answered.status,
      answer: answered.body,
    });
    // A hung call is never answered; the client's timeout or close() ends it.
    if ("hung" in answered) return;
    const text = typeof answered.body === "string" ? answered.body : JSON.stringify(answered.body);
    const type = typeof answered.body === "string" ? "text/plain" : "application/json; charset=utf-8";
    res.writeHead(answered.status, { "content-type": type, ...answered.headers });
    res.end(text);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`fake Feishu failed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    domain: `http://127.0.0.1:${port}`,
    calls,
    callsTo: (route, method) =>
      calls.filter(
        (call) => routeMatches(route, call.path) && (method === undefined || call.method === method),
      ),
    messages: store.messages,
    images,
    newApp() {
      const app = { appId: `cli_fake${++appsMinted}_${randomBytes(4).toString("hex")}`, appSecret: "s3cret" };
      apps.set(app.appId, app.appSecret);
      return app;
    },
    failNext(pathPrefix, failure, times = 1) {
      planned.push({ pathPrefix, failure, left: times });
    },
    failSome(pathPrefix, share, faults, seed) {
      chaos.push({ pathPrefix, pick: seededPicks(share, faults, seed) });
    },
    limitCounts: () => limits.counts(),
    directory,
    revokeTokens: () => tokens.clear(),
    addBotToChat: (chatId) => void botChats.add(chatId),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK's axios keeps connections alive; without this close() waits for them to idle out.
        server.closeAllConnections();
      }),
  };
}

/** The body as a JSON object; {} when empty, undefined when it is not a JSON object. */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const text = await readText(req);
  if (text.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function routeMatches(route: string, path: string): boolean {
  const want = route.split("/");
  const got = path.split("/");
  return want.length === got.length && want.every((part, i) => part.startsWith(":") || part === got[i]);
}
