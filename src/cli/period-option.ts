import { PERIOD_WORDS } from "../bot/commands/command.ts";
import { readPeriodAsked, resolvePeriod } from "../bot/commands/period-asked.ts";
// The engine's own files, not its index: `kpi` checks a --period before it loads the engine.
import { InvalidInput } from "../engine/errors.ts";
import { dayKey, type Period, periodOfDay } from "../engine/period.ts";

/**
 * `--period` as every command reads it: the /kpi commands' period words (PERIOD_WORDS) counted
 * from `today` (a day number on the shop's calendar), or a period key. `day` and `quarter`, the
 * kinds earlier versions took here, are retired: what to write instead is said in their place.
 */
export function periodOption(option: string, value: string, today: number): Period {
  const asked = readPeriodAsked(value);
  if (asked) return resolvePeriod(asked, today);
  throw new InvalidInput(option, insteadOf(value.trim(), today));
}

const PERIODS_HELP =
  'a word (today, yesterday, week, last-week, month, last-month, or their Chinese 本周, 上月 …) or a key (2026-11-23, 2026-W47, 2026-11, 2026-Q4), as README\'s "Periods" lists them';

function insteadOf(value: string, today: number): string {
  switch (value.toLowerCase()) {
    case "day":
      return `"day" is no longer a period word: did you mean yesterday (${dayKey(today - 1)}), the last complete day? today and a day's key (${dayKey(today)}) work too`;
    case "quarter":
      return `"quarter" is no longer a period word: did you mean ${periodOfDay(today, "quarter").key}, this quarter so far? A quarter is written as its key`;
    default: {
      const close = closeWord(value);
      return `"${value}" is not a period: ${close ? `did you mean ${close}? Or ` : ""}write ${PERIODS_HELP}`;
    }
  }
}

/** A period word written with other separators or none: lastweek, last_week, "last week". */
function closeWord(value: string): string | undefined {
  const key = (text: string) => text.toLowerCase().replace(/[\s_-]/g, "");
  const wanted = key(value);
  for (const words of Object.values(PERIOD_WORDS))
    for (const word of words) if (key(word) === wanted) return word;
  return undefined;
}
