import { dayKey, dayNumber, type Period, periodDays } from "./period.ts";
import type { Scheme, SeasonDate, SeasonSpec } from "./scheme-types.ts";

/**
 * Which seasons (Double 11, 618, a new-product launch …) govern which days. A season with
 * month-day dates recurs every year and may run across New Year (12-20 … 01-05). A period is
 * scored day by day under its seasons: a month that Double 11 covers for eleven days is cut into
 * stretches (segments), each judged by its own rules (segments.ts says how they are combined).
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

/** The days of `period` the season covers, as ranges of day numbers. */
export function seasonRanges(season: SeasonSpec, period: Period): [number, number][] {
  const out: [number, number][] = [];
  for (const [start, end] of absoluteRanges(season, period)) {
    const lo = Math.max(start, period.first);
    const hi = Math.min(end, period.last);
    if (hi >= lo) out.push([lo, hi]);
  }
  return out;
}

/** Days of `period` that fall inside the season. */
export function overlapDays(season: SeasonSpec, period: Period): number {
  return seasonRanges(season, period).reduce((days, [lo, hi]) => days + hi - lo + 1, 0);
}

/** The role's seasons, in the scheme's order (the order they are applied in). */
function roleSeasons(scheme: Scheme, roleId: string): SeasonSpec[] {
  return scheme.seasons.filter((s) => !s.roles || s.roles.includes(roleId));
}

/** A stretch of a period under one set of seasons (none, for everyday rules). */
export interface Segment {
  /** First and last day, as day numbers. */
  readonly first: number;
  readonly last: number;
  readonly seasons: readonly SeasonSpec[];
}

const segmentCache = new WeakMap<Scheme, Map<string, readonly Segment[]>>();

/**
 * The period cut where the role's seasons begin and end: one segment when the same seasons hold
 * on every day (or none do), more when a season covers only part of it.
 */
export function seasonSegments(scheme: Scheme, roleId: string, period: Period): readonly Segment[] {
  let byKey = segmentCache.get(scheme);
  if (!byKey) {
    byKey = new Map();
    segmentCache.set(scheme, byKey);
  }
  const key = `${roleId}\u0000${period.key}`;
  let segments = byKey.get(key);
  if (!segments) {
    segments = cut(roleSeasons(scheme, roleId), period);
    byKey.set(key, segments);
  }
  return segments;
}

function cut(seasons: readonly SeasonSpec[], period: Period): Segment[] {
  const ranges = seasons.map((s) => seasonRanges(s, period));
  const activeOn = (day: number) =>
    seasons.filter((_, i) => ranges[i]!.some(([lo, hi]) => day >= lo && day <= hi));
  // Only where a season starts or ends can the set change: walk those days, not every day.
  const edges = new Set<number>([period.first]);
  for (const list of ranges)
    for (const [lo, hi] of list) {
      edges.add(lo);
      if (hi < period.last) edges.add(hi + 1);
    }
  const starts = [...edges].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (const [i, first] of starts.entries()) {
    const last = (starts[i + 1] ?? period.last + 1) - 1;
    const active = activeOn(first);
    const previous = segments[segments.length - 1];
    if (previous && sameSeasons(previous.seasons, active))
      segments[segments.length - 1] = { ...previous, last };
    else segments.push({ first, last, seasons: active });
  }
  return segments;
}

function sameSeasons(a: readonly SeasonSpec[], b: readonly SeasonSpec[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** Days in a segment. */
export const segmentDays = (segment: { first: number; last: number }): number =>
  segment.last - segment.first + 1;

/** A season's days within a period, as a card lists them: 双11 2026-11-01 … 2026-11-11. */
export interface SeasonDays {
  season: string;
  first: string;
  last: string;
}

export function seasonDaysOf(segments: readonly Segment[]): SeasonDays[] {
  const out: SeasonDays[] = [];
  for (const segment of segments)
    for (const season of segment.seasons) {
      const open = out.findLast((d) => d.season === season.name);
      if (open && open.last === dayKey(segment.first - 1)) open.last = dayKey(segment.last);
      else out.push({ season: season.name, first: dayKey(segment.first), last: dayKey(segment.last) });
    }
  return out;
}

/** Whether the period lies wholly inside one set of seasons (one plan serves every day). */
export const isWhole = (segments: readonly Segment[], period: Period): boolean =>
  segments.length === 1 && segmentDays(segments[0]!) === periodDays(period);
