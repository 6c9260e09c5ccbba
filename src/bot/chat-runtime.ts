import { and, eq, inArray, sql } from "drizzle-orm";
import type { AdapterDeps, ChatAdapter } from "../chat/adapter.ts";
import type { ChatPlatform } from "../chat/caller.ts";
import { createConsoleAdapter } from "../chat/console/console-adapter.ts";
import type { Reply } from "../chat/reply.ts";
import type { Config } from "../config.ts";
import type { Log } from "../log.ts";
import { type RunningServer, startHttpServer } from "../server/http-server.ts";
import type { BotMetrics } from "../server/metrics.ts";
import { chatMemoryOf } from "../store/chat-memory.ts";
import type { Db } from "../store/database.ts";
import { forgetOldDeliveries } from "../store/inbound-delivery-repo.ts";
import { chatIdentities } from "../store/schema.ts";
import { chatHandlers } from "./chat-handlers.ts";
import { platformAdapters } from "./chat-platforms.ts";
import { gamingClick } from "./commands/alerts-command.ts";
import { appealClick } from "./commands/appeal-clicks.ts";
import type { ClickHandler, CommandDeps } from "./commands/command-deps.ts";
import { followUpClick } from "./commands/follow-up-done.ts";
import { linkClick } from "./commands/link-decision.ts";
import { qaClick } from "./commands/qa-command.ts";
import { rosterCache } from "./commands/roster-cache.ts";
import { schemeCache } from "./commands/scheme-cache.ts";
import { rateClick } from "./ratings/rate-command.ts";

/**
 * The chat side of the running bot: the configured platforms' adapters (the console when none),
 * the /kpi use-case behind them, and the one HTTP server for their webhooks, /healthz and /metrics.
 */

export interface ChatRuntimeOptions {
  config: Config;
  env: NodeJS.ProcessEnv;
  db: Db;
  log: Log;
  metrics: BotMetrics;
  now: () => Date;
  /** Where the console adapter prints. */
  write: (text: string) => void;
  clicks?: Readonly<Record<string, ClickHandler>>;
}

export interface ChatRuntime {
  adapters: ReadonlyMap<ChatPlatform, ChatAdapter>;
  server: RunningServer;
  /** A direct message to an agent, on the first configured platform they have an id on. */
  notify(agentId: string, reply: Reply): Promise<void>;
  stop(): Promise<void>;
}

const PRUNE_EVERY_MS = 3600_000;

/**
 * The configured platforms' adapters in the configuration's order (slack, feishu, dingtalk), or
 * the console when none is configured; not started (sending needs no inbound connection).
 */
export async function chatAdapters(
  options: Pick<ChatRuntimeOptions, "config" | "env" | "db" | "log" | "metrics" | "now" | "write">,
): Promise<Map<ChatPlatform, ChatAdapter>> {
  const { config, db, log, metrics, now } = options;
  const deps: AdapterDeps = { memory: chatMemoryOf(db), metrics, log, now };
  const adapters = new Map<ChatPlatform, ChatAdapter>(
    (await platformAdapters(config.chat, options.env, deps)).map((a) => [a.platform, a]),
  );
  if (adapters.size === 0) adapters.set("console", createConsoleAdapter(options.write));
  return adapters;
}

export async function startChat(options: ChatRuntimeOptions): Promise<ChatRuntime> {
  const { config, db, log, metrics, now } = options;
  const adapters = await chatAdapters(options);
  const roster = rosterCache(db);
  const notify = async (agentId: string, reply: Reply) => {
    const platforms = [...adapters.keys()];
    const ids = await db
      .select({ platform: chatIdentities.platform, userId: chatIdentities.userId })
      .from(chatIdentities)
      .where(and(eq(chatIdentities.agentId, agentId), inArray(chatIdentities.platform, platforms)));
    const target = platforms.flatMap((p) => ids.filter((i) => i.platform === p))[0];
    const adapter = target ? adapters.get(target.platform as ChatPlatform) : adapters.get("console");
    if (!adapter) return;
    await adapter.send({ kind: "user", userId: target?.userId ?? agentId }, reply);
  };
  const commandDeps: CommandDeps = {
    db,
    now,
    teams: new Map(config.teams.map((t) => [t.id, t])),
    admins: new Set(config.admins),
    defaultLang: "zh-CN",
    directory: roster.directory,
    schemesOn: schemeCache(db),
    rosterChanged: roster.invalidate,
    notify,
    platforms: [...adapters.keys()],
    appeals: config.appeals,
    qaRubric: config.qa.rubric,
  };
  const handlers = chatHandlers(
    commandDeps,
    metrics,
    options.clicks ?? {
      followup: followUpClick,
      link: linkClick,
      appeal: appealClick,
      gaming: gamingClick,
      rate: rateClick,
      qa: qaClick,
    },
    log,
  );
  const address = listenAddress(config, options.env);
  const server = await startHttpServer({
    ...address,
    routes: [...adapters.values()].flatMap((a) => a.routes),
    metrics,
    log,
    health: {
      database: async () => {
        await db.execute(sql`SELECT 1`);
        return true;
      },
      ...Object.fromEntries(
        [...adapters.values()].flatMap((a) => (a.health ? [[a.platform, a.health]] : [])),
      ),
    },
  });
  const started: ChatAdapter[] = [];
  try {
    for (const adapter of adapters.values()) {
      await adapter.start(handlers);
      started.push(adapter);
    }
  } catch (error) {
    await Promise.allSettled(started.map((a) => a.stop()));
    await server.close();
    throw error;
  }
  const prune = setInterval(() => {
    forgetOldDeliveries(db, now()).catch((error: unknown) =>
      log.warn({ err: error }, "pruning deliveries failed"),
    );
  }, PRUNE_EVERY_MS);
  prune.unref();
  return {
    adapters,
    server,
    notify,
    async stop() {
      clearInterval(prune);
      await Promise.allSettled([...adapters.values()].map((a) => a.stop()));
      await server.close();
    },
  };
}

/** KPI_HOST / KPI_PORT override the configuration (containers, tests with port 0). */
function listenAddress(config: Config, env: NodeJS.ProcessEnv): { host: string; port: number } {
  const port = env.KPI_PORT === undefined || env.KPI_PORT === "" ? undefined : Number(env.KPI_PORT);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535))
    throw new Error(`KPI_PORT must be a port number (0–65535), not "${env.KPI_PORT}"`);
  return {
    host: env.KPI_HOST || config.server?.host || "127.0.0.1",
    port: port ?? config.server?.port ?? 3000,
  };
}
