import { localTimeIn } from "../engine/index.ts";

/**
 * When a message may reach someone: never in quiet hours (default 21:00–08:30), and a nudge that
 * can wait not before the agent's shift either. Times of day are wall-clock times in the shop's
 * zone; quiet hours and shifts may cross midnight. A pure function of the instant, so tests drive
 * any hour of any day.
 */

export interface DutyHours {
  timeZone: string;
  /** "HH:MM" to "HH:MM"; equal times mean no quiet hours. */
  quietHours: { from: string; to: string };
  /** The agent's shift; absent or null: any time outside quiet hours. Equal times: all day. */
  shift?: { start: string; end: string } | null;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

const minuteOfClock = (clock: string): number => {
  const [h, m] = clock.split(":").map(Number) as [number, number];
  return h * 60 + m;
};

/** Whether minute `m` of the day is in [start, end), an arc that may cross midnight. */
function inArc(m: number, start: number, end: number): boolean {
  return start < end ? m >= start && m < end : m >= start || m < end;
}

interface Rule {
  allowed(minute: number): boolean;
  /** The minutes of the day at which an allowed stretch can begin. */
  openings: number[];
}

function ruleOf(hours: DutyHours, withShift: boolean): Rule {
  const qFrom = minuteOfClock(hours.quietHours.from);
  const qTo = minuteOfClock(hours.quietHours.to);
  const quiet = qFrom !== qTo;
  const shift = withShift && hours.shift ? hours.shift : undefined;
  const sStart = shift ? minuteOfClock(shift.start) : 0;
  const sEnd = shift ? minuteOfClock(shift.end) : 0;
  const allDay = !shift || sStart === sEnd;
  return {
    allowed: (m) => !(quiet && inArc(m, qFrom, qTo)) && (allDay || inArc(m, sStart, sEnd)),
    openings: [...(quiet ? [qTo] : []), ...(allDay ? [] : [sStart])],
  };
}

const clocks = new Map<string, (epochMs: number) => number>();

/** Instant → the same wall-clock time in the zone, written as if it were UTC. */
function wallClockOf(timeZone: string): (epochMs: number) => number {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = localTimeIn(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

const minuteOfWall = (wall: number): number => Math.floor((((wall % DAY) + DAY) % DAY) / MINUTE);

/**
 * The first instant whose wall-clock time is `wall` or later: where the clock is set back it is
 * the earlier of the two, where it jumps forward past `wall` it is the moment of the jump.
 */
export function instantOfWall(wall: number, timeZone: string): number {
  const clock = wallClockOf(timeZone);
  // The offsets a day either side cover any one change of the clocks near `wall`.
  const offsets = new Set([clock(wall - DAY) - (wall - DAY), clock(wall + DAY) - (wall + DAY)]);
  const exact = [...offsets].map((o) => wall - o).filter((t) => clock(t) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // In a gap: search the jump between the two readings, to the minute.
  const guesses = [...offsets].map((o) => wall - o);
  let lo = Math.min(...guesses);
  let hi = Math.max(...guesses);
  if (clock(lo) >= wall) return lo;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (clock(mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

function earliest(now: number, timeZone: string, rule: Rule): number | undefined {
  const clock = wallClockOf(timeZone);
  const wall = clock(now);
  if (rule.allowed(minuteOfWall(wall))) return now;
  const midnight = wall - (((wall % DAY) + DAY) % DAY);
  let best: number | undefined;
  for (let day = 0; day <= 2; day++) {
    for (const opening of rule.openings) {
      const candidate = midnight + day * DAY + opening * MINUTE;
      if (candidate <= wall) continue;
      const at = instantOfWall(candidate, timeZone);
      if (at < now || !rule.allowed(minuteOfWall(clock(at)))) continue;
      if (best === undefined || at < best) best = at;
    }
    if (best !== undefined) return best;
  }
  return best;
}

/**
 * The earliest instant at or after `now` when a message may go. Urgent (a deadline is running):
 * outside quiet hours. Otherwise also inside the shift; a shift lying wholly inside quiet hours
 * (a night shift) leaves no such time, and then the shift alone decides, or the message would
 * never go.
 */
export function nextOnDuty(now: Date, hours: DutyHours, urgent: boolean): Date {
  const t = now.getTime();
  const at =
    earliest(t, hours.timeZone, ruleOf(hours, !urgent)) ??
    earliest(t, hours.timeZone, ruleOf({ ...hours, quietHours: { from: "00:00", to: "00:00" } }, !urgent)) ??
    t;
  return new Date(at);
}

/** Whether `at` falls in the quiet hours of the zone. */
export function inQuietHours(at: Date, hours: Omit<DutyHours, "shift">): boolean {
  return !ruleOf(hours, false).allowed(minuteOfWall(wallClockOf(hours.timeZone)(at.getTime())));
}

/** When the quiet hours that `at` falls in began (the last `quietHours.from` at or before it). */
export function quietHoursBegan(at: Date, hours: Omit<DutyHours, "shift">): Date {
  const wall = wallClockOf(hours.timeZone)(at.getTime());
  const midnight = wall - (((wall % DAY) + DAY) % DAY);
  let start = midnight + minuteOfClock(hours.quietHours.from) * MINUTE;
  if (start > wall) start -= DAY;
  return new Date(instantOfWall(start, hours.timeZone));
}

/** The local day (shop's zone) that `at` falls in, as the instants it begins and ends. */
export function localDayOf(at: Date, timeZone: string): { from: Date; to: Date } {
  const wall = wallClockOf(timeZone)(at.getTime());
  const midnight = wall - (((wall % DAY) + DAY) % DAY);
  return {
    from: new Date(instantOfWall(midnight, timeZone)),
    to: new Date(instantOfWall(midnight + DAY, timeZone)),
  };
}
