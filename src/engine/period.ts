import { InvalidInput } from "./errors.ts";

/**
 * Calendar periods as day numbers (days since 1970-01-01, a Thursday). Days are the shop's
 * local calendar days; `dayInZone` turns an instant into one. Weeks are ISO weeks (Monday first).
 */

export type PeriodKind = "day" | "week" | "fortnight" | "month" | "quarter" | "year";

/** Kinds from the shortest: a card of a kind at least its scheme's assessment period is graded. */
export const PERIOD_KINDS: readonly PeriodKind[] = ["day", "week", "fortnight", "month", "quarter", "year"];

export interface Period {
  readonly kind: PeriodKind;
  readonly key: string;
  /** First and last day (inclusive), as day numbers. */
  readonly first: number;
  readonly last: number;
}

export const DEFAULT_TIME_ZONE = "Asia/Shanghai";
const MS_PER_DAY = 86_400_000;

export function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function dayKey(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function ymd(day: number): [year: number, month: number, date: number] {
  const d = new Date(day * MS_PER_DAY);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

/** Monday 0 … Sunday 6. */
export function weekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function makeDay(day: number): Period {
  return { kind: "day", key: dayKey(day), first: day, last: day };
}

function makeWeek(day: number): Period {
  const monday = day - weekday(day);
  const thursday = monday + 3;
  const [isoYear] = ymd(thursday);
  const week = Math.floor((thursday - dayNumber(isoYear, 1, 1)) / 7) + 1;
  return { kind: "week", key: `${isoYear}-W${pad(week)}`, first: monday, last: monday + 6 };
}

/**
 * Two-week blocks (双周, seed 002's assessment of trainees on probation), the same for the whole
 * shop so that trainees are compared over the same days: every other Monday from 1970-01-05.
 * Keyed by their first and last day, "2026-11-09~2026-11-22".
 */
function makeFortnight(day: number): Period {
  const first = day - ((((day - FORTNIGHT_EPOCH) % 14) + 14) % 14);
  return { kind: "fortnight", key: `${dayKey(first)}~${dayKey(first + 13)}`, first, last: first + 13 };
}

const FORTNIGHT_EPOCH = 4; // 1970-01-05, a Monday

function makeMonth(year: number, month: number): Period {
  const first = dayNumber(year, month, 1);
  const last = dayNumber(year, month + 1, 1) - 1;
  return { kind: "month", key: `${year}-${pad(month)}`, first, last };
}

function makeQuarter(year: number, quarter: number): Period {
  const first = dayNumber(year, quarter * 3 - 2, 1);
  const last = dayNumber(year, quarter * 3 + 1, 1) - 1;
  return { kind: "quarter", key: `${year}-Q${quarter}`, first, last };
}

function makeYear(year: number): Period {
  return {
    kind: "year",
    key: String(year),
    first: dayNumber(year, 1, 1),
    last: dayNumber(year + 1, 1, 1) - 1,
  };
}

/** The period of the given kind that contains `day`. */
export function periodOfDay(day: number, kind: PeriodKind): Period {
  const [year, month] = ymd(day);
  switch (kind) {
    case "day":
      return makeDay(day);
    case "week":
      return makeWeek(day);
    case "fortnight":
      return makeFortnight(day);
    case "month":
      return makeMonth(year, month);
    case "quarter":
      return makeQuarter(year, Math.ceil(month / 3));
    case "year":
      return makeYear(year);
  }
}

const patterns: [RegExp, (m: RegExpExecArray) => Period | undefined][] = [
  [/^(\d{4})-(\d{2})-(\d{2})$/, (m) => validDay(Number(m[1]), Number(m[2]), Number(m[3]))],
  [/^(\d{4})-W(\d{2})$/, (m) => isoWeek(Number(m[1]), Number(m[2]))],
  [/^(\d{4}-\d{2}-\d{2})~(\d{4}-\d{2}-\d{2})$/, (m) => fortnight(m[1]!, m[2]!)],
  [
    /^(\d{4})-(\d{2})$/,
    (m) => (inRange(Number(m[2]), 1, 12) ? makeMonth(Number(m[1]), Number(m[2])) : undefined),
  ],
  [/^(\d{4})-Q([1-4])$/, (m) => makeQuarter(Number(m[1]), Number(m[2]))],
  [/^(\d{4})$/, (m) => makeYear(Number(m[1]))],
];

const cache = new Map<string, Period>();

/** Reads "2026-11-23", "2026-W47", "2026-11-09~2026-11-22" (a fortnight), "2026-11", "2026-Q4" or "2026". */
export function parsePeriod(key: string): Period {
  const hit = cache.get(key);
  if (hit) return hit;
  const text = key.trim();
  for (const [pattern, build] of patterns) {
    const m = pattern.exec(text);
    if (!m) continue;
    const period = build(m);
    if (!period) break;
    if (cache.size < 100_000) cache.set(key, period);
    return period;
  }
  throw new InvalidInput(
    "",
    `"${key}" is not a period: write a day 2026-11-23, an ISO week 2026-W47, a month 2026-11, a quarter 2026-Q4 or a year (a fortnight is written 2026-11-09~2026-11-22)`,
  );
}

/** Reads a calendar date "YYYY-MM-DD" into a day number. */
export function parseDay(text: string): number {
  const period = parsePeriod(text);
  if (period.kind !== "day") throw new InvalidInput("", `"${text}" is not a date (YYYY-MM-DD)`);
  return period.first;
}

function inRange(n: number, lo: number, hi: number): boolean {
  return n >= lo && n <= hi;
}

function validDay(year: number, month: number, date: number): Period | undefined {
  const day = dayNumber(year, month, date);
  const [y, m, d] = ymd(day);
  return y === year && m === month && d === date ? makeDay(day) : undefined;
}

function fortnight(from: string, to: string): Period | undefined {
  const first = validDay(...(from.split("-").map(Number) as [number, number, number]));
  if (!first) return undefined;
  const period = makeFortnight(first.first);
  return period.key === `${from}~${to}` ? period : undefined;
}

function isoWeek(year: number, week: number): Period | undefined {
  const jan4 = dayNumber(year, 1, 4);
  const monday = jan4 - weekday(jan4) + (week - 1) * 7;
  const period = makeWeek(monday);
  return week >= 1 && period.key === `${year}-W${pad(week)}` ? period : undefined;
}

export function containsPeriod(outer: Period, inner: Period): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

export function periodDays(period: Period): number {
  return period.last - period.first + 1;
}

/** The period of the same kind just before this one (last month, last week …). */
export function previousPeriod(period: Period): Period {
  return periodOfDay(period.first - 1, period.kind);
}

/**
 * Returns a function from an instant (ms since epoch) to the same wall-clock time in `timeZone`
 * expressed as if it were UTC: local day = floor(result / 86,400,000), local minute of the day =
 * floor((result mod 86,400,000) / 60,000). Offsets are looked up once per hour of time seen, so
 * calling it per message stays cheap.
 */
export function localTimeIn(timeZone: string = DEFAULT_TIME_ZONE): (epochMs: number) => number {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  });
  const offsets = new Map<number, number>();
  let lastHour = Number.NaN;
  let lastOffset = 0;
  const offsetAt = (epochMs: number): number => {
    const hour = Math.floor(epochMs / 3_600_000);
    if (hour === lastHour) return lastOffset;
    let offset = offsets.get(hour);
    if (offset === undefined) {
      const parts: Record<string, number> = {};
      for (const p of format.formatToParts(hour * 3_600_000)) parts[p.type] = Number(p.value);
      const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
      offset = local - hour * 3_600_000;
      if (offsets.size > 50_000) offsets.clear();
      offsets.set(hour, offset);
    }
    lastHour = hour;
    lastOffset = offset;
    return offset;
  };
  return (epochMs) => epochMs + offsetAt(epochMs);
}

const dayFunctions = new Map<string, (epochMs: number) => number>();

/**
 * Returns a function from an instant (ms since epoch) to the local day number in `timeZone`.
 * One per zone, kept: building an Intl.DateTimeFormat costs more than a chat command's answer.
 */
export function dayInZone(timeZone: string = DEFAULT_TIME_ZONE): (epochMs: number) => number {
  let day = dayFunctions.get(timeZone);
  if (!day) {
    const local = localTimeIn(timeZone);
    day = (epochMs) => Math.floor(local(epochMs) / MS_PER_DAY);
    dayFunctions.set(timeZone, day);
  }
  return day;
}
