/**
 * When the promotion seasons fall. The documents give promotion rules (大促: first response
 * ≤ 60 s [000], response efficiency 35% [001]) but no dates, so the dates are ours, set once for
 * every scheme: a scheme's season without `from`/`to` takes its window from this calendar by name,
 * and the configuration's `seasons` moves a window or adds one. A scheme that gives its own dates
 * keeps them (the built-in after-sales scheme runs 双11 on to 11-20, when returns peak).
 */

/** A window as written: month-days (`10-20`) recur every year, full dates (`2027-01-10`) do not. */
export interface SeasonWindow {
  from: string;
  to: string;
}

export type SeasonCalendar = Readonly<Record<string, SeasonWindow>>;

export const DEFAULT_SEASON_CALENDAR: SeasonCalendar = {
  // Pre-sales, warm-up and the day itself; the platforms open pre-orders about three weeks ahead.
  双11: { from: "10-20", to: "11-11" },
  "618": { from: "05-20", to: "06-18" },
  // Taobao's 年货节 moves with the Spring Festival; this is its usual span, set the year's dates.
  年货节: { from: "01-05", to: "01-20" },
};

/**
 * The scheme document with every season that names no dates given its window from the calendar.
 * Seasons the calendar does not know are left as they are (building the scheme names them).
 */
export function withSeasonWindows(
  document: unknown,
  calendar: SeasonCalendar = DEFAULT_SEASON_CALENDAR,
): unknown {
  if (!isRecord(document) || !Array.isArray(document.seasons)) return document;
  const seasons = document.seasons.map((season: unknown) => {
    if (!isRecord(season) || season.from !== undefined || season.to !== undefined) return season;
    const window = calendar[String(season.name)];
    return window ? { ...season, from: window.from, to: window.to } : season;
  });
  return { ...document, seasons };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
