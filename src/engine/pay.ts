import { FULL_WEIGHT } from "./plan.ts";
import type { Scheme } from "./scheme-types.ts";
import { roundTo } from "./units.ts";

/**
 * Monthly pay by seed 002's split, "底薪 + 绩效 + 奖金": the base part (60%) follows attendance,
 * the performance part (25%) the grade's coefficient, the bonus part (15%) the bonus items'
 * scores (conversion …, so beating their targets pays more, up to the item cap); 超额奖励 (seed
 * 000: conversion 20% over target earns 100 yuan more) comes on top. Without a salary the card
 * still carries the factors, which is what a supervisor's table shows.
 */

export interface PayBreakdown {
  /** Attendance, at most 100%; 1 when the month has no attendance figure (nothing to cut by). */
  baseFactor: number;
  performanceFactor: number;
  bonusFactor: number;
  /** The 超额奖励 rules met, in yuan. */
  extras: { metric: string; amount: number }[];
  /** Amounts, when the agent's salary is known. */
  salary?: number;
  base?: number;
  performance?: number;
  bonus?: number;
  extra?: number;
  total?: number;
}

/** What pay reads of a card's items. */
interface PaidItem {
  metric: string;
  target: number;
  actual: number | null;
  score: number | null;
}

export function payFor(
  scheme: Scheme,
  items: readonly PaidItem[],
  coefficient: number,
  salary: number | undefined,
): PayBreakdown | undefined {
  const split = scheme.pay;
  if (!split) return undefined;
  const item = (metric: string) => items.find((i) => i.metric === metric && i.actual !== null);
  const attendance = item(split.baseFollows)?.actual;
  const baseFactor =
    attendance === undefined || attendance === null ? 1 : Math.min(1, Math.max(0, attendance));
  const bonusItems = split.bonusMetrics.flatMap((m) => {
    const scored = items.find((i) => i.metric === m && i.score !== null);
    return scored ? [scored] : [];
  });
  // A role with none of the bonus items is paid its bonus by the grade, as the performance part.
  const bonusFactor =
    bonusItems.length === 0
      ? coefficient
      : roundTo(bonusItems.reduce((a, i) => a + i.score!, 0) / bonusItems.length / 100, 4);
  const extras = split.extraRewards.flatMap((rule) => {
    const scored = item(rule.metric);
    if (!scored) return [];
    const up = scheme.catalogue.get(rule.metric)?.direction !== "down";
    const bar = scored.target * (up ? 1 + rule.over : 1 - rule.over);
    const met = up ? scored.actual! >= bar - 1e-12 : scored.actual! <= bar + 1e-12;
    return met ? [{ metric: rule.metric, amount: rule.amount }] : [];
  });
  const pay: PayBreakdown = { baseFactor, performanceFactor: coefficient, bonusFactor, extras };
  if (salary === undefined) return pay;
  const part = (bp: number, factor: number) => roundTo(((salary * bp) / FULL_WEIGHT) * factor, 2);
  const base = part(split.baseBp, baseFactor);
  const performance = part(split.performanceBp, coefficient);
  const bonus = part(split.bonusBp, bonusFactor);
  const extra = extras.reduce((a, e) => a + e.amount, 0);
  return {
    ...pay,
    salary,
    base,
    performance,
    bonus,
    extra,
    total: roundTo(base + performance + bonus + extra, 2),
  };
}
