import type { PeriodKind } from "../engine/index.ts";
import type { Messages } from "./messages.ts";

const BEFORE: Record<PeriodKind, string> = {
  day: "the day before",
  week: "the week before",
  fortnight: "the fortnight before",
  month: "the month before",
  quarter: "the quarter before",
  year: "the year before",
};

const PERIOD: Record<PeriodKind, string> = {
  day: "day",
  week: "week",
  fortnight: "fortnight",
  month: "month",
  quarter: "quarter",
  year: "year",
};

export const en: Messages = {
  lang: "en",
  columns: {
    metric: "item",
    target: "target",
    actual: "actual",
    score: "score",
    weight: "weight",
    weighted: "weighted",
  },
  status: {
    missing: "no figure",
    "no-data": "no sample",
    "not-combinable": "not combinable",
    "awaiting-rating": "awaiting your supervisor's rating",
  },
  ratedPerPeriod: (assessment) => `rated by the supervisor per ${PERIOD[assessment]}`,
  awaitingRating: (items) =>
    `Awaiting your supervisor's rating of ${items.join(", ")}: no total, grade or coefficient until then`,
  awaitingRatingOf: (agents, items) =>
    `Awaiting the supervisor's rating (${items.join(", ")}): ${agents.join(", ")}; no total, grade, place or coefficient until then`,
  awaitingRatingCount: (count, items) =>
    `Awaiting the supervisor's rating (${items.join(", ")}): ${count} agent${count === 1 ? "" : "s"}; no total, grade, place or coefficient until then`,
  pendingFigure: "pending",
  heading: (agent, role, period, scheme) => `${agent} · ${role} · ${period} · scheme ${scheme}`,
  seasons: (names) => `Season rules: ${names.join(", ")}`,
  summary: (total, grade, coefficient) => `Total ${total} → grade ${grade}, coefficient ${coefficient}`,
  unscorable: "Nothing could be scored this period",
  watched: (assessment) =>
    `Graded by the ${PERIOD[assessment]}: this period shows the items against their targets, with no total, grade or coefficient`,
  belowCoverage: (coverage, minimum) =>
    `Only ${coverage}% of the weight has figures (${minimum}% needed): no total or grade this period`,
  change: (delta, kind, previous) => {
    const before = `${BEFORE[kind]}${previous ? ` (${previous})` : ""}`;
    if (delta === 0) return `level with ${before}`;
    return `${delta > 0 ? "up" : "down"} ${Math.abs(delta)} points on ${before}`;
  },
  pay: (total, base, performance, bonus) =>
    `Pay ${total} (base ${base} + performance ${performance} + bonus ${bonus})`,
  lift: (metric, from, to, grade, next) => `${metric} ${from}→${to} lifts ${grade} to ${next}`,
  noSingleLift: (next, gap) => `${gap} points short of ${next}; no single item closes the gap alone`,
  together: (lifts, grade, next) =>
    `No single item is enough; ${lifts.join(", ")} together lift ${grade} to ${next}`,
  outOfReach: (next, gap) =>
    `${gap} points short of ${next}: out of reach this period, even at every item's best`,
  topGrade: (grade) => `Already at the top grade, ${grade}`,
  seasonDays: (season, first, last) => `${season} (${first} to ${last})`,
  split: (metric, parts, score) => `${metric} by stretch: ${parts.join("; ")}; by volume ${score}`,
  splitPart: (days, seasons, target, actual, score, volume) =>
    `${days}${seasons ? ` (${seasons})` : ""} target ${target}, actual ${actual}, score ${score}, volume ${volume}`,
  correctedOnAppeal: (metrics) => `† corrected on appeal: ${metrics}`,
  pendingNote:
    "* not final yet (conversion that settles later, resolution within its 72 h); updated when it is",
  notCombinable: (metric, needs) =>
    needs.length
      ? `${metric} not combinable: the export lacks ${needs.join(", ")}, so its daily rates cannot be added up exactly; the item scores nothing (add those columns and import again)`
      : `${metric} not combinable: the export gives only daily rates without their counts, which cannot be added up exactly; the item scores nothing`,
  approximate: (metric, count) =>
    `≈ ${metric} weighed by ${count} (the export lacks its own count): an estimate`,
  payFactors: (base, performance, bonus, extra) =>
    `Pay: base pay by attendance factor ${base}, performance pay by coefficient ${performance}, bonus by bonus factor ${bonus}${extra ? `, plus an extra reward of ${extra}` : ""}`,
};
