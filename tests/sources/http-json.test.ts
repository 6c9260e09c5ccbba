import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SourceRejected, SourceUnavailable } from "../../src/sources/errors.ts";
import { fetchHttpSource, type HttpSourceOptions } from "../../src/sources/http-json.ts";

/** A real data service on loopback; each test says how it answers. */
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler;
let server: Server;
let base: string;
const seen: { url: string; authorization: string | undefined }[] = [];

const TOKEN = "s3cr3t-T0KEN-abcdef123456";
const auth = { Authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", authorization: req.headers.authorization });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
});

function answer(status: number, body: unknown, headers: Record<string, string> = {}): void {
  handler = (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
}

const pull = (extra: Partial<HttpSourceOptions> = {}) =>
  fetchHttpSource({ url: `${base}/stats/{date}?key=${TOKEN}`, day: "2026-11-11", headers: auth, ...extra });

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(String((error as Error).message)).not.toContain(TOKEN);
    expect(String((error as Error).message)).not.toContain("s3cr3t");
    return error as Error;
  }
  throw new Error("the pull succeeded");
}

const goodBody = {
  day: "2026-11-11",
  records: [
    {
      shop: "flagship",
      agent: "旗舰店:小张",
      values: {
        conversion_rate: { num: 36, den: 200 },
        首次响应时间: "25s",
        reply_rate: 0.985,
        csat_rate: "93%",
        receptions: 180,
        sales_amount: "¥12,800",
      },
      pending: ["询单转化率"],
    },
    { agent: "旗舰店:小李", day: "2026-11-10", values: { long_wait_count: 2 } },
  ],
  facts: [
    {
      kind: "bad_review",
      agent: "旗舰店:小张",
      at: "2026-11-11T10:00:00+08:00",
      ref: "3100000000001",
      detail: { order: "3100000000001", text: "色差太大", followUpBy: "2026-11-12T10:00:00+08:00" },
    },
  ],
};

describe("the HTTP JSON source", () => {
  it("reads a good body into records and facts, substituting {date} and sending the token", async () => {
    answer(200, goodBody);
    const batch = await pull();
    expect(seen).toEqual([{ url: `/stats/2026-11-11?key=${TOKEN}`, authorization: `Bearer ${TOKEN}` }]);
    expect(batch.source).toBe("http");
    expect(batch.problems).toEqual([]);
    expect(batch.records).toEqual([
      {
        line: 0,
        shop: "flagship",
        agent: "旗舰店:小张",
        day: "2026-11-11",
        values: {
          conversion_rate: { num: 36, den: 200 },
          first_response_time: { num: 25, den: 1, finished: true },
          reply_rate: { num: 0.985, den: 1, finished: true },
          csat_rate: { num: 0.93, den: 1, finished: true },
          receptions: { num: 180, den: 1 },
          sales_amount: { num: 12_800, den: 1 },
        },
        pending: ["conversion_rate"],
      },
      {
        line: 0,
        agent: "旗舰店:小李",
        day: "2026-11-10",
        values: { long_wait_count: { num: 2, den: 1 } },
        pending: [],
      },
    ]);
    expect(batch.facts).toEqual([
      {
        kind: "bad_review",
        agent: "旗舰店:小张",
        day: "2026-11-11",
        at: "2026-11-11T10:00:00+08:00",
        ref: "3100000000001",
        detail: { order: "3100000000001", text: "色差太大", followUpBy: "2026-11-12T10:00:00+08:00" },
      },
    ]);
  });

  it("reads the example body of docs/http-source.md", async () => {
    const doc = readFileSync(join(import.meta.dirname, "../../docs/http-source.md"), "utf8");
    answer(200, /```json\n([\s\S]*?)```/.exec(doc)![1]!);
    const batch = await pull();
    expect(batch.problems).toEqual([]);
    expect(Object.keys(batch.records[0]!.values)).toHaveLength(6);
    expect(batch.records[0]!.values.csat_rate).toEqual({ num: 0.93, den: 1, finished: true });
    expect(batch.facts[0]).toMatchObject({ kind: "bad_review", day: "2026-11-11" });
  });

  it("reports an unknown metric as a problem with its path and keeps the rest", async () => {
    answer(200, { records: [{ agent: "小张", values: { reply_rate: "99%", 好评返现率: "5%" } }] });
    const batch = await pull();
    expect(batch.records[0]!.values).toEqual({ reply_rate: { num: 0.99, den: 1, finished: true } });
    expect(batch.problems).toEqual([
      { line: 0, column: "records[0].values.好评返现率", reason: '"好评返现率" is not a known metric' },
    ]);
  });

  it("treats 429 with Retry-After: 7 as unavailable for 7000 ms", async () => {
    answer(429, { error: "slow down" }, { "retry-after": "7" });
    const error = await failureOf(pull());
    expect(error).toBeInstanceOf(SourceUnavailable);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 7000 });
  });

  it("reads a Retry-After HTTP date against the clock given", async () => {
    answer(503, "", { "retry-after": "Wed, 11 Nov 2026 02:00:30 GMT" });
    const error = await failureOf(pull({ now: () => Date.parse("2026-11-11T02:00:00Z") }));
    expect(error).toMatchObject({ name: "SourceUnavailable", status: 503, retryAfterMs: 30_000 });
  });

  it("treats a server error as unavailable, even one that echoes the token back", async () => {
    answer(500, `internal error while handling Authorization: Bearer ${TOKEN}`);
    const error = await failureOf(pull());
    expect(error).toBeInstanceOf(SourceUnavailable);
    expect((error as SourceUnavailable).retryAfterMs).toBeUndefined();
    expect(error.message).toMatch(/HTTP 500/);
    expect(error.message).toContain(`${base}/stats/2026-11-11`);
  });

  it("treats a service that does not answer in time as unavailable", async () => {
    handler = () => {};
    const error = await failureOf(pull({ timeoutMs: 50 }));
    expect(error).toBeInstanceOf(SourceUnavailable);
    expect(error.message).toMatch(/no complete answer within 50 ms/);
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"records": [');
    };
    const stalled = await failureOf(pull({ timeoutMs: 50 }));
    expect(stalled).toBeInstanceOf(SourceUnavailable);
  });

  it("treats a refused connection as unavailable", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failureOf(pull({ url: `http://127.0.0.1:${port}/stats/{date}` }));
    expect(error).toBeInstanceOf(SourceUnavailable);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it("treats 404 and 401 as rejected", async () => {
    answer(404, { error: "no such day" });
    const notFound = await failureOf(pull());
    expect(notFound).toBeInstanceOf(SourceRejected);
    expect(notFound).toMatchObject({ status: 404 });
    expect(notFound.message).toMatch(/HTTP 404 Not Found: \{"error":"no such day"\}/);
    answer(401, `bad token ${TOKEN}`);
    expect(await failureOf(pull())).toMatchObject({ name: "SourceRejected", status: 401 });
  });

  it("rejects a body that is not JSON, saying so", async () => {
    answer(200, `{"records": [ ${TOKEN}`);
    const error = await failureOf(pull());
    expect(error).toBeInstanceOf(SourceRejected);
    expect(error.message).toMatch(
      /the body is not JSON: it is malformed \(content-type: application\/json\)/,
    );
    answer(200, "<html>502 Bad Gateway</html>");
    expect((await failureOf(pull())).message).toMatch(/the body is not JSON: it starts with "<"/);
  });

  it("rejects an invalid body, naming every path and reason", async () => {
    answer(200, {
      day: "2026-11-11",
      records: [
        { agent: "a", values: {} },
        { agent: "b", values: {} },
        { agent: "c", values: {} },
        { agent: "d", values: { reply_rate: "abc", 首次响应时间: "fast", csat_rate: 93, receptions: -1 } },
        { values: {} },
        { agent: "a", values: {}, pendng: [] },
        { agent: "a", values: { conversion_rate: { num: 3 } } },
      ],
      facts: [{ kind: "praise", agent: "a", at: "yesterday", ref: "x" }],
    });
    const error = await failureOf(pull());
    expect(error).toBeInstanceOf(SourceRejected);
    const paths = (error as SourceRejected).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(["records[4].agent", "records[5]", "facts[0].kind", "facts[0].at"]),
    );
    answer(200, {
      records: [
        { agent: "a", values: {} },
        { agent: "b", values: {} },
        { agent: "c", values: {} },
        { agent: "d", values: { reply_rate: "abc", 首次响应时间: "fast", csat_rate: 93, receptions: -1 } },
        { agent: "e", values: { conversion_rate: { num: 3 }, reply_rate: { num: 5, den: 4 } } },
        { agent: "a", values: {} },
      ],
    });
    const invalid = await failureOf(pull());
    expect(invalid.message.split("\n").slice(1)).toEqual([
      '  records[3].values.reply_rate: "abc" is not a percentage',
      '  records[3].values.首次响应时间: "fast" is not a duration',
      '  records[3].values.csat_rate: 93 is more than 1: write a fraction (0.85) or a percentage ("85%")',
      "  records[3].values.receptions: cannot be negative",
      '  records[4].values.conversion_rate: write {"num": …, "den": …} with a non-negative den',
      "  records[4].values.reply_rate: num 5 is more than den 4",
      "  records[5]: a second record for a on 2026-11-11 (see records[0])",
    ]);
  });

  it("rejects a body for another day than the one asked for", async () => {
    answer(200, { day: "2026-11-10", records: [] });
    const error = await failureOf(pull());
    expect(error).toBeInstanceOf(SourceRejected);
    expect(error.message).toMatch(/day: the body is for 2026-11-10, not the day asked for, 2026-11-11/);
  });

  it("refuses a bad URL, day or header before any request, without quoting the header", async () => {
    await expect(pull({ url: "not a url" })).rejects.toThrow(/url: is not a valid URL/);
    await expect(pull({ day: "2026-11-31" })).rejects.toThrow(/day: "2026-11-31" is not a day/);
    const error = await failureOf(pull({ headers: { Authorization: `Bearer ${TOKEN}\r\nX-Evil: 1` } }));
    expect(error.message).toMatch(/headers.Authorization: is not a valid header/);
    expect(seen).toEqual([]);
  });
});
