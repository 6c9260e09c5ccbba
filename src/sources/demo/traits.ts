import { clamp, type Random, streamOf, uniform } from "./random.ts";
import { type DemoAgent, shiftStartOf } from "./roster.ts";

/**
 * Each agent's own level on every figure, drawn once per seed: most meet the built-in targets
 * with room to spare, the struggling few (roster.ts) sit below them, trainees start below and
 * learn over their first six weeks.
 */
export interface Traits {
  /** Sessions on an ordinary weekday. */
  receptions: number;
  /** Seconds. */
  frt: number;
  art: number;
  /** Probabilities. */
  transfer: number;
  rating: number;
  csat: number;
  complaint: number;
  script: number;
  badReview: number;
  resolution: number;
  conversion: number;
  crossSell: number;
  /** Yuan per order. */
  aov: number;
  dispute: number;
  returnAudit: number;
  returnRate: number;
  repurchase: number;
  /** Shift start hour: early 09:00–18:00 or late 14:00–23:00. */
  shiftStart: number;
}

function base(rng: Random, agent: DemoAgent): Traits {
  const presales = agent.kind === "presales";
  return {
    receptions: presales ? uniform(rng, 70, 125) : uniform(rng, 60, 110),
    frt: uniform(rng, 16, 33),
    art: uniform(rng, 28, 58),
    transfer: uniform(rng, 0.01, 0.05),
    rating: uniform(rng, 0.08, 0.15),
    csat: uniform(rng, 0.885, 0.97),
    complaint: uniform(rng, 0.004, 0.011),
    script: uniform(rng, 0.965, 0.995),
    badReview: uniform(rng, 0.006, 0.018),
    resolution: uniform(rng, 0.82, 0.94),
    conversion: uniform(rng, 0.13, 0.24),
    crossSell: uniform(rng, 0.17, 0.28),
    aov: uniform(rng, 180, 320),
    dispute: uniform(rng, 0.012, 0.038),
    returnAudit: uniform(rng, 0.86, 0.97),
    returnRate: uniform(rng, 0.03, 0.062),
    repurchase: uniform(rng, 0.16, 0.27),
    shiftStart: shiftStartOf(agent.index),
  };
}

export function traitsOf(agent: DemoAgent, seed: number): Traits {
  const traits = base(streamOf(seed, agent.index, 0x7a17), agent);
  const weak = agent.weak;
  if (!weak) return traits;
  return {
    ...traits,
    ...(weak.conversion !== undefined ? { conversion: weak.conversion } : {}),
    ...(weak.crossSell !== undefined ? { crossSell: weak.crossSell } : {}),
    ...(weak.frt !== undefined ? { frt: weak.frt, art: traits.art * 1.5 } : {}),
    ...(weak.resolution !== undefined ? { resolution: weak.resolution } : {}),
    // Unhappy customers leave more bad reviews too.
    ...(weak.csat !== undefined ? { csat: weak.csat, badReview: 0.035 } : {}),
  };
}

/**
 * A trainee's level on a day of their training: from a shaky start up to an ordinary agent's
 * level after six weeks.
 */
export function traineeTraits(traits: Traits, daysIn: number): Traits {
  const p = clamp(daysIn / 42, 0, 1);
  const towards = (from: number, to: number) => from + (to - from) * p;
  return {
    ...traits,
    receptions: towards(40, traits.receptions * 0.8),
    frt: towards(38, traits.frt),
    art: towards(70, traits.art),
    csat: towards(0.88, traits.csat),
    script: towards(0.93, traits.script),
    resolution: towards(0.78, traits.resolution),
    conversion: towards(0.12, traits.conversion),
    transfer: towards(0.08, traits.transfer),
  };
}
