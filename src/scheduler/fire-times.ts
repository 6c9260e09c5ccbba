import { CronExpressionParser } from "cron-parser";

/**
 * When a schedule fired in the past, for the catch-up pass. node-cron only looks forward from the
 * real clock (getNextRuns), so past fire times come from cron-parser, walking back from `until`.
 * The two dialects differ where both day of month and day of week are restricted (node-cron needs
 * both to match, cron-parser either), so each candidate is also checked with node-cron's own
 * `match`: catch-up runs exactly the fires the live timer would have run.
 */

export interface CronSchedule {
  cron: string;
  timeZone: string;
}

/** Whether node-cron fires the schedule at this instant (its task's `match`). */
export type FiresAt = (instant: Date) => boolean;

/** Why catch-up cannot enumerate the expression (cron-parser rejects it), or null when it can. */
export function cronProblem(schedule: CronSchedule): string | null {
  try {
    CronExpressionParser.parse(schedule.cron, { tz: schedule.timeZone });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Fire times t with after < t ≤ until, oldest first. When there are more than `limit`, the newest
 * `limit` of them: after a long outage the recent days matter, not the oldest.
 */
export function fireTimesBetween(
  schedule: CronSchedule,
  after: Date,
  until: Date,
  limit: number,
  firesAt: FiresAt,
): Date[] {
  // prev() returns times strictly before currentDate; one millisecond more makes `until` itself count.
  const walk = CronExpressionParser.parse(schedule.cron, {
    tz: schedule.timeZone,
    currentDate: new Date(until.getTime() + 1),
  });
  const newestFirst: Date[] = [];
  while (newestFirst.length < limit) {
    const previous = previousOf(walk);
    if (previous === null || previous.getTime() <= after.getTime()) break;
    if (firesAt(previous)) newestFirst.push(previous);
  }
  return newestFirst.reverse();
}

/**
 * The first fire time after `after`, or null when none comes within a year (or within the
 * candidates cron-parser offers that node-cron's stricter reading turns down, as for fireTimesBetween).
 */
export function nextFireTime(schedule: CronSchedule, after: Date, firesAt: FiresAt): Date | null {
  const walk = CronExpressionParser.parse(schedule.cron, { tz: schedule.timeZone, currentDate: after });
  const horizon = after.getTime() + 366 * 24 * 3600_000;
  for (let candidates = 0; candidates < MAX_NEXT_CANDIDATES; candidates++) {
    let next: Date;
    try {
      next = walk.next().toDate();
    } catch {
      return null;
    }
    if (next.getTime() > horizon) return null;
    if (firesAt(next)) return next;
  }
  return null;
}

const MAX_NEXT_CANDIDATES = 200_000;

function previousOf(walk: ReturnType<typeof CronExpressionParser.parse>): Date | null {
  try {
    return walk.prev().toDate();
  } catch {
    // cron-parser throws when its search for an earlier time hits its loop limit: there is none.
    return null;
  }
}
