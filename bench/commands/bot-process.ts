/**
 * The bot under test, in a process of its own (as in production, where Slack is the load): our
 * HTTP server, the Slack adapter on Bolt and the /kpi use-case with its roster cache, on the
 * benchmark's PostgreSQL database. Prints one JSON line {"url": …} when it listens; its
 * /metrics (process CPU, event-loop lag, command times) is read by bench/commands/run.ts.
 *
 *   node --import tsx bench/commands/bot-process.ts   (env: DATABASE_URL, SLACK_API_URL,
 *                                                     SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, BENCH_CONFIG_FILE)
 */
import { readFile } from "node:fs/promises";
import { chatHandlers } from "../../src/bot/chat-handlers.ts";
import { rosterCache } from "../../src/bot/commands/roster-cache.ts";
import { schemeCache } from "../../src/bot/commands/scheme-cache.ts";
import { createSlackAdapter } from "../../src/chat/slack/slack-adapter.ts";
import { parseConfig } from "../../src/config.ts";
import { silentLog } from "../../src/log.ts";
import { startHttpServer } from "../../src/server/http-server.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import { chatMemoryOf } from "../../src/store/chat-memory.ts";
import { openStore } from "../../src/store/database.ts";

const env = process.env;
const store = await openStore({ databaseUrl: env.DATABASE_URL!, migrate: false });
const config = parseConfig(await readFile(env.BENCH_CONFIG_FILE!, "utf8"), "bench");
const metrics = createMetrics();
const adapter = createSlackAdapter(
  {
    mode: "http",
    apiUrl: env.SLACK_API_URL!,
    signingSecret: env.SLACK_SIGNING_SECRET!,
    botToken: env.SLACK_BOT_TOKEN!,
  },
  { memory: chatMemoryOf(store.db), metrics, log: silentLog, now: () => new Date() },
);
const server = await startHttpServer({
  host: "127.0.0.1",
  port: 0,
  routes: adapter.routes,
  metrics,
  health: {},
  log: silentLog,
});
const roster = rosterCache(store.db);
await adapter.start(
  chatHandlers(
    {
      db: store.db,
      now: () => new Date(),
      teams: new Map(config.teams.map((t) => [t.id, t])),
      admins: new Set(),
      defaultLang: "zh-CN",
      directory: roster.directory,
      schemesOn: schemeCache(store.db),
    },
    metrics,
  ),
);
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.once("SIGTERM", async () => {
  await adapter.stop();
  await server.close();
  await store.close();
  process.exit(0);
});
