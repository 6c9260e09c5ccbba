import { type Period, parsePeriod, periodOfDay, previousPeriod } from "../../engine/index.ts";
import type { PeriodAsked } from "./command.ts";

/**
 * A period as asked, on the shop's calendar: `today` is today where the shop is (Asia/Shanghai
 * for most), weeks start on Monday, `last-month` on 1 December is November.
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
