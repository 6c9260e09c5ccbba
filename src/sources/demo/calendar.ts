import { dayKey, InvalidInput, parseDay, weekday } from "../../engine/index.ts";
import type { TeamKind } from "./roster.ts";

/**
 * The shop's calendar as plain day numbers (days since 1970-01-01, no time zone involved):
 * the big promotions' traffic, and how much slower replies get under it.
 */

/** A YYYY-MM-DD day as a day number; `option` names it in the error. */
export function dayOfKey(key: string, option: string): number {
  try {
    const day = parseDay(key);
    if (dayKey(day) === key) return day;
  } catch (error) {
    if (!(error instanceof InvalidInput)) throw error;
  }
  throw new InvalidInput(option, `"${key}" is not a day (YYYY-MM-DD)`);
}

function monthDay(day: number): number {
  const key = dayKey(day);
  return Number(key.slice(5, 7)) * 100 + Number(key.slice(8, 10));
}

/**
 * Traffic against an ordinary day, by month-day: Double 11's pre-sale (deposits from Oct 20,
 * the first payment wave on Oct 31), the day itself and the after-sales wave behind it; 618
 * likewise; Double 12 a little. After-sales feels the returns a few days later.
 */
const PROMOTIONS: [from: number, to: number, presales: number, aftersales: number][] = [
  [1020, 1030, 1.35, 1.15],
  [1031, 1103, 1.9, 1.4],
  [1104, 1109, 1.4, 1.3],
  [1110, 1110, 2.3, 1.6],
  [1111, 1111, 4.2, 3.2],
  [1112, 1112, 2.2, 3],
  [1113, 1120, 1.15, 1.7],
  [601, 616, 1.3, 1.15],
  [617, 617, 1.8, 1.4],
  [618, 618, 3.6, 2.8],
  [619, 625, 1.1, 1.5],
  [1212, 1212, 1.8, 1.3],
];

export function promotionVolume(day: number, kind: TeamKind): number {
  const md = monthDay(day);
  for (const [from, to, presales, aftersales] of PROMOTIONS) {
    if (md >= from && md <= to) return kind === "presales" ? presales : aftersales;
  }
  return 1;
}

/** Weekends bring a little more traffic. */
export function weekdayVolume(day: number): number {
  return weekday(day) >= 5 ? 1.12 : 1;
}

/** Replies slow down as traffic rises: ×2 response time at four times the traffic. */
export function slowdown(volume: number): number {
  return 1 + 0.33 * Math.max(0, volume - 1);
}

/** Peak days: everybody works (全员在岗), no rest days taken. */
export function isPeak(day: number): boolean {
  return promotionVolume(day, "presales") >= 2 || promotionVolume(day, "aftersales") >= 2;
}

/** Weekly product training on Tuesdays; trainees' quiz on Thursdays. */
export const isTrainingDay = (day: number) => weekday(day) === 1;
export const isQuizDay = (day: number) => weekday(day) === 3;

export function isMonthEnd(day: number): boolean {
  return dayKey(day + 1).endsWith("-01");
}

export function mondayOf(day: number): number {
  return day - weekday(day);
}
