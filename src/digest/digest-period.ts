import { dayInZone, type Period, periodOfDay, previousPeriod } from "../engine/index.ts";
import type { DigestKind } from "./digest-config.ts";

/**
 * What a digest sent at an instant is about, in the team's shop zone: the daily one covers
 * yesterday, the weekly one the last full ISO week (Monday to Sunday), the monthly one last month.
 */
export function digestPeriod(kind: DigestKind, at: Date, timeZone: string): Period {
  return lastCompletePeriod(kind, dayInZone(timeZone)(at.getTime()));
}

/** The last complete day, ISO week or month before `today` (a day number on the shop's calendar). */
export function lastCompletePeriod(kind: DigestKind, today: number): Period {
  return previousPeriod(periodOfDay(today, PERIOD_KIND[kind]));
}

export const PERIOD_KIND = { daily: "day", weekly: "week", monthly: "month" } as const;

export const KIND_OF_PERIOD = { day: "daily", week: "weekly", month: "monthly" } as const;
