import { dayNumber, type Period, periodDays } from "./period.ts";
import type { SeasonDate, SeasonSpec } from "./scheme-types.ts";

/**
 * Which seasons (Double 11, 618, a new-product launch …) govern a scoring period. A season with
 * month-day dates recurs every year and may run across New Year (12-20 … 01-05).
 */

function absoluteRanges(season: SeasonSpec, period: Period): [number, number][] {
  const { from, to } = season;
  if (from.year !== undefined && to.year !== undefined) {
    return [[at(from, from.year), at(to, to.year)]];
  }
  const firstYear = new Date(period.first * 86_400_000).getUTCFullYear() - 1;
  const lastYear = new Date(period.last * 86_400_000).getUTCFullYear();
  const wraps = to.month * 100 + to.day < from.month * 100 + from.day;
  const ranges: [number, number][] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    ranges.push([at(from, year), at(to, wraps ? year + 1 : year)]);
  }
  return ranges;
}

function at(date: SeasonDate, year: number): number {
  return dayNumber(year, date.month, date.day);
}

/** Days of `period` that fall inside the season. */
export function overlapDays(season: SeasonSpec, period: Period): number {
  let days = 0;
  for (const [start, end] of absoluteRanges(season, period)) {
    const lo = Math.max(start, period.first);
    const hi = Math.min(end, period.last);
    if (hi >= lo) days += hi - lo + 1;
  }
  return days;
}

/**
 * A season governs a period when enough of the period falls in it: any day of it, at least half
 * of its days (the default, so a month mostly spent in Double 11 is judged by Double 11's rules),
 * or all of its days.
 */
export function seasonApplies(season: SeasonSpec, period: Period, roleId: string): boolean {
  if (season.roles && !season.roles.includes(roleId)) return false;
  const days = overlapDays(season, period);
  switch (season.applyWhen) {
    case "any-day":
      return days > 0;
    case "half":
      return days > 0 && days * 2 >= periodDays(period);
    case "all-days":
      return days === periodDays(period);
  }
}
