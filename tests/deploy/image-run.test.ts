import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { openStore, rowsOf, type Store } from "../../src/store/database.ts";
import { freshPostgresDatabase } from "../support/stores.ts";
import { interpolate, PROJECT_ROOT } from "./deploy-files.ts";
import { freePort, type ImageLayout, imageLayout, runInLayout, runToEnd } from "./image-layout.ts";

/**
 * The image's entrypoint, health command and environment, run for real on the image's files
 * (tests/deploy/image-layout.ts) without Docker, which cannot run here: the bot as compose.yaml
 * starts it on PostgreSQL, and as `docker run` starts it on the embedded PGlite; each is asked
 * for its health as the HEALTHCHECK asks, stopped with SIGTERM as `docker stop` stops it, and
 * asked again once down. Two things differ from a container, each said where it is done: the
 * port (a free one, not 3000) and compose's `db` host (the test server instead).
 */

/** The demo shop over a week: enough for digests and nudges, quick to load. */
const CONFIG = `
sources:
  - { id: demo, kind: demo, days: 7 }
schedules:
  - { id: daily-pull, cron: "0 9 * * *", timeZone: Asia/Shanghai }
`;

const PASSWORD = "0123abcd";

/** The bot service's environment as compose gives it: env_file (.env), then `environment`. */
function composeBotEnv(): Record<string, string> {
  const dotEnv = readFileSync(`${PROJECT_ROOT}.env.example`, "utf8").replace(
    /^POSTGRES_PASSWORD=$/m,
    `POSTGRES_PASSWORD=${PASSWORD}`,
  );
  const fromFile = Object.fromEntries(
    dotEnv
      .split("\n")
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  const compose = parse(
    interpolate(readFileSync(`${PROJECT_ROOT}compose.yaml`, "utf8"), { POSTGRES_PASSWORD: PASSWORD }),
  ) as { services: { bot: { environment: Record<string, string> } } };
  const environment = compose.services.bot.environment;
  return {
    ...layout.env,
    ...fromFile,
    ...environment,
    // The mounted configuration's place here.
    KPI_CONFIG: layout.path(environment.KPI_CONFIG!),
  };
}

async function claimsAndSends(store: Store) {
  const [row] = rowsOf<{ running: number; sending: number; cards: number }>(
    await store.db.execute(sql`SELECT
      (SELECT count(*)::int FROM job_slots WHERE status = 'running') AS running,
      (SELECT count(*)::int FROM outbox WHERE status = 'sending') AS sending,
      (SELECT count(*)::int FROM scorecards) AS cards`),
  );
  return { running: Number(row?.running), sending: Number(row?.sending), cards: Number(row?.cards) };
}

/** One copy of the image's files for the file's tests, which run one after the other. */
let layout: ImageLayout;
beforeAll(() => {
  layout = imageLayout();
  const config = layout.path("/config/kpi.config.yaml");
  mkdirSync(dirname(config), { recursive: true });
  writeFileSync(config, CONFIG);
});
afterAll(() => layout.remove());

describe("the image's entrypoint, health check and SIGTERM, without Docker", () => {
  const cleanup: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it("runs as compose starts it: PostgreSQL, the mounted configuration, healthy, then down on SIGTERM", async () => {
    const database = await freshPostgresDatabase();
    cleanup.push(() => database.drop());
    const compose = composeBotEnv();
    expect(compose.DATABASE_URL).toBe(`postgres://kpi:${PASSWORD}@db:5432/kpi`);
    const port = await freePort();
    // compose's `db` is the test server here, and 3000 a free port.
    // English story lines, which the waits below read (the image's default is Chinese).
    const env: Record<string, string> = {
      ...compose,
      DATABASE_URL: database.url,
      KPI_PORT: String(port),
      KPI_LANG: "en",
    };

    const bot = runInLayout(layout, layout.command(), env);
    cleanup.push(async () => {
      bot.child.kill("SIGKILL");
      await bot.exited;
    });
    const printed = await bot.waitFor("scheduler running");
    expect(printed).toContain(`kpi-bot: database postgres (${new URL(database.url).host}`);
    expect(printed).toContain(`configuration ${env.KPI_CONFIG}`);
    expect(printed).toContain(`listening on http://0.0.0.0:${port} `);
    expect(printed).toMatch(/demo shop loaded: 28 agents, 7 days/);
    // PostgreSQL holds everything: the image's /data stays empty.
    expect(readdirSync(layout.path("/data"))).toEqual([]);

    const healthy = await runToEnd(layout, layout.healthCommand, env);
    expect(healthy).toEqual({ code: 0, output: "healthy: 200 (database: ok)\n" });

    bot.child.kill("SIGTERM");
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain("kpi-bot: stopping (finishing the jobs and sends under way)");
    const store = await openStore({ databaseUrl: database.url, migrate: false });
    try {
      const state = await claimsAndSends(store);
      expect(state).toEqual({ running: 0, sending: 0, cards: expect.any(Number) });
      expect(state.cards).toBeGreaterThan(0);
    } finally {
      await store.close();
    }

    const down = await runToEnd(layout, layout.healthCommand, env);
    expect(down.code).toBe(1);
    expect(down.output).toMatch(
      /^unhealthy: http:\/\/127\.0\.0\.1:\d+\/healthz did not answer \(ECONNREFUSED\)/,
    );
  }, 180_000);

  it("runs as `docker run -v kpi-data:/data` starts it: PGlite in /data; SIGTERM mid-start closes it cleanly", async () => {
    const port = await freePort();
    // docker run -e KPI_CONFIG=/config/kpi.config.yaml -v ./config:/config:ro -v kpi-data:/data
    const env = {
      ...layout.env,
      KPI_CONFIG: layout.path("/config/kpi.config.yaml"),
      KPI_PORT: String(port),
      KPI_LANG: "en",
    };
    const bot = runInLayout(layout, layout.command(), env);
    cleanup.push(async () => {
      bot.child.kill("SIGKILL");
      await bot.exited;
    });
    // Stopped as soon as it listens: the catch-up and the first digests may still be under way.
    const printed = await bot.waitFor("chat: console; listening on");
    expect(printed).toContain(`kpi-bot: database pglite (${layout.path("/data")})`);
    const healthy = await runToEnd(layout, layout.healthCommand, env);
    expect(healthy.code).toBe(0);
    bot.child.kill("SIGTERM");
    expect(await bot.exited).toBe(0);

    // The lock is given back and nothing was left half done: the directory opens at once.
    expect(readdirSync(layout.path("/data"))).not.toContain("kpi-bot.lock");
    const store = await openStore({ dataDir: layout.path("/data"), migrate: false });
    try {
      expect(await claimsAndSends(store)).toMatchObject({ running: 0, sending: 0 });
    } finally {
      await store.close();
    }
    expect((await runToEnd(layout, layout.healthCommand, env)).code).toBe(1);
  }, 180_000);
});

describe("the health command", () => {
  it("calls a bot that answers 503 unhealthy, naming the failing check", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "failing", checks: { database: "connection refused", slack: "ok" } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const answer = await runToEnd(layout, layout.healthCommand, { ...layout.env, KPI_PORT: String(port) });
      expect(answer).toEqual({
        code: 1,
        output: "unhealthy: 503 (database: connection refused, slack: ok)\n",
      });
    } finally {
      server.close();
    }
  });

  it("refuses a port it cannot check, saying which", async () => {
    const answer = await runToEnd(layout, layout.healthCommand, { ...layout.env, KPI_PORT: "0" });
    expect(answer).toEqual({ code: 1, output: "unhealthy: KPI_PORT must be a port from 1 to 65535\n" });
  });
});
