import { DEFAULT_TIME_ZONE, localTimeIn } from "../engine/index.ts";

/** "11-30 14:05" as the shop's staff read their clocks (review times, deadlines, decisions). */
export function shopClock(epochMs: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const local = new Date(localTimeIn(timeZone)(epochMs)).toISOString();
  return `${local.slice(5, 10)} ${local.slice(11, 16)}`;
}
