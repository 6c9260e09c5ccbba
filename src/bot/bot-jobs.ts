import { and, gt, inArray, lte } from "drizzle-orm";
import type { LoadedConfig } from "../config.ts";
import { digestPeriod } from "../digest/digest-period.ts";
import { type DigestDeps, digestTeams, publishDigest } from "../digest/publish-digest.ts";
import { dayKey, parseDay, periodOfDay } from "../engine/index.ts";
import type { Log } from "../log.ts";
import type { QaBatchReport } from "../qa/qa-batch.ts";
import { runRatingRequests } from "../ratings/rating-run.ts";
import { fireTimesBetween } from "../scheduler/fire-times.ts";
import type { Db } from "../store/database.ts";
import { jobSlots } from "../store/schema.ts";
import type { TellNews } from "./bot-news.ts";
import type { BotSchedule } from "./bot-schedules.ts";
import { drainOwed } from "./drain-owed.ts";
import { yesterdayIn } from "./load-demo.ts";
import { describePull, pull } from "./pull.ts";

/**
 * What each of the bot's scheduled jobs does when its slot comes: a pull imports and scores, then
 * tells agents what the new figures say (nudges); a digest waits for the pulls due with it, then
 * writes each team's digest to the outbox; the follow-up watch sends reminders and escalations.
 * Everything that goes out is written to the outbox first and handed to delivery by `sweep`.
 */

/** The nudge and escalation use-cases, as the jobs call them; each returns messages queued. */
export interface Notices {
  /** After a pull: the days whose figures came in. */
  afterPull(days: readonly string[]): Promise<number>;
  /** Every few minutes: reminders, escalations at deadlines. */
  watch(): Promise<number>;
  /** Mondays: the gaming alerts of an ISO week, to the supervisors. */
  gaming?(week: string): Promise<number>;
}

/** Appeals left undecided: reminders to the decider, then the admins (appeal-watch.ts). */
export interface AppealsWatch {
  watch(): Promise<number>;
}

/** Quality review's jobs: the weekly batch, and reminders and escalations of overdue reviews. */
export interface QaJobs {
  batch(slot: Date, timeZone: string): Promise<QaBatchReport>;
  /** Messages queued. */
  watch(): Promise<number>;
}

export interface BotJobDeps {
  db: Db;
  loaded: LoadedConfig;
  digests: DigestDeps;
  notices?: Notices;
  appeals?: AppealsWatch;
  qa?: QaJobs;
  /** Hands newly written outbox rows to the delivery workers. */
  sweep(): Promise<unknown>;
  now: () => Date;
  log: Log;
  /** News for the person watching the terminal (`kpi start`). */
  tell: TellNews;
  /** How long a digest waits for a pull due at the same time (default 30 minutes). */
  pullWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const POLL_MS = 1000;
/** A pull claimed no longer than this before the digest's slot counts as the same morning's. */
const SAME_MORNING_MS = 6 * 3600_000;

export function botJobs(deps: BotJobDeps) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  /**
   * Scores what is owed: what a recorded "recovered" changed (the agent's 差评挽回率), what a
   * crash left unscored, what another replica's import owes. The watch leaves a period another
   * replica is scoring to it; a digest waits for it, since it reads the cards next.
   */
  const payOwedScoring = async (wait: boolean) => {
    const drained = await drainOwed(deps.db, { actor: "owed scoring", now: deps.now(), wait });
    const periods = drained.scored.filter((s) => s.cardCount > 0).map((s) => s.period.key);
    if (periods.length > 0) deps.log.info({ periods }, "scored the periods owed a re-score");
    for (const { periodKey, error } of drained.failed)
      deps.log.error({ err: error, period: periodKey }, "scoring an owed period failed; it stays owed");
  };

  const runPull = async (schedule: Extract<BotSchedule, { job: "pull" }>, slot: Date) => {
    const reports = await pull(deps.db, deps.loaded, {
      runDay: dayKey(parseDay(yesterdayIn(schedule.timeZone, slot)) + 1),
      ...(schedule.sources ? { sourceIds: schedule.sources } : {}),
      actor: `schedule ${schedule.id}`,
      now: deps.now(),
    });
    for (const report of reports) deps.tell({ kind: "pulled", schedule: schedule.id, report });
    const days = [...new Set(reports.filter((r) => r.status === "done").map((r) => r.day))].sort();
    if (deps.notices && days.length > 0) {
      const queued = await deps.notices.afterPull(days);
      if (queued > 0) deps.tell({ kind: "notices-queued", schedule: schedule.id, messages: queued });
    }
    await deps.sweep();
    const failed = reports.filter((r) => r.status === "failed" || r.status === "rejected");
    if (failed.length > 0) throw new Error(failed.map(describePull).join("; "));
  };

  /**
   * Waits while a pull of the same morning is still running, or due at the very same instant and
   * not yet finished (both timers fire together; the pull's claim may not be written yet).
   */
  const pullsSettled = async (slot: Date, pulls: readonly BotSchedule[]) => {
    if (pulls.length === 0) return;
    const ids = pulls.map((p) => p.id);
    const dueTogether = pulls
      .filter((p) => fireTimesBetween(p, new Date(slot.getTime() - 1), slot, 1, () => true).length > 0)
      .map((p) => p.id);
    const deadline = Date.now() + (deps.pullWaitMs ?? 30 * 60_000);
    while (Date.now() < deadline) {
      const claims = await deps.db
        .select({ job: jobSlots.job, slot: jobSlots.slot, status: jobSlots.status })
        .from(jobSlots)
        .where(
          and(
            inArray(jobSlots.job, ids),
            lte(jobSlots.slot, slot),
            gt(jobSlots.slot, new Date(slot.getTime() - SAME_MORNING_MS)),
          ),
        );
      const running = claims.some((c) => c.status === "running");
      const finishedTogether = (id: string) =>
        claims.some((c) => c.job === id && c.slot.getTime() === slot.getTime() && c.status !== "running");
      if (!running && dueTogether.every(finishedTogether)) return;
      await sleep(POLL_MS);
    }
    deps.log.warn({ slot }, "a pull was still running when the digest could wait no longer; sending it");
  };

  const runDigest = async (
    schedule: Extract<BotSchedule, { job: "digest" }>,
    slot: Date,
    pulls: readonly BotSchedule[],
  ) => {
    await pullsSettled(slot, pulls);
    await payOwedScoring(true);
    const teams = (await digestTeams(deps.db, deps.loaded.config)).filter(
      (t) => t.timeZone === schedule.timeZone,
    );
    let queued = 0;
    const problems: string[] = [];
    for (const team of teams) {
      // One team's failure does not keep the others' digests back.
      try {
        const outcome = await publishDigest(
          deps.digests,
          team,
          schedule.digest,
          digestPeriod(schedule.digest, slot, team.timeZone),
        );
        if (outcome.status === "queued") queued += outcome.messages;
        if (outcome.status === "no-recipients")
          deps.log.info({ team: team.id }, "the team has no channel on the bot's platforms; no digest");
      } catch (error) {
        problems.push(`${team.id}: ${(error as Error).message}`);
      }
    }
    await deps.sweep();
    if (queued > 0) deps.tell({ kind: "digests-queued", schedule: schedule.id, messages: queued });
    if (problems.length > 0) throw new Error(problems.join("; "));
  };

  /** The rating card, reminders and escalations of the zone's teams (ratings/rating-run.ts). */
  const runRatings = async (schedule: Extract<BotSchedule, { job: "ratings" }>) => {
    const { config } = deps.loaded;
    const zoneTeams = (await digestTeams(deps.db, config)).filter((t) => t.timeZone === schedule.timeZone);
    const queued = await runRatingRequests(deps.db, {
      now: deps.now(),
      platforms: deps.digests.platforms,
      admins: config.admins,
      teams: new Map(zoneTeams.map((t) => [t.id, { name: t.name, lang: t.lang }])),
      teamIds: new Set(zoneTeams.map((t) => t.id)),
      defaultLang: zoneTeams[0]?.lang ?? "zh-CN",
      escalateAfterDays: config.ratings.escalateAfterDays,
      workingDays: config.ratings.workingDays,
      timeZone: schedule.timeZone,
    });
    if (queued > 0) deps.tell({ kind: "ratings-queued", schedule: schedule.id, messages: queued });
    await deps.sweep();
  };

  return {
    async run(schedule: BotSchedule, slot: Date, all: readonly BotSchedule[]): Promise<void> {
      switch (schedule.job) {
        case "pull":
          return runPull(schedule, slot);
        case "digest":
          return runDigest(
            schedule,
            slot,
            all.filter((s) => s.job === "pull"),
          );
        case "ratings":
          return runRatings(schedule);
        case "follow-ups": {
          await payOwedScoring(false);
          let queued = deps.notices ? await deps.notices.watch() : 0;
          if (deps.appeals) queued += await deps.appeals.watch();
          if (deps.qa) queued += await deps.qa.watch();
          if (queued > 0) await deps.sweep();
          return;
        }
        case "qa": {
          if (!deps.qa) return;
          const report = await deps.qa.batch(slot, schedule.timeZone);
          await deps.sweep();
          if (report.assigned > 0)
            deps.tell({
              kind: "qa-queued",
              schedule: schedule.id,
              week: report.week,
              assigned: report.assigned,
              messages: report.queued,
            });
          return;
        }
        case "gaming-alerts": {
          // The ISO week before the slot's day in the team's zone.
          const week = periodOfDay(parseDay(yesterdayIn(schedule.timeZone, slot)) - 6, "week").key;
          if (deps.notices?.gaming && (await deps.notices.gaming(week)) > 0) await deps.sweep();
          return;
        }
      }
    },
  };
}
