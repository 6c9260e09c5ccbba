import { dayKey, type MetricValues } from "../../engine/index.ts";
import { isTrainingDay, promotionVolume, slowdown, weekdayVolume } from "./calendar.ts";
import { binomial, clamp, integer, normal, poisson, type Random, streamOf, uniform } from "./random.ts";
import type { TeamKind } from "./roster.ts";
import type { Traits } from "./traits.ts";

/**
 * One agent's working day as numerators and denominators, the way the platforms count them
 * (see the chat-log analyser's rowValues): sums of seconds over sessions, events over sessions.
 * The counts behind the facts come back too, so facts and figures always agree.
 */

export interface AgentDay {
  values: MetricValues;
  /** Sessions left more than 5 minutes without a reply. */
  longWaits: number;
  /** Scores (1–3) of the ratings below 4. */
  lowRatings: number[];
  badReviews: number;
}

const pair = (num: number, den: number) => ({ num, den });
const noise = (rng: Random, sd: number) => Math.exp(normal(rng, 0, sd));

function put(values: MetricValues, id: string, num: number, den: number): void {
  // Like the platforms' exports, a ratio without a denominator is left out rather than 0/0.
  if (den > 0) values[id] = pair(num, den);
}

/** Sessions, response times and ratings: every agent's figures whatever their team. */
function service(rng: Random, t: Traits, n: number, slow: number, values: MetricValues): AgentDay {
  const frt = t.frt * slow * noise(rng, 0.1);
  values.receptions = pair(n, 1);
  values.first_response_time = pair(Math.round(frt * n), n);
  const rounds = Math.round(n * uniform(rng, 3, 5));
  values.avg_response_time = pair(Math.round(t.art * slow * noise(rng, 0.1) * rounds), rounds);
  values.response_30s_rate = pair(binomial(rng, n, clamp(1.02 - 0.0045 * frt, 0.5, 0.995)), n);
  values.reply_rate = pair(n - binomial(rng, n, 0.002 * slow), n);
  const longWaits = Math.min(n, poisson(rng, n * 0.0015 * (frt / 20) ** 2));
  values.long_wait_count = pair(longWaits, 1);
  values.transfer_rate = pair(binomial(rng, n, t.transfer), n);
  const ratings = binomial(rng, n, t.rating);
  const satisfied = binomial(rng, ratings, t.csat - 0.02 * (slow - 1));
  const lowRatings = Array.from({ length: ratings - satisfied }, () => integer(rng, 1, 3));
  let scoreSum = lowRatings.reduce((a, s) => a + s, 0);
  for (let i = 0; i < satisfied; i++) scoreSum += rng() < 0.82 ? 5 : 4;
  put(values, "csat_rate", satisfied, ratings);
  put(values, "csat_score", scoreSum, ratings);
  values.review_rate = pair(ratings, n);
  values.complaint_rate = pair(binomial(rng, n, t.complaint * slow), n);
  const checked = Math.min(n, integer(rng, 10, 20));
  values.script_compliance = pair(binomial(rng, checked, t.script), checked);
  values.resolution_rate = pair(binomial(rng, n, t.resolution), n);
  return { values, longWaits, lowRatings, badReviews: 0 };
}

/** The month's AOV level against the agent's usual: what AOV uplift compares month to month. */
function monthAov(seed: number, index: number, day: number): number {
  const month = Number(dayKey(day).slice(0, 7).replace("-", ""));
  return uniform(streamOf(seed, index, month, 0xa0f), 0.96, 1.1);
}

function presales(
  rng: Random,
  t: Traits,
  n: number,
  volume: number,
  day: AgentDay,
  aovLevel: number,
): number {
  const v = day.values;
  const inquiries = Math.round(n * uniform(rng, 0.75, 0.9));
  // Promotion shoppers come decided: conversion and basket size rise with the traffic.
  const boost = 1 + 0.04 * (volume - 1);
  const converted = binomial(rng, inquiries, t.conversion * boost);
  put(v, "conversion_rate", converted, inquiries);
  const orders = converted + binomial(rng, converted, 0.1);
  const sales = Math.round(orders * t.aov * aovLevel * boost * noise(rng, 0.08) * 100) / 100;
  v.sales_amount = pair(sales, 1);
  put(v, "aov", sales, orders);
  put(v, "cross_sell_rate", binomial(rng, orders, t.crossSell), orders);
  return binomial(rng, orders, 0.35);
}

function aftersales(rng: Random, t: Traits, n: number, slow: number, v: MetricValues): number {
  v.dispute_rate = pair(binomial(rng, n, t.dispute), n);
  const returns = Math.round(n * uniform(rng, 0.15, 0.3));
  put(v, "return_audit_24h", binomial(rng, returns, t.returnAudit - 0.04 * (slow - 1)), returns);
  const orders = Math.round(n * uniform(rng, 0.8, 1.2));
  put(v, "return_rate", binomial(rng, orders, t.returnRate), orders);
  v.repurchase_rate = pair(binomial(rng, n, t.repurchase), n);
  return binomial(rng, n, 0.12);
}

export interface DayInput {
  seed: number;
  index: number;
  kind: TeamKind;
  day: number;
  traits: Traits;
}

/** A worked day's figures. */
export function workedDay({ seed, index, kind, day, traits }: DayInput): AgentDay {
  const rng = streamOf(seed, index, day, 0xd1);
  const volume = promotionVolume(day, kind);
  const slow = slowdown(volume);
  const n = Math.max(5, Math.round(traits.receptions * volume * weekdayVolume(day) * noise(rng, 0.12)));
  const result = service(rng, traits, n, slow, {});
  const reviews =
    kind === "presales"
      ? presales(rng, traits, n, volume, result, monthAov(seed, index, day))
      : aftersales(rng, traits, n, slow, result.values);
  result.badReviews = binomial(rng, reviews, traits.badReview * (1 + 0.15 * (volume - 1)));
  put(result.values, "bad_review_rate", result.badReviews, reviews);
  result.values.attendance_rate = pair(1, 1);
  if (isTrainingDay(day)) result.values.training_participation = pair(rng() < 0.95 ? 1 : 0, 1);
  return result;
}

/** A scheduled day the agent did not come: it counts against attendance (and a missed training). */
export function absentDay(day: number): MetricValues {
  const values: MetricValues = { attendance_rate: pair(0, 1) };
  if (isTrainingDay(day)) values.training_participation = pair(0, 1);
  return values;
}
