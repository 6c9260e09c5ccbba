import { parseArgs } from "node:util";
import { type FirstLookStage, startBot } from "../bot/bot-process.ts";
import { demoLoaded, loadDemo, yesterdayIn } from "../bot/load-demo.ts";
import { chartWorkerRenderer } from "../digest/chart-renderer.ts";
import { DEFAULT_TIME_ZONE, InvalidInput } from "../engine/index.ts";
import { dataSummary } from "../store/data-summary.ts";
import { cliMessagesFor } from "./cli-messages.ts";
import { openContext } from "./context.ts";
import { LOG_OPTIONS, logFor, logSettings } from "./log-options.ts";
import { dayOption, langOption, type Output } from "./options.ts";
import { progressBars } from "./progress.ts";
import { newsLine, nextSchedule } from "./start-story.ts";

/**
 * `kpi start`: the bot. On the terminal it tells its story in order: the database, the data, what
 * was pulled, yesterday's digests, the nudges, then the wait for the next schedule (or, with
 * --once, the end). The log goes to stderr (log-options.ts), out of the story's way.
 */

export async function startCommand(args: string[], out: Output): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      once: { type: "boolean", default: false },
      date: { type: "string" },
      config: { type: "string" },
      ...LOG_OPTIONS,
    },
    strict: true,
    allowPositionals: false,
  });
  const asOf = values.date === undefined ? undefined : dayOption("--date", values.date);
  if (asOf !== undefined && Date.parse(`${asOf}T00:00:00+08:00`) > Date.now())
    throw new InvalidInput("--date", `${asOf} is in the future: the bot runs as of today or a day before`);
  const words = cliMessagesFor(langOption(undefined)).start;
  const logging = logSettings(values);
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
  // Weekly and monthly digests draw charts in a process of their own: it starts loading now, on
  // the other core, and ends after the first look if no chart was asked for.
  const renderChart = chartWorkerRenderer();
  renderChart.warm();
  const context = await openContext(values.config, process.env, { attach: false }).catch(async (error) => {
    await renderChart.close();
    throw error;
  });
  const { store, loaded } = context;
  const now = asOf === undefined ? context.now : clockFrom(asOf);
  out.stdout(words.database(store.kind, store.location, loaded.origin));
  if (store.socket && "failed" in store.socket)
    out.stderr(
      `kpi-bot: other kpi commands cannot reach the database while this runs: ${store.socket.failed}`,
    );
  try {
    const demo = loaded.config.sources.find((s) => s.kind === "demo");
    if (demo?.kind === "demo" && !(await demoLoaded(store.db))) {
      const endDay = yesterdayIn(DEFAULT_TIME_ZONE, now());
      const progress = progressBars();
      const outcome = await loadDemo(store.db, {
        endDay,
        days: demo.days,
        seed: demo.seed,
        actor: "kpi start",
        now: now(),
        onProgress: (stage, done, total) => progress.update(stage, done, total),
      });
      progress.stop();
      out.stdout(words.demoLoaded(outcome.agents, demo.days, endDay, outcome.scorecards));
    } else {
      out.stdout(words.dataThere(await dataSummary(store.db)));
    }
    const log = logFor(logging);
    const bot = await startBot({
      store,
      loaded,
      env: process.env,
      now,
      log,
      tell: (news) => out.stdout(newsLine(words, news)),
      write: (text) => out.stdout(text),
      inbound: !values.once,
      renderChart,
    });
    try {
      const showing = (stage: FirstLookStage, messages: number) => out.stdout(words.showing(stage, messages));
      // Yesterday's digests as soon as the catch-up has made them; its 质检 batch, ratings and
      // alerts go on meanwhile, and what they queue waits for the rest of the first look.
      await Promise.race([bot.digestsCaughtUp, stopped]);
      if (!stopRequested) await bot.firstDigests(showing);
      await Promise.race([bot.caughtUp, stopped]);
      if (!stopRequested) await bot.firstLook(showing);
      // What the first look queued is printed before the story goes on.
      const backlog = await Promise.race([bot.drained(DRAIN_MS), stopped.then(() => undefined)]);
      await renderChart.release();
      if (values.once) {
        if (backlog) out.stdout(words.backlog(backlog));
        return;
      }
      if (!stopRequested) {
        bot.settleMemory();
        if (bot.chat) {
          const server = bot.chat.server;
          out.stdout(words.listening(bot.platforms.join(", "), server.url, server.routes));
        }
        out.stdout(words.waiting(nextSchedule(bot.schedules, bot.scheduler.nextFires())));
      }
      await stopped;
      out.stdout(words.stopping);
    } finally {
      await bot.stop();
    }
  } finally {
    await renderChart.close();
    process.off("SIGINT", onStop);
    process.off("SIGTERM", onStop);
    await context.close();
  }
}

/**
 * --date: the bot runs as if it were noon of that day in the shop's zone (Asia/Shanghai) when it
 * started, its clock going on from there: a Monday shows the weekly digest, the 质检 batch and
 * the gaming alerts. Never ahead of the real time: the outbox's job queue keeps the database's
 * clock, so a message due at a later noon would wait for it (today before noon runs as now).
 */
function clockFrom(day: string): () => Date {
  const offset = Math.min(0, Date.parse(`${day}T12:00:00+08:00`) - Date.now());
  return () => new Date(Date.now() + offset);
}

/** Start-up waits this long for the messages it queued to go out (--once, then it ends). */
const DRAIN_MS = 60_000;
