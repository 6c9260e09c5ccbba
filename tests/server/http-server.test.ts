import { afterEach, describe, expect, it } from "vitest";
import { silentLog } from "../../src/log.ts";
import { type RunningServer, startHttpServer } from "../../src/server/http-server.ts";
import { createMetrics } from "../../src/server/metrics.ts";

describe("the bot's HTTP server", () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const start = async (health: Record<string, () => Promise<true | string>> = {}) => {
    const metrics = createMetrics();
    server = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      metrics,
      log: silentLog,
      health,
      routes: [
        {
          method: "POST",
          path: "/hook",
          handle: async (_req, res) => {
            metrics.inbound.inc({ platform: "slack", outcome: "handled" });
            res.end("done");
          },
        },
        {
          method: "POST",
          path: "/broken",
          handle: async () => {
            throw new Error("secret-token-xyz in a failure");
          },
        },
      ],
    });
    return server.url;
  };

  it("routes by method and path, and says 404 or 405 otherwise", async () => {
    const url = await start();
    expect(await (await fetch(`${url}/hook?x=1`, { method: "POST" })).text()).toBe("done");
    expect((await fetch(`${url}/hook`)).status).toBe(405);
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
  });

  it("answers a failing route with 500 and no detail of the failure", async () => {
    const url = await start();
    const res = await fetch(`${url}/broken`, { method: "POST" });
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain("secret-token");
  });

  it("reports health: 200 when every check passes, 503 naming the failing one", async () => {
    let dbUp = true;
    const url = await start({
      database: async () => (dbUp ? true : "connection refused"),
      dingtalk: async () => true,
    });
    const ok = await fetch(`${url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "ok", checks: { database: "ok", dingtalk: "ok" } });
    dbUp = false;
    const failing = await fetch(`${url}/healthz`);
    expect(failing.status).toBe(503);
    expect(await failing.json()).toMatchObject({
      status: "failing",
      checks: { database: "connection refused" },
    });
  });

  it("serves Prometheus metrics, counting what the routes record", async () => {
    const url = await start();
    await fetch(`${url}/hook`, { method: "POST" });
    await fetch(`${url}/hook`, { method: "POST" });
    const res = await fetch(`${url}/metrics`);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toContain('kpi_inbound_requests_total{platform="slack",outcome="handled"} 2');
    expect(text).toContain("process_cpu_user_seconds_total");
  });
});
