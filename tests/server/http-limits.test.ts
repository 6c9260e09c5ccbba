import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { silentLog } from "../../src/log.ts";
import { type RunningServer, type ServerLimits, startHttpServer } from "../../src/server/http-server.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import { MAX_BODY_BYTES } from "../../src/server/read-body.ts";
import { inboundOutcomes } from "../support/metric-counts.ts";
import { flood } from "./flood-client.ts";

/**
 * The server reads every body itself, no further than the route's limit, and gives up on clients
 * that dribble: what a flood of unsigned megabytes or a slow-loris client meets before any route.
 */

const FLOOD_BYTES = 256 * 1024 * 1024;

describe("the bot's HTTP server, against big bodies and slow clients", () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const start = async (limits: Partial<ServerLimits> = {}) => {
    const metrics = createMetrics();
    const bodies: Buffer[] = [];
    server = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      metrics,
      log: silentLog,
      health: {},
      limits,
      routes: [
        {
          method: "POST",
          path: "/hook",
          platform: "slack",
          handle: async (_req, res, body) => {
            bodies.push(body);
            res.end(`got ${body.length}`);
          },
        },
        {
          method: "POST",
          path: "/tiny",
          maxBodyBytes: 8,
          handle: async (_req, res, body) => void res.end(body),
        },
      ],
    });
    return { url: server.url, metrics, bodies };
  };

  it("hands a route the exact bytes of a body up to its limit, and refuses one byte more with 413", async () => {
    const { url, bodies } = await start();
    const text = "小张 94.6 → B";
    expect(await (await fetch(`${url}/hook`, { method: "POST", body: text })).text()).toBe(
      `got ${Buffer.byteLength(text)}`,
    );
    expect(bodies[0]?.toString("utf8")).toBe(text);
    const full = await fetch(`${url}/hook`, { method: "POST", body: Buffer.alloc(MAX_BODY_BYTES, "a") });
    expect(await full.text()).toBe(`got ${MAX_BODY_BYTES}`);
    expect((await fetch(`${url}/tiny`, { method: "POST", body: "12345678" })).status).toBe(200);
    const over = await fetch(`${url}/tiny`, { method: "POST", body: "123456789" });
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({ error: "request body too large" });
  });

  it("refuses a declared 256 MB before reading a byte, never inviting it with 100 Continue", async () => {
    const { url, bodies, metrics } = await start();
    const answer = await flood(url, {
      path: "/hook",
      totalBytes: FLOOD_BYTES,
      declareLength: true,
      expectContinue: true,
    });
    expect(answer).toMatchObject({ status: 413, continued: false, bodyBytesSent: 0 });
    expect(bodies).toEqual([]);
    expect(await inboundOutcomes(metrics)).toEqual({ too_large: 1 });
  });

  it("says 100 Continue to a body within the limit and reads it", async () => {
    const { url, bodies } = await start();
    const answer = await flood(url, {
      path: "/hook",
      totalBytes: 1000,
      declareLength: true,
      expectContinue: true,
    });
    expect(answer).toMatchObject({ status: 200, continued: true, bodyBytesSent: 1000, cutOff: false });
    expect(bodies.map((b) => b.length)).toEqual([1000]);
  });

  it("cuts a chunked 256 MB body off at the limit: 413, then the connection closed under the client", async () => {
    const { url, bodies, metrics } = await start();
    for (const declareLength of [true, false]) {
      const answer = await flood(url, { path: "/hook", totalBytes: FLOOD_BYTES, declareLength });
      expect(answer.status).toBe(413);
      expect(answer.cutOff).toBe(true);
      // What the kernel's socket buffers took before the close, not the 256 MB.
      expect(answer.bodyBytesSent).toBeLessThan(64 * 1024 * 1024);
    }
    expect(bodies).toEqual([]);
    expect(await inboundOutcomes(metrics)).toEqual({ too_large: 2 });
  });

  it("answers a body posted to an unknown path with 404 and hangs up rather than read it", async () => {
    const { url } = await start();
    const answer = await flood(url, { path: "/nowhere", totalBytes: FLOOD_BYTES, declareLength: false });
    expect(answer.status).toBe(404);
    expect(answer.cutOff).toBe(true);
  });

  it("answers 408 to headers dribbled past the headers time-out", async () => {
    const { url } = await start({
      headersTimeout: 300,
      requestTimeout: 2000,
      connectionsCheckingInterval: 50,
    });
    const socket = connect(Number(new URL(url).port), "127.0.0.1");
    socket.write("POST /hook HTTP/1.1\r\nHost: bot\r\n");
    const dribble = setInterval(() => socket.write("X-Slow: 1\r\n"), 50);
    const startedAt = performance.now();
    const answer = await new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (d) => {
        text += d;
      });
      socket.on("error", () => {});
      socket.on("close", () => resolve(text));
    });
    clearInterval(dribble);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(performance.now() - startedAt).toBeLessThan(2000);
  });

  it("answers 408 to a body dribbled past the request time-out, and the route never sees it", async () => {
    const { url, bodies } = await start({
      headersTimeout: 200,
      requestTimeout: 400,
      connectionsCheckingInterval: 50,
    });
    const socket = connect(Number(new URL(url).port), "127.0.0.1");
    socket.write("POST /hook HTTP/1.1\r\nHost: bot\r\nContent-Length: 100\r\n\r\n");
    const dribble = setInterval(() => socket.write("x"), 20);
    const answer = await new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (d) => {
        text += d;
      });
      socket.on("error", () => {});
      socket.on("close", () => resolve(text));
    });
    clearInterval(dribble);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodies).toEqual([]);
  });

  it("keeps an idle keep-alive connection open past the headers time-out (it runs from a request's first byte)", async () => {
    const { url } = await start({
      headersTimeout: 200,
      requestTimeout: 400,
      connectionsCheckingInterval: 50,
    });
    const socket = connect(Number(new URL(url).port), "127.0.0.1");
    let text = "";
    socket.on("data", (d) => {
      text += d;
    });
    const get = "GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n";
    socket.write(get);
    await new Promise((resolve) => setTimeout(resolve, 600));
    socket.write(get);
    await expect.poll(() => text.match(/HTTP\/1\.1 200 /g)?.length).toBe(2);
    expect(socket.destroyed).toBe(false);
    socket.destroy();
  });
});
