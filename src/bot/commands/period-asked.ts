// The engine's own files, not its index: `kpi` checks a --period with this before it loads the engine.
import { InvalidInput } from "../../engine/errors.ts";
import { type Period, parsePeriod, periodOfDay, previousPeriod } from "../../engine/period.ts";
import { PERIOD_WORDS, type PeriodAsked, type PeriodWord } from "./command.ts";

/**
 * Periods as people ask for them, the same in every command (`/kpi`, `kpi chat`, `kpi score`,
 * `kpi digest`): a word of PERIOD_WORDS relative to today, or a period key (a day 2026-11-23,
 * an ISO week 2026-W47, a month 2026-11, a quarter 2026-Q4; the engine's other keys, a year or a
 * fortnight, too).
 */

const wordOf = new Map<string, PeriodWord>();
for (const word of Object.keys(PERIOD_WORDS) as PeriodWord[])
  for (const text of PERIOD_WORDS[word]) wordOf.set(text.toLowerCase(), word);

/** A period word (any language, any case) or a valid period key; undefined for anything else. */
export function readPeriodAsked(text: string): PeriodAsked | undefined {
  const word = wordOf.get(text.trim().toLowerCase());
  if (word) return { word };
  try {
    return { key: parsePeriod(text.trim()).key };
  } catch (error) {
    if (error instanceof InvalidInput) return undefined;
    throw error;
  }
}

/**
 * A period as asked, on the shop's calendar: `today` is today where the shop is (Asia/Shanghai
 * for most); `week` and `month` are this ISO week (Monday first) and this month so far,
 * `last-week` and `last-month` the last complete ones (`last-month` on 1 December is November).
 */
export function resolvePeriod(asked: PeriodAsked, today: number): Period {
  if ("key" in asked) return parsePeriod(asked.key);
  switch (asked.word) {
    case "today":
      return periodOfDay(today, "day");
    case "yesterday":
      return periodOfDay(today - 1, "day");
    case "week":
      return periodOfDay(today, "week");
    case "last-week":
      return previousPeriod(periodOfDay(today, "week"));
    case "month":
      return periodOfDay(today, "month");
    case "last-month":
      return previousPeriod(periodOfDay(today, "month"));
  }
}
