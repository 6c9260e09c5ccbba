/**
 * What the scheduler needs of a job: the configured pulls (config.ts `schedules`) and the bot's
 * own jobs (digests, the follow-up watch) alike.
 */
export interface JobSchedule {
  id: string;
  /** node-cron expression, in `timeZone`. */
  cron: string;
  timeZone: string;
  /** After downtime, missed fires of at most this many days back are run once each. */
  catchUpDays: number;
  /**
   * Missed fires run only on the day (in `timeZone`) they were due: a daily digest missed at 09:00
   * still goes at 15:00, but not the next day, when that day's own is due.
   */
  catchUpSameDay?: boolean;
  /** After downtime only the latest missed fire runs: a job that looks at the present (a watch). */
  catchUpLatestOnly?: boolean;
  /** Among fires at the same instant, these run first in catch-up (pulls, so digests see the day). */
  runsFirst?: boolean;
}
