/**
 * Rules over daily figures (agent-days): a figure that jumps far from the agent's own past
 * (robust z-score on the median and MAD of their previous days), and rating invitations crowded
 * into the last days of the month.
 */
import { dayKey, parseDay, parsePeriod, periodOfDay } from "../period.ts";
import { mad, median, rounded, twoProportionZ } from "./stats.ts";
import type { GamingThresholds } from "./thresholds.ts";
import type { GamingFinding } from "./week-rules.ts";

/** One metric's numerator and denominator for one agent-day. */
export interface DailyFigure {
  day: string;
  metric: string;
  num: number;
  den: number;
}

/** The ISO week ("2026-W47") a day falls in. */
export function isoWeekOf(day: string): string {
  return periodOfDay(parseDay(day), "week").key;
}

/**
 * Figures of `weekDays` (the judged week's days) against the agent's days before it: fires per
 * watched metric whose pooled week value is minWeekZ robust SDs better than the past median and
 * whose days are mostly beyond dayZ. The first metric that fires is the finding; the others that
 * fired are in its numbers.
 */
export function judgeFigureJump(
  week: string,
  figures: readonly DailyFigure[],
  thresholds: GamingThresholds,
): GamingFinding | undefined {
  const t = thresholds.figureJump;
  const period = parsePeriod(week);
  const firstPast = dayKey(period.first - t.historyDays);
  const firstDay = dayKey(period.first);
  const lastDay = dayKey(period.last);
  const fired: { metric: string; z: number; numbers: Record<string, number>; days: string[] }[] = [];
  for (const watched of t.metrics) {
    const rows = figures.filter((f) => f.metric === watched.metric && f.den >= t.minDenominator);
    const past = rows.filter((f) => f.day >= firstPast && f.day < firstDay);
    const current = rows.filter((f) => f.day >= firstDay && f.day <= lastDay);
    if (past.length < t.minHistoryDays || current.length === 0) continue;
    const values = past.map((f) => f.num / f.den);
    const centre = median(values);
    // A rate over few cases (满意率 of ten ratings) swings by chance more than its MAD may show.
    const typicalDen = median(past.map((f) => f.den));
    const chanceSd = watched.proportion ? Math.sqrt((centre * (1 - centre)) / typicalDen) : 0;
    const scale = Math.max(1.4826 * Math.max(mad(values), watched.madFloor), chanceSd);
    const sign = watched.direction === "up" ? 1 : -1;
    const pooled = current.reduce((s, f) => s + f.num, 0) / current.reduce((s, f) => s + f.den, 0);
    const weekZ = (sign * (pooled - centre)) / scale;
    const highDays = current.filter((f) => (sign * (f.num / f.den - centre)) / scale >= t.dayZ);
    const needed = Math.max(2, Math.ceil(t.minDayShare * current.length));
    if (weekZ >= t.minWeekZ && highDays.length >= needed)
      fired.push({
        metric: watched.metric,
        z: weekZ,
        numbers: {
          pastMedian: rounded(centre),
          pastMad: rounded(mad(values)),
          weekValue: rounded(pooled),
          z: rounded(weekZ, 1),
          pastDays: past.length,
          weekDays: current.length,
          highDays: highDays.length,
        },
        days: highDays.map((f) => f.day),
      });
  }
  const first = fired.sort((a, b) => b.z - a.z)[0];
  if (!first) return undefined;
  return {
    kind: "figure_jump",
    rule: first.metric,
    numbers: first.numbers,
    examples: fired.map((f) => ({ metric: f.metric, z: rounded(f.z, 1), days: f.days })),
  };
}

/** The last day of each month that ends inside the ISO week (none for most weeks). */
export function monthEndsIn(week: string): string[] {
  const period = parsePeriod(week);
  const ends: string[] = [];
  for (let d = period.first; d <= period.last; d++)
    if (periodOfDay(d, "month").last === d) ends.push(dayKey(d));
  return ends;
}

/**
 * Invitations crowded into the month's last `tailDays` days: judged in the ISO week that holds
 * the month's last day, over the whole month's daily invite_rate figures (invitations ÷ receptions).
 */
export function judgeInviteTiming(
  week: string,
  inviteFigures: readonly DailyFigure[],
  thresholds: GamingThresholds,
): GamingFinding | undefined {
  const t = thresholds.inviteTiming;
  for (const end of monthEndsIn(week)) {
    const month = periodOfDay(parseDay(end), "month");
    const tailFrom = dayKey(month.last - t.tailDays + 1);
    const monthFirst = dayKey(month.first);
    const rows = inviteFigures.filter((f) => f.day >= monthFirst && f.day <= end);
    const tail = rows.filter((f) => f.day >= tailFrom);
    const rest = rows.filter((f) => f.day < tailFrom);
    const sum = (list: readonly DailyFigure[], field: "num" | "den") =>
      list.reduce((s, f) => s + f[field], 0);
    const tailInvites = sum(tail, "num");
    const tailReceptions = sum(tail, "den");
    const restInvites = sum(rest, "num");
    const restReceptions = sum(rest, "den");
    if (tailReceptions < t.minTailReceptions || restReceptions < t.minRestReceptions) continue;
    if (tailInvites < t.minTailInvites) continue;
    const tailRate = tailInvites / tailReceptions;
    const restRate = restInvites / restReceptions;
    const z = twoProportionZ(tailInvites, tailReceptions, restInvites, restReceptions);
    if (tailRate < t.minRateRatio * Math.max(restRate, 0.01) || z < t.minZ) continue;
    return {
      kind: "invite_timing",
      rule: "month_end",
      numbers: {
        tailDays: t.tailDays,
        tailInvites,
        tailReceptions,
        tailRate: rounded(tailRate),
        restInvites,
        restReceptions,
        restRate: rounded(restRate),
        z: rounded(z, 1),
      },
      examples: [{ month: month.key, from: tailFrom, to: end }],
    };
  }
  return undefined;
}
