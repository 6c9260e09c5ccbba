import type { ChatPlatform } from "../chat/caller.ts";
import type { Config } from "../config.ts";
import type { Log } from "../log.ts";
import { queueBadReviewNudges, queueDayNudges } from "../nudges/day-nudges.ts";
import { checkFollowUps } from "../nudges/follow-up-checks.ts";
import { checkGradeStreaks } from "../nudges/grade-streaks.ts";
import { addReports, emptyReport, type NudgeReport } from "../nudges/nudge-deps.ts";
import type { Queryable } from "../store/database.ts";
import type { Notices } from "./bot-jobs.ts";

/**
 * The nudge and escalation use-cases as the bot's jobs run them: after a pull, each new day's
 * nudges and low grades of the month so far; every few minutes, new bad reviews, reminders and escalations.
 */
export function botNotices(options: {
  db: Queryable;
  config: Config;
  platforms: readonly ChatPlatform[];
  now: () => Date;
  log: Log;
}): Notices {
  const onConsoleOnly = options.platforms.length === 1 && options.platforms[0] === "console";
  const deps = {
    db: options.db,
    config: { ...options.config, holdForDuty: !onConsoleOnly },
    platforms: options.platforms,
  };
  // The same unreachable agents come up on every run until someone fixes the roster: said once.
  const warned = new Map<string, string>();
  const reported = (what: string, report: NudgeReport) => {
    const who = [...report.unreachable].sort().join(",");
    if (who !== "" && warned.get(what) !== who) {
      warned.set(what, who);
      options.log.warn(
        { agents: report.unreachable.slice(0, 20), count: report.unreachable.length },
        `${what}: nobody on the bot's platforms can be told about these agents (no chat id, or no admins configured)`,
      );
    }
    if (report.heldByCap > 0)
      options.log.info({ held: report.heldByCap }, `${what}: held back by the daily cap`);
    return report.queued;
  };
  return {
    async afterPull(days) {
      const report = emptyReport();
      const newest = [...days].sort().at(-1);
      // The newest day's run also carries the new bad reviews and what the day before left.
      if (newest) addReports(report, await queueDayNudges(deps, { day: newest, now: options.now() }));
      else addReports(report, await queueBadReviewNudges(deps, { now: options.now() }));
      for (const day of [...days].sort())
        addReports(report, await checkGradeStreaks(deps, { day, now: options.now() }));
      return reported("nudges", report);
    },
    async watch() {
      const report = emptyReport();
      addReports(report, await queueBadReviewNudges(deps, { now: options.now() }));
      addReports(report, await checkFollowUps(deps, { now: options.now() }));
      return reported("follow-up watch", report);
    },
  };
}
