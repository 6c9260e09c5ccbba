import { parseArgs } from "node:util";
import { startBot } from "../bot/bot-process.ts";
import { demoLoaded, loadDemo, yesterdayIn } from "../bot/load-demo.ts";
import type { OutboxBacklog } from "../delivery/outbox-drain.ts";
import type { TrendChart } from "../digest/trend-chart.ts";
import { DEFAULT_TIME_ZONE } from "../engine/index.ts";
import { createLog } from "../log.ts";
import { openContext } from "./context.ts";
import type { Output } from "./options.ts";
import { progressBars } from "./progress.ts";

export async function startCommand(args: string[], out: Output): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { once: { type: "boolean", default: false }, config: { type: "string" } },
    strict: true,
    allowPositionals: false,
  });
  // Listen for the stop signals first: a SIGTERM during start-up lets the current step finish.
  let stopRequested = false;
  let onStop = () => {};
  const stopped = new Promise<void>((resolve) => {
    onStop = () => {
      stopRequested = true;
      resolve();
    };
  });
  process.once("SIGINT", onStop);
  process.once("SIGTERM", onStop);
  const context = await openContext(values.config, process.env, { attach: false });
  const { store, loaded } = context;
  out.stdout(`kpi-bot: database ${store.kind} (${store.location}), configuration ${loaded.origin}`);
  if (store.socket && "failed" in store.socket)
    out.stderr(
      `kpi-bot: other kpi commands cannot reach the database while this runs: ${store.socket.failed}`,
    );
  try {
    const demo = loaded.config.sources.find((s) => s.kind === "demo");
    if (demo?.kind === "demo" && !(await demoLoaded(store.db))) {
      const now = context.now();
      const endDay = yesterdayIn(DEFAULT_TIME_ZONE, now);
      const progress = progressBars();
      const outcome = await loadDemo(store.db, {
        endDay,
        days: demo.days,
        seed: demo.seed,
        actor: "kpi start",
        now,
        onProgress: (stage, done, total) => progress.update(stage, done, total),
      });
      progress.stop();
      out.stdout(
        `demo shop loaded: ${outcome.agents} agents, ${demo.days} days to ${endDay}, ${outcome.scorecards} scorecards`,
      );
    }
    const log = createLog({ destination: process.stderr });
    const bot = await startBot({
      store,
      loaded,
      env: process.env,
      now: context.now,
      log,
      say: (line) => out.stdout(line),
      write: (text) => out.stdout(text),
      inbound: !values.once,
      renderChart: await chartRenderer(),
    });
    try {
      if (bot.chat) {
        const server = bot.chat.server;
        out.stdout(
          `chat: ${bot.platforms.join(", ")}; listening on ${server.url} (/healthz, /metrics${server.routes.length > 0 ? `, ${server.routes.join(", ")}` : ""})`,
        );
      }
      await Promise.race([bot.caughtUp, stopped]);
      if (!stopRequested) {
        const shown = await bot.firstLook();
        if (shown > 0) out.stdout(`console: yesterday's digests and nudges (${shown} messages)`);
      }
      if (values.once) {
        const backlog = await Promise.race([bot.drained(ONCE_DRAIN_MS), stopped.then(() => undefined)]);
        if (backlog) out.stdout(describeBacklog(backlog));
        return;
      }
      if (!stopRequested) {
        out.stdout(
          `scheduler running: ${bot.schedules.map((s) => `${s.id} "${s.cron}" ${s.timeZone}`).join(", ")}`,
        );
      }
      await stopped;
      out.stdout("kpi-bot: stopping (finishing the jobs and sends under way)");
    } finally {
      await bot.stop();
    }
  } finally {
    process.off("SIGINT", onStop);
    process.off("SIGTERM", onStop);
    await context.close();
  }
}

/** --once waits this long for the messages it queued to go out. */
const ONCE_DRAIN_MS = 60_000;

function describeBacklog(backlog: OutboxBacklog): string {
  const parts = [backlog.due === 0 ? "every message due has been sent" : `${backlog.due} messages still due`];
  if (backlog.held > 0)
    parts.push(`${backlog.held} held for quiet hours or shifts (first at ${backlog.nextAt?.toISOString()})`);
  if (backlog.dead > 0) parts.push(`${backlog.dead} could not be delivered (the admins were told)`);
  return `outbox: ${parts.join("; ")}`;
}

/** The chart renderer, loaded on first use: ECharts and the font take a moment to load. */
async function chartRenderer(): Promise<(chart: TrendChart) => Uint8Array> {
  const { renderTrendChart } = await import("../digest/trend-chart.ts");
  return renderTrendChart;
}
