import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Log } from "../log.ts";
import type { BotMetrics, InboundOutcome } from "./metrics.ts";
import { MAX_BODY_BYTES, readBody } from "./read-body.ts";

/**
 * The bot's one HTTP port: every platform's webhook routes, /healthz and /metrics. The server
 * reads every body itself, up to the route's limit, before the route sees it: an unsigned 256 MB
 * POST is refused with 413 after a megabyte at most (or before a byte, when its length is
 * declared), and the socket is closed so the client stops sending.
 */

/** `body` is the raw request body (signatures are over these exact bytes); empty for a GET. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void>;

export interface Route {
  method: "GET" | "POST";
  path: string;
  handle: RouteHandler;
  /** The largest body taken: MAX_BODY_BYTES for a POST unless set, none for a GET. */
  maxBodyBytes?: number;
  /** The platform whose requests these are: what a body refused as too large is counted under. */
  platform?: string;
}

/** Each check: true when fine, or a short text saying what is wrong. */
export type HealthChecks = Record<string, () => Promise<true | string>>;

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  routes: Route[];
  metrics: BotMetrics;
  health: HealthChecks;
  log: Log;
  /** Shorter time-outs for tests; SERVER_LIMITS otherwise. */
  limits?: Partial<ServerLimits>;
}

export interface RunningServer {
  /** http://host:port */
  url: string;
  /** The webhook paths mounted, e.g. "POST /slack/events". */
  routes: string[];
  close(): Promise<void>;
}

/**
 * How long a client may take. Slack, Feishu and DingTalk send a request's headers in one go and
 * want the answer within 3 s, so a request still arriving after 30 s is of no use to anyone; Node's
 * defaults (60 s for headers, 5 min for a request) let a client dribbling bytes hold a socket. Node
 * checks both only every `connectionsCheckingInterval` (30 s by default, which would turn 10 s
 * into up to 40). An idle keep-alive socket is not judged by the headers timeout (since Node 18 it
 * starts with a request's first byte), so 10 s sits consistently under the 65 s keep-alive, which
 * is longer than the load balancers' 60 s so they never reuse a socket we closed. Headers: Node's
 * 16 KiB (431 beyond), stated rather than inherited.
 */
export interface ServerLimits {
  headersTimeout: number;
  requestTimeout: number;
  connectionsCheckingInterval: number;
  keepAliveTimeout: number;
  maxHeaderSize: number;
}

export const SERVER_LIMITS: Readonly<ServerLimits> = Object.freeze({
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  connectionsCheckingInterval: 1_000,
  keepAliveTimeout: 65_000,
  maxHeaderSize: 16 * 1024,
});

/** Between refusing a body still being sent and closing its socket: time to read the answer. */
const HANG_UP_AFTER_MS = 1_000;

export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const routes = new Map<string, Route>(options.routes.map((r) => [`${r.method} ${r.path}`, r]));
  const own: Route[] = [
    { method: "GET", path: "/healthz", handle: (_req, res) => healthz(options.health, res) },
    {
      method: "GET",
      path: "/metrics",
      handle: async (_req, res) => {
        res.writeHead(200, { "content-type": options.metrics.registry.contentType });
        res.end(await options.metrics.registry.metrics());
      },
    },
  ];
  for (const route of own) routes.set(`${route.method} ${route.path}`, route);

  async function serve(req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    const route = routes.get(`${req.method} ${path}`);
    if (!route) {
      const known = [...routes.keys()].some((key) => key.endsWith(` ${path}`));
      return answer(req, res, known ? 405 : 404, { error: known ? "method not allowed" : "not found" });
    }
    const limit = route.maxBodyBytes ?? (route.method === "POST" ? MAX_BODY_BYTES : 0);
    const read = await readBody(req, limit, expectsContinue ? () => res.writeContinue() : undefined);
    if (read.kind === "gone") return;
    if (read.kind === "too_large") {
      const outcome: InboundOutcome = "too_large";
      if (route.platform) options.metrics.inbound.inc({ platform: route.platform, outcome });
      return answer(req, res, 413, { error: "request body too large" });
    }
    await route.handle(req, res, read.body);
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    serve(req, res, expectsContinue).catch((error: unknown) => {
      // No request body or header in the log: they may carry tokens.
      options.log.error({ err: error, path: (req.url ?? "/").split("?")[0] }, "request failed");
      if (!res.headersSent) send(res, 500, { error: "internal error" });
      else res.end();
    });
  };
  // Given to createServer, which refuses a headers timeout longer than the request timeout
  // (assigned to the server afterwards, Node would silently swap the two).
  const server = createServer({ ...SERVER_LIMITS, ...options.limits }, (req, res) =>
    onRequest(req, res, false),
  );
  // Without this listener Node sends "100 Continue" itself, inviting a body the limit then refuses.
  server.on("checkContinue", (req, res) => onRequest(req, res, true));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    routes: options.routes.map((r) => `${r.method} ${r.path}`),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

async function healthz(checks: HealthChecks, res: ServerResponse): Promise<void> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        return [name, await check()] as const;
      } catch (error) {
        return [name, error instanceof Error ? error.message : String(error)] as const;
      }
    }),
  );
  const ok = results.every(([, r]) => r === true);
  send(res, ok ? 200 : 503, {
    status: ok ? "ok" : "failing",
    checks: Object.fromEntries(results.map(([name, r]) => [name, r === true ? "ok" : r])),
  });
}

/**
 * An answer given without reading the body. When some is still coming, nothing more is read (TCP's
 * window closes and the client has to stop) and the whole answer goes out at once, marked
 * Connection: close; the response is ended, and with it the socket, only a moment later. Closed
 * at once over the unread bytes, the socket would be reset, and a client still sending would
 * lose the answer with it.
 */
function answer(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  if (!hasBodyLeft(req)) {
    send(res, status, body);
    return;
  }
  req.pause();
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    connection: "close",
  });
  res.write(text);
  const hangUp = setTimeout(() => res.end(), HANG_UP_AFTER_MS);
  res.once("close", () => clearTimeout(hangUp));
}

function hasBodyLeft(req: IncomingMessage): boolean {
  if (req.complete) return false;
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
