/**
 * One bot replica of the fan-out bench, in a process of its own: the delivery engine with the
 * real Slack, Feishu and DingTalk adapters pointed at the bench's fakes, on its PostgreSQL.
 * Driven by its parent (bench/fanout/run.ts) over IPC:
 *
 *   → { queue: { scale, via } }   queue the plan (delivery.queue, or addToOutbox + sweep)
 *   ← { queued, ms }
 *   → { stop: true }              stop fetching, finish what is under way, exit
 *   ← { stopped, cpuMs, lagP99Ms, lagMaxMs }
 *
 *   node --import tsx bench/fanout/replica.ts   (env: see `need` below)
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { AdapterDeps, ChatAdapter } from "../../src/chat/adapter.ts";
import type { ChatPlatform } from "../../src/chat/caller.ts";
import { createDingTalkAdapter } from "../../src/chat/dingtalk/dingtalk-adapter.ts";
import { createFeishuAdapter } from "../../src/chat/feishu/feishu-adapter.ts";
import { createSlackAdapter } from "../../src/chat/slack/slack-adapter.ts";
import { startDelivery } from "../../src/delivery/delivery.ts";
import { addToOutbox } from "../../src/delivery/outbox-repo.ts";
import { createLog, silentLog } from "../../src/log.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import { chatMemoryOf } from "../../src/store/chat-memory.ts";
import { openStore } from "../../src/store/database.ts";
import { fanoutMessages, scaledPlan } from "./plan.ts";

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`the fan-out replica needs ${name}`);
  return value;
};

const store = await openStore({ databaseUrl: need("DATABASE_URL"), migrate: false });
const deps: AdapterDeps = {
  memory: chatMemoryOf(store.db),
  metrics: createMetrics(),
  log: silentLog,
  now: () => new Date(),
};
const adapters = new Map<ChatPlatform, ChatAdapter>([
  [
    "slack",
    createSlackAdapter(
      {
        mode: "http",
        apiUrl: need("SLACK_API_URL"),
        signingSecret: "bench",
        botToken: need("SLACK_BOT_TOKEN"),
      },
      deps,
    ),
  ],
  [
    "feishu",
    createFeishuAdapter(
      {
        mode: "websocket",
        domain: need("FEISHU_DOMAIN"),
        appId: need("FEISHU_APP_ID"),
        appSecret: need("FEISHU_APP_SECRET"),
      },
      deps,
    ),
  ],
  [
    "dingtalk",
    createDingTalkAdapter(
      {
        mode: "robot",
        apiUrl: need("DINGTALK_API_URL"),
        httpCallback: false,
        clientId: need("DINGTALK_CLIENT_ID"),
        clientSecret: need("DINGTALK_CLIENT_SECRET"),
      },
      deps,
    ),
  ],
]);
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
// BENCH_LOG=warn shows the engine's retries and failures on standard error.
const log = process.env.BENCH_LOG
  ? createLog({ level: process.env.BENCH_LOG, destination: process.stderr })
  : silentLog;
const delivery = await startDelivery({
  store,
  adapters,
  log,
  ...(process.env.BENCH_HEADROOM ? { paceHeadroom: Number(process.env.BENCH_HEADROOM) } : {}),
});

process.on("message", async (message: { queue?: { scale: number; via: string }; stop?: true }) => {
  if (message.queue) {
    const messages = fanoutMessages(scaledPlan(message.queue.scale));
    const started = performance.now();
    let queued: number;
    if (message.queue.via === "sweep") {
      // As the digest and nudge runs do: rows written in their own transaction, then a sweep.
      await store.db.transaction((tx) => addToOutbox(tx, messages, new Date()));
      queued = await delivery.sweep();
    } else {
      queued = await delivery.queue(messages);
    }
    process.send?.({ queued, ms: performance.now() - started });
  }
  if (message.stop) {
    await delivery.stop();
    await store.close();
    const cpu = process.cpuUsage();
    const figures = {
      stopped: true,
      cpuMs: (cpu.user + cpu.system) / 1000,
      lagP99Ms: lag.percentile(99) / 1e6,
      lagMaxMs: lag.max / 1e6,
    };
    // Exits on its own (a --cpu-prof profile is written at exit).
    process.send?.(figures, () => process.exit(0));
  }
});
process.send?.({ ready: true });
