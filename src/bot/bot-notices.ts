import type { ChatPlatform } from "../chat/caller.ts";
import type { Config } from "../config.ts";
import { raiseGamingAlerts } from "../gaming/alert-run.ts";
import type { Log } from "../log.ts";
import { runNotices } from "../nudges/notice-run.ts";
import type { NudgeReport } from "../nudges/nudge-deps.ts";
import type { Queryable } from "../store/database.ts";
import type { Notices } from "./bot-jobs.ts";

/**
 * The nudge and escalation use-cases as the bot's jobs run them, each job one run (one message per
 * person): after a pull, the newest day's nudges with the new bad reviews and low grades of the
 * month so far; every few minutes, new bad reviews, reminders and escalations. With
 * `holdUntilFirstLook` (the console) the runs of the start-up's catch-up are held and made one
 * with the first look, so a first start shows each person one message.
 */
export function botNotices(options: {
  db: Queryable;
  config: Config;
  platforms: readonly ChatPlatform[];
  now: () => Date;
  log: Log;
  holdUntilFirstLook?: boolean;
}): Notices & { firstLook(day: string): Promise<number> } {
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
  // The days the catch-up's pulls brought, until the first look tells them in one run.
  let held: Set<string> | undefined = options.holdUntilFirstLook ? new Set() : undefined;
  return {
    async afterPull(days) {
      if (held) {
        for (const day of days) held.add(day);
        return 0;
      }
      return reported("nudges", await runNotices(deps, { now: options.now(), days, watch: false }));
    },
    async watch() {
      // Held: the first look looks at the deadlines.
      if (held) return 0;
      return reported(
        "follow-up watch",
        await runNotices(deps, { now: options.now(), days: [], watch: true }),
      );
    },
    async gaming(week) {
      const report = await raiseGamingAlerts(deps, { week, now: options.now() });
      if (report.raised > 0) options.log.info({ week, raised: report.raised }, "gaming alerts raised");
      return reported("gaming alerts", { ...report, heldByCap: 0 });
    },
    async firstLook(day) {
      const days = [...(held ?? []), day];
      held = undefined;
      // The deadlines are looked at too, whether a watch ran during the catch-up or not: a watch
      // whose slot a killed process had claimed is not run again, and its escalations would wait.
      return reported("nudges", await runNotices(deps, { now: options.now(), days, watch: true }));
    },
  };
}
