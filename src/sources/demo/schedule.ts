import { isPeak, mondayOf } from "./calendar.ts";
import { integer, streamOf } from "./random.ts";

/**
 * Who works when: one rest day a week that moves from week to week, a second one every other
 * week or so (5–6 working days a week), nobody resting on peak days, and a rare unplanned
 * absence, which counts against attendance.
 */

export type WorkDay = "work" | "off" | "absent";

export function isWorkDay(seed: number, index: number, day: number): WorkDay {
  const monday = mondayOf(day);
  const week = streamOf(seed, index, monday, 0x3e5);
  const rest = integer(week, 0, 6);
  const second = week() < 0.55 ? (rest + integer(week, 2, 5)) % 7 : -1;
  const peak = isPeak(day);
  const weekdayIndex = day - monday;
  if (!peak && (weekdayIndex === rest || weekdayIndex === second)) return "off";
  const absent = !peak && streamOf(seed, index, day, 0xab5)() < 0.008;
  return absent ? "absent" : "work";
}
