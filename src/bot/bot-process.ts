import { hostname } from "node:os";
import type { ChatAdapter } from "../chat/adapter.ts";
import type { ChatPlatform } from "../chat/caller.ts";
import type { LoadedConfig } from "../config.ts";
import { type Delivery, type DeliveryOptions, startDelivery } from "../delivery/delivery.ts";
import { type OutboxBacklog, outboxDrained } from "../delivery/outbox-drain.ts";
import { unqueuedCount } from "../delivery/outbox-repo.ts";
import type { ChartRenderer } from "../digest/chart-renderer.ts";
import { digestPeriod } from "../digest/digest-period.ts";
import { type DigestDeps, digestPublished, digestTeams, publishDigest } from "../digest/publish-digest.ts";
import { DEFAULT_TIME_ZONE, dayInZone, periodOfDay } from "../engine/index.ts";
import type { Log } from "../log.ts";
import { sendQaBatch } from "../qa/qa-batch.ts";
import { watchQaReviews } from "../qa/qa-watch.ts";
import { type Scheduler, startScheduler } from "../scheduler/scheduler.ts";
import type { SchedulerEvent, SchedulerLog } from "../scheduler/scheduler-events.ts";
import { type BotMetrics, createMetrics } from "../server/metrics.ts";
import type { Db, Store } from "../store/database.ts";
import { watchAppeals } from "./appeal-watch.ts";
import { botJobs, type QaJobs } from "./bot-jobs.ts";
import type { TellNews } from "./bot-news.ts";
import { botNotices } from "./bot-notices.ts";
import { type BotSchedule, botSchedules } from "./bot-schedules.ts";
import { type ChatRuntime, chatAdapters, startChat } from "./chat-runtime.ts";
import { drainOwed } from "./drain-owed.ts";
import { yesterdayIn } from "./load-demo.ts";
import { type MemorySettler, memorySettler } from "./memory-settle.ts";
import { schedulerEventsTo } from "./scheduler-log.ts";

/**
 * The running bot, put together: the chat adapters (with their HTTP server when it answers
 * commands), the delivery workers, and the scheduler running pulls, digests and the follow-up
 * watch. `stop` lets running jobs and in-flight sends finish, in that order, before the adapters
 * and the server close.
 */

export interface BotOptions {
  store: Store;
  loaded: LoadedConfig;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  log: Log;
  /** News for the person at the terminal. */
  tell: TellNews;
  /** Where the console adapter prints. */
  write(text: string): void;
  /** Answer commands: start the adapters' connections and the HTTP server (not for --once). */
  inbound: boolean;
  renderChart?: ChartRenderer;
  /** Nudges and escalations (default on, as the configuration's `nudges.enabled` says). */
  notices?: boolean;
  metrics?: BotMetrics;
  replicaId?: string;
  delivery?: Partial<Omit<DeliveryOptions, "store" | "adapters" | "log" | "now">>;
  /** Where the scheduler's events go (default: the log, as records with scope "scheduler"). */
  schedulerLog?: (event: SchedulerEvent) => void;
}

/** The console's first look, in the order it is shown: the digests, then the nudges. */
export type FirstLookStage = "digests" | "qa" | "nudges";

export interface Bot {
  adapters: ReadonlyMap<ChatPlatform, ChatAdapter>;
  platforms: readonly ChatPlatform[];
  chat: ChatRuntime | undefined;
  schedules: readonly BotSchedule[];
  scheduler: Scheduler;
  delivery: Delivery;
  /** The start-up catch-up of missed slots is over. */
  caughtUp: Promise<number>;
  /**
   * The start-up catch-up has run its pulls and digests: what yesterday's digests show is in.
   * Its 质检 batch, ratings and alerts may still be running.
   */
  digestsCaughtUp: Promise<void>;
  /**
   * On the console, once `digestsCaughtUp`: yesterday's daily digests now (with those the
   * catch-up queued), so a first start shows what the bot does without waiting for 09:00.
   * Messages already sent are not sent again. How many messages were queued.
   */
  firstDigests(showing?: (stage: FirstLookStage, messages: number) => void): Promise<number>;
  /**
   * On the console, once `caughtUp` (after `firstDigests`): the 质检 cards and then the nudges,
   * the start-up pull's among them; `showing` is told each stage's messages just before they go.
   * What the catch-up queued was held until now. How many messages were queued.
   */
  firstLook(showing?: (stage: FirstLookStage, messages: number) => void): Promise<number>;
  /** Waits until everything due is sent (or the time is up), for --once. */
  drained(timeoutMs: number): Promise<OutboxBacklog>;
  /** Start-up is over: give back what it grew (memory-settle.ts) before the bot waits. */
  settleMemory(): void;
  stop(): Promise<void>;
}

/** The digests' outbox keys (publish-digest.ts): digest:<kind>:<team>:<period>:<recipient>. */
const DIGESTS = "digest:";
/** 质检's outbox keys (qa-batch.ts, qa-watch.ts): the review cards, reminders and escalations. */
const QA = "qa:";
/** The first look waits this long for its digests (and 质检 cards) to be printed before the next stage. */
const DIGESTS_SHOWN_MS = 30_000;

export async function startBot(options: BotOptions): Promise<Bot> {
  const { store, loaded, log, now } = options;
  const config = loaded.config;
  const metrics = options.metrics ?? createMetrics();
  const settler = memorySettler();
  await payScoringOwedAtStart(store.db, now(), log, options.tell);
  const adapterOptions = { config, env: options.env, db: store.db, log, metrics, now, write: options.write };
  const chat = options.inbound ? await startChat(adapterOptions) : undefined;
  const adapters = chat?.adapters ?? (await chatAdapters(adapterOptions));
  const platforms = [...adapters.keys()];
  const stopChat = async () => {
    if (chat) await chat.stop();
  };
  let delivery: Delivery;
  try {
    delivery = await startDelivery({
      store,
      adapters,
      log,
      now,
      admins: config.admins,
      ...options.delivery,
    });
  } catch (error) {
    await stopChat();
    throw error;
  }
  const digests: DigestDeps = {
    db: store.db,
    config,
    platforms,
    now,
    ...(options.renderChart ? { renderChart: options.renderChart } : {}),
  };
  const notices =
    options.notices === false
      ? undefined
      : botNotices({
          db: store.db,
          config,
          platforms,
          now,
          log,
          // The start-up catch-up's nudges join the first look's: one message per person.
          holdUntilFirstLook: platforms.includes("console"),
        });
  // On the console, what the start-up catch-up queues waits for the first look, which shows the
  // digests before the nudges (sent together, they would print in the queue's order, mixed).
  let holdingForFirstLook = platforms.includes("console");
  const sweep = async () => (holdingForFirstLook ? 0 : delivery.sweep());
  const teams = await digestTeams(store.db, config);
  const schedules = botSchedules(
    config,
    teams.map((t) => t.timeZone),
  );
  const qaDeps = { db: store.db, config, platforms };
  const qa: QaJobs = {
    batch: (slot, timeZone) =>
      sendQaBatch(qaDeps, periodOfDay(dayInZone(timeZone)(slot.getTime()) - 7, "week"), now()),
    watch: () => (config.qa.enabled ? watchQaReviews(qaDeps, now()) : Promise.resolve(0)),
  };
  const jobs = botJobs({
    db: store.db,
    loaded,
    digests,
    ...(notices ? { notices } : {}),
    appeals: {
      watch: () =>
        watchAppeals({
          db: store.db,
          config: config.appeals,
          platforms,
          admins: new Set(config.admins),
          teams: new Map(config.teams.map((t) => [t.id, t])),
          defaultLang: "zh-CN",
          now,
        }),
    },
    qa,
    sweep,
    now,
    log,
    tell: options.tell,
  });
  let scheduler: Scheduler;
  try {
    scheduler = await startScheduler({
      db: store.db,
      schedules,
      run: (schedule, slot) => jobs.run(schedule, slot, schedules),
      replicaId: options.replicaId ?? `${hostname()}:${process.pid}`,
      clock: now,
      log: settlingAfterSlots(options.schedulerLog ?? schedulerEventsTo(log), settler),
    });
  } catch (error) {
    await delivery.stop();
    await stopChat();
    throw error;
  }
  return {
    adapters,
    platforms,
    chat,
    schedules,
    scheduler,
    delivery,
    caughtUp: scheduler.caughtUp,
    // The pulls too: a digest of the first look reads what they bring.
    digestsCaughtUp: scheduler.caughtUpWith(
      schedules.filter((s) => s.job === "digest" || s.job === "pull").map((s) => s.id),
    ),
    async firstDigests(showing = () => {}) {
      if (!platforms.includes("console")) return 0;
      let queued = 0;
      for (const team of teams) {
        const period = digestPeriod("daily", now(), team.timeZone);
        // The catch-up's slot (or an earlier start) published it: nothing to compose again.
        if (await digestPublished(store.db, team, "daily", period)) continue;
        const outcome = await publishDigest(digests, team, "daily", period);
        if (outcome.status === "queued") queued += outcome.messages;
      }
      const digestRows = await unqueuedCount(store.db, DIGESTS);
      if (digestRows > 0) {
        showing("digests", digestRows);
        await delivery.sweep({ keyPrefix: DIGESTS });
        await outboxDrained(store.db, now, DIGESTS_SHOWN_MS, { keyPrefix: DIGESTS });
      }
      return queued;
    },
    async firstLook(showing = () => {}) {
      if (!platforms.includes("console")) return 0;
      try {
        let queued = 0;
        // A Monday's 质检 batch (5 cards per agent) under its own heading, not among the nudges.
        const qaRows = await unqueuedCount(store.db, QA);
        if (qaRows > 0) {
          showing("qa", qaRows);
          await delivery.sweep({ keyPrefix: QA });
          await outboxDrained(store.db, now, DIGESTS_SHOWN_MS, { keyPrefix: QA });
        }
        if (notices)
          queued += await notices.firstLook(yesterdayIn(teams[0]?.timeZone ?? DEFAULT_TIME_ZONE, now()));
        const rest = await unqueuedCount(store.db);
        if (rest > 0) showing("nudges", rest);
        return queued;
      } finally {
        holdingForFirstLook = false;
        await delivery.sweep();
      }
    },
    drained: (timeoutMs) => outboxDrained(store.db, now, timeoutMs),
    settleMemory: settler.workEnded,
    async stop() {
      holdingForFirstLook = false;
      settler.stop();
      // Jobs first (they may still queue messages), then the sends under way, then the doors.
      await scheduler.stop();
      await delivery.stop();
      await stopChat();
    },
  };
}

/** Each scheduled job that ends (done or failed) is a burst of work the settler collects after. */
function settlingAfterSlots(log: SchedulerLog, settler: MemorySettler): SchedulerLog {
  return (event) => {
    log(event);
    if (event.event === "slot-done" || event.event === "slot-failed") settler.workEnded();
  };
}

/**
 * What a crash left owed (figures stored, cards not yet scored from them) is scored before the
 * bot answers or posts anything. A period another replica is scoring is left to it.
 */
async function payScoringOwedAtStart(db: Db, now: Date, log: Log, tell: TellNews) {
  const drained = await drainOwed(db, { actor: "kpi start", now, wait: false });
  if (drained.scored.length > 0)
    tell({ kind: "owed-scored", periods: drained.scored.map((s) => s.period.key) });
  for (const { periodKey, error } of drained.failed)
    log.error({ err: error, period: periodKey }, "scoring an owed period failed; it stays owed");
}
