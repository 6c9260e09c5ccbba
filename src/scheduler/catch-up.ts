import { dayInZone, localTimeIn } from "../engine/index.ts";
import type { Queryable } from "../store/database.ts";
import { type FiresAt, fireTimesBetween } from "./fire-times.ts";
import type { JobSchedule } from "./job-schedule.ts";
import { lastClaimedSlot, runningSlots } from "./slot-claims.ts";

/**
 * Which slots of a schedule were missed while no replica ran: every fire time after the job's last
 * claimed slot, within the last `catchUpDays` days, up to now. A job never claimed gets only its
 * latest fire time, so a fresh install pulls once rather than replaying a week. Slots between
 * claimed ones are not refilled: a hole among claims was a fire some replica saw and gave up on
 * (its claim failed), not downtime. Slots in the window still recorded as running are planned
 * too: one whose runner died is run again, one under way is skipped (slot-runner.ts).
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** One pass runs at most this many slots of a schedule (the newest): a per-minute cron after a week down is 10,080. */
export const MAX_CATCH_UP_SLOTS = 500;

export interface CatchUpPlan<S extends JobSchedule = JobSchedule> {
  schedule: S;
  /** Oldest first. */
  slots: Date[];
  /** More were missed than planned: the oldest were dropped. */
  truncated: boolean;
}

export async function planCatchUp<S extends JobSchedule>(
  db: Queryable,
  schedule: S,
  now: Date,
  firesAt: FiresAt,
): Promise<CatchUpPlan<S>> {
  if (schedule.catchUpDays === 0) return { schedule, slots: [], truncated: false };
  let windowStart = new Date(now.getTime() - schedule.catchUpDays * DAY_MS);
  if (schedule.catchUpSameDay) {
    const midnight = startOfDayIn(schedule.timeZone, now);
    if (midnight.getTime() > windowStart.getTime()) windowStart = new Date(midnight.getTime() - 1);
  }
  const last = await lastClaimedSlot(db, schedule.id, now);
  const running = await runningSlots(db, schedule.id, windowStart, now);
  // Never claimed (a fresh install), or a job about the present: only the latest fire.
  if (last === null || schedule.catchUpLatestOnly) {
    const after = last !== null && last.getTime() > windowStart.getTime() ? last : windowStart;
    const latest = fireTimesBetween(schedule, after, now, 1, firesAt);
    // A job about the present reruns only the newest of its abandoned slots.
    const abandoned = schedule.catchUpLatestOnly ? running.slice(-1) : running;
    return { schedule, slots: merged(abandoned, latest), truncated: false };
  }
  const after = last.getTime() > windowStart.getTime() ? last : windowStart;
  const slots = fireTimesBetween(schedule, after, now, MAX_CATCH_UP_SLOTS + 1, firesAt);
  const truncated = slots.length > MAX_CATCH_UP_SLOTS;
  return { schedule, slots: merged(running, truncated ? slots.slice(1) : slots), truncated };
}

function merged(a: Date[], b: Date[]): Date[] {
  const byTime = new Map([...a, ...b].map((d) => [d.getTime(), d]));
  return [...byTime.keys()].sort((x, y) => x - y).map((t) => byTime.get(t)!);
}

/** The instant the day of `now` began in the zone. */
function startOfDayIn(timeZone: string, now: Date): Date {
  const day = dayInZone(timeZone)(now.getTime());
  // The zone's offset at `now`: a day never starts inside a DST change in the shops' zones.
  const offset = localTimeIn(timeZone)(now.getTime()) - now.getTime();
  return new Date(day * DAY_MS - offset);
}
