import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type PullReport, pull } from "../../src/bot/pull.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { type LoadedConfig, parseConfig } from "../../src/config.ts";
import { agentDaysBetween } from "../../src/store/agent-day-repo.ts";
import type { Store } from "../../src/store/database.ts";
import { facts } from "../../src/store/schema.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/** The daily pull over a file source and an HTTP source, as a schedule runs it. */

const dir = mkdtempSync(join(tmpdir(), "kpi-pull-"));
copyFileSync(
  join(import.meta.dirname, "../fixtures/exports/chitu-gbk.csv"),
  join(dir, "chitu-2026-11-22.csv"),
);

let server: Server;
let seen: { url: string; authorization: string | undefined }[] = [];
/** Answers the next requests with these statuses before answering properly. */
let failures: number[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", authorization: req.headers.authorization });
    const status = failures.shift();
    if (status !== undefined) {
      if (status === 429) res.setHeader("retry-after", "7");
      res.statusCode = status;
      res.end("busy");
      return;
    }
    const day = /\/kpi\/(\d{4}-\d{2}-\d{2})/.exec(req.url ?? "")?.[1];
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        day,
        records: [{ agent: "小张", values: { reply_rate: { num: 99, den: 100 }, receptions: 100 } }],
        facts: [
          {
            kind: "bad_review",
            agent: "小张",
            at: `${day}T10:00:00+08:00`,
            ref: "3100000000001",
            detail: { order: "3100000000001", text: "色差太大", followUpBy: `${day}T10:00:00+08:00` },
          },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function configText(port: number) {
  return `
shops: [{ id: flagship, name: 赤兔名品旗舰店, platform: taobao }]
teams: [{ id: t1, shop: flagship, name: 售前组 }]
agents:
${["张", "李", "王", "赵", "陈"].map((n, i) => `  - { id: a${i}, name: 小${n}, role: presales, team: t1, accounts: [{ shop: flagship, account: 小${n} }] }`).join("\n")}
sources:
  - { id: chitu-daily, kind: chitu, shop: flagship, path: "chitu-{date}.csv" }
  - { id: stats, kind: http, shop: flagship, url: "http://127.0.0.1:${port}/kpi/{date}", headersFromEnv: { Authorization: TEST_STATS_TOKEN } }
`;
}

const NOW = new Date("2026-11-23T01:00:00Z");
const summary = (reports: PullReport[]) =>
  reports.map((r) =>
    r.status === "failed" ? [r.source, r.day, r.status, r.error.message] : [r.source, r.day, r.status],
  );

describe.each(STORE_KINDS)("the daily pull on %s", (kind) => {
  let store: Store;
  let loaded: LoadedConfig;
  beforeEach(async () => {
    store = await openTestStore(kind);
    loaded = {
      config: parseConfig(configText((server.address() as AddressInfo).port), "test"),
      origin: "test",
      baseDir: dir,
    };
    await syncConfig(store.db, loaded, NOW);
    seen = [];
    failures = [];
    waits = [];
  });
  afterEach(() => store.close());

  let waits: number[] = [];
  const request = {
    runDay: "2026-11-23",
    actor: "schedule",
    now: NOW,
    env: { TEST_STATS_TOKEN: "Bearer s3cret" },
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };

  it("waits as a rate-limited source asks, backs off after a 500, and gets the day", async () => {
    failures = [429, 500];
    const reports = await pull(store.db, loaded, { ...request, sourceIds: ["stats"] });
    expect(summary(reports)).toEqual([["stats", "2026-11-22", "done"]]);
    expect(waits).toEqual([7000, 4000]);
    expect(seen).toHaveLength(3);
  });

  it("gives up after four attempts and reports the source unavailable, without the token", async () => {
    failures = [503, 503, 503, 503];
    const reports = await pull(store.db, loaded, { ...request, sourceIds: ["stats"] });
    expect(reports[0]?.status).toBe("failed");
    const message = reports[0]?.status === "failed" ? reports[0].error.message : "";
    expect(message).toMatch(/503/);
    expect(message).not.toContain("s3cret");
    expect(seen).toHaveLength(4);
    expect(await agentDaysBetween(store.db, "2026-11-22", "2026-11-22")).toEqual([]);
  });

  it("pulls yesterday from every source, once", async () => {
    const first = await pull(store.db, loaded, request);
    expect(summary(first)).toEqual([
      ["chitu-daily", "2026-11-22", "done"],
      ["stats", "2026-11-22", "done"],
    ]);
    expect(seen).toEqual([{ url: "/kpi/2026-11-22", authorization: "Bearer s3cret" }]);
    const days = await agentDaysBetween(store.db, "2026-11-22", "2026-11-22");
    expect(days).toHaveLength(5);
    // The export's and the service's figures for 小张 merge; the later import wins where both give one.
    expect(days.find((d) => d.agentId === "a0")?.values.reply_rate).toEqual({ num: 99, den: 100 });
    expect(await store.db.select().from(facts)).toHaveLength(1);
    const again = await pull(store.db, loaded, request);
    expect(summary(again)).toEqual([
      ["chitu-daily", "2026-11-22", "unchanged"],
      ["stats", "2026-11-22", "unchanged"],
    ]);
  });

  it("reports a missing export and goes on with the other sources", async () => {
    const reports = await pull(store.db, loaded, { ...request, figuresDay: "2026-11-21" });
    expect(summary(reports)).toEqual([
      ["chitu-daily", "2026-11-21", "failed", expect.stringMatching(/chitu-2026-11-21\.csv" does not exist/)],
      ["stats", "2026-11-21", "done"],
    ]);
  });

  it("names the missing environment variable of a token, never a value", async () => {
    const reports = await pull(store.db, loaded, { ...request, env: {}, sourceIds: ["stats"] });
    expect(summary(reports)).toEqual([
      [
        "stats",
        "2026-11-22",
        "failed",
        "TEST_STATS_TOKEN: is not set: the Authorization header of this source comes from it",
      ],
    ]);
    expect(seen).toEqual([]);
  });
});
