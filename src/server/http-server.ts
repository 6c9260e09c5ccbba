import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Log } from "../log.ts";
import type { BotMetrics } from "./metrics.ts";

/**
 * The bot's one HTTP port: every platform's webhook routes, /healthz and /metrics. Routes read
 * their own bodies (each SDK wants the raw bytes for its signature check).
 */

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface Route {
  method: "GET" | "POST";
  path: string;
  handle: RouteHandler;
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
}

export interface RunningServer {
  /** http://host:port */
  url: string;
  /** The webhook paths mounted, e.g. "POST /slack/events". */
  routes: string[];
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const routes = new Map<string, RouteHandler>(
    options.routes.map((r) => [`${r.method} ${r.path}`, r.handle]),
  );
  routes.set("GET /healthz", (_req, res) => healthz(options.health, res));
  routes.set("GET /metrics", async (_req, res) => {
    res.writeHead(200, { "content-type": options.metrics.registry.contentType });
    res.end(await options.metrics.registry.metrics());
  });
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const handle = routes.get(`${req.method} ${path}`);
    if (!handle) {
      const known = [...routes.keys()].some((key) => key.endsWith(` ${path}`));
      send(res, known ? 405 : 404, { error: known ? "method not allowed" : "not found" });
      return;
    }
    handle(req, res).catch((error: unknown) => {
      // No request body or header in the log: they may carry tokens.
      options.log.error({ err: error, path }, "request failed");
      if (!res.headersSent) send(res, 500, { error: "internal error" });
      else res.end();
    });
  });
  // Keep-alive longer than the load balancers' (60 s), so they never reuse a closed socket.
  server.keepAliveTimeout = 65_000;
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

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
