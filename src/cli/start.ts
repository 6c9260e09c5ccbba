import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { startChat } from "../bot/chat-runtime.ts";
import { demoLoaded, loadDemo, yesterdayIn } from "../bot/load-demo.ts";
import { pull } from "../bot/pull.ts";
import { DEFAULT_TIME_ZONE, dayKey, parseDay } from "../engine/index.ts";
import { createLog } from "../log.ts";
import { startScheduler } from "../scheduler/scheduler.ts";
import { createMetrics } from "../server/metrics.ts";
import { scorecardsOf } from "../store/scorecard-repo.ts";
import { openContext } from "./context.ts";
import type { Output } from "./options.ts";
import { progressBars } from "./progress.ts";
import { describe } from "./pull.ts";

export const startUsage = `kpi start [--once] [--config <file>]

  Runs the bot: creates or migrates the database, loads the demo shop on the embedded default,
  then pulls, imports and scores on the configured schedules until stopped (SIGINT/SIGTERM).
  --once  run the start-up work and the catch-up of missed schedules, then exit`;

/** The local calendar day of an instant in a zone. */
function dayIn(timeZone: string, instant: Date): string {
  return dayKey(parseDay(yesterdayIn(timeZone, instant)) + 1);
}

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
  const context = await openContext(values.config);
  const { store, loaded } = context;
  out.stdout(`kpi-bot: database ${store.kind} (${store.location}), configuration ${loaded.origin}`);
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
    await summariseYesterday(context, out);
    const scheduler = await startScheduler({
      db: store.db,
      schedules: loaded.config.schedules,
      replicaId: `${hostname()}:${process.pid}`,
      clock: context.now,
      run: async (schedule, slot) => {
        const reports = await pull(store.db, loaded, {
          runDay: dayIn(schedule.timeZone, slot),
          ...(schedule.sources ? { sourceIds: schedule.sources } : {}),
          actor: `schedule ${schedule.id}`,
          now: context.now(),
        });
        for (const report of reports) out.stdout(`${schedule.id}: ${describe(report)}`);
        const failed = reports.filter((r) => r.status === "failed" || r.status === "rejected");
        if (failed.length > 0) throw new Error(failed.map(describe).join("; "));
      },
    });
    if (values.once) {
      await Promise.race([scheduler.caughtUp, stopped]);
      await scheduler.stop();
      return;
    }
    const chat = await startChat({
      config: loaded.config,
      env: process.env,
      db: store.db,
      log: createLog({ destination: process.stderr }),
      metrics: createMetrics(),
      now: context.now,
      write: (text) => out.stdout(text),
    }).catch(async (error: unknown) => {
      await scheduler.stop();
      throw error;
    });
    out.stdout(
      `chat: ${[...chat.adapters.keys()].join(", ")}; listening on ${chat.server.url} (/healthz, /metrics${chat.server.routes.length > 0 ? `, ${chat.server.routes.join(", ")}` : ""})`,
    );
    if (!stopRequested) {
      out.stdout(
        `scheduler running: ${loaded.config.schedules.map((s) => `${s.id} "${s.cron}" ${s.timeZone}`).join(", ") || "no schedules"}`,
      );
    }
    await stopped;
    out.stdout("kpi-bot: stopping (finishing the jobs that are running)");
    await Promise.all([scheduler.stop(), chat.stop()]);
  } finally {
    process.off("SIGINT", onStop);
    process.off("SIGTERM", onStop);
    await context.close();
  }
}

/** Until the digests exist: yesterday's grades at a glance, so a first start shows something. */
async function summariseYesterday(
  context: Awaited<ReturnType<typeof openContext>>,
  out: Output,
): Promise<void> {
  const day = yesterdayIn(DEFAULT_TIME_ZONE, context.now());
  const cards = await scorecardsOf(context.store.db, "day", day);
  if (cards.length === 0) return;
  const grades = new Map<string, number>();
  for (const { card } of cards) grades.set(card.grade ?? "–", (grades.get(card.grade ?? "–") ?? 0) + 1);
  const ranked = cards.filter((c) => c.card.total !== null).sort((a, b) => b.card.total! - a.card.total!);
  const top = ranked.slice(0, 3).map((c) => `${c.card.agent} ${c.card.total}`);
  out.stdout(
    `${day}: ${cards.length} scorecards; grades ${[...grades].map(([g, n]) => `${g}×${n}`).join(" ")}; top ${top.join(", ")}`,
  );
}
