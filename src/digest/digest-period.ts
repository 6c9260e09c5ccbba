import { dayInZone, type Period, periodOfDay, previousPeriod } from "../engine/index.ts";
import type { DigestKind } from "./digest-config.ts";

/**
 * What a digest sent at an instant is about, in the team's shop zone: the daily one covers
 * yesterday, the weekly one the last full ISO week (Monday to Sunday), the monthly one last month.
 */
export function digestPeriod(kind: DigestKind, at: Date, timeZone: string): Period {
  const today = dayInZone(timeZone)(at.getTime());
  const current = periodOfDay(today, PERIOD_KIND[kind]);
  return previousPeriod(current);
}

export const PERIOD_KIND = { daily: "day", weekly: "week", monthly: "month" } as const;

export const KIND_OF_PERIOD = { day: "daily", week: "weekly", month: "monthly" } as const;
