import { z } from "zod";

/**
 * The shape of a 考核方案 as people write it (YAML or JSON). Figures stay as written here
 * ("15%", "≤30秒"); scheme.ts reads them against each metric's unit and checks the rules that
 * span fields (weights add up to 100%, seasons name real roles …).
 */

const quantity = z.union([z.number(), z.string()]);
/** Names people write bare in YAML may come out as numbers (a season called 618). */
const name = z.union([z.string().min(1), z.number().transform(String)]);

export const targetDoc = z.union([
  quantity,
  z.strictObject({
    default: quantity,
    category: z.record(z.string(), quantity).optional(),
    team: z.record(z.string(), quantity).optional(),
  }),
]);

/** One level of a rated item's scale: `{ level: 优秀, en: excellent, score: 100 }`. */
export const ratingLevelDoc = z.strictObject({
  level: name,
  en: z.string().regex(/^\S+$/, "an English level is one word (needs-improvement)").optional(),
  score: z.number().min(0),
});

export const itemDoc = z.strictObject({
  metric: name,
  label: z.string().optional(),
  /** Not for rule: rated (the supervisor's level is the score; the target shown is 100). */
  target: targetDoc.optional(),
  /** Share of the role's total (weight mode) … */
  weight: quantity.optional(),
  /** … or share of its dimension's weight, relative to the other items there (dimension mode). */
  share: z.number().positive().optional(),
  dimension: name.optional(),
  rule: z.enum(["proportional", "pass-fail", "deduct", "rated"]).optional(),
  pointsPerUnit: z.number().positive().optional(),
  /** rule: rated: the levels the supervisor picks from, best first (default DEFAULT_RATING_SCALE). */
  scale: z.array(ratingLevelDoc).min(2, "a rating scale needs at least two levels").optional(),
  cap: z.number().optional(),
  missing: z.enum(["renormalise", "zero"]).optional(),
});

export const roleDoc = z.strictObject({
  name: z.string().optional(),
  /** `team`: scored on the roll-up of the team's agents plus the role's own manual items. */
  scope: z.enum(["agent", "team"]).optional(),
  dimensions: z.record(z.string(), quantity).optional(),
  items: z.array(itemDoc).min(1, "a role needs at least one item"),
});

export const gradeDoc = z.strictObject({
  grade: name,
  min: z.number().optional(),
  coefficient: z.number().nonnegative(),
  label: z.string().optional(),
});

export const seasonDoc = z.strictObject({
  name,
  /** Without both, the season's window comes from the season calendar by name (season-calendar.ts). */
  from: z.string().optional(),
  to: z.string().optional(),
  /** No longer used: a period is scored day by day under its seasons (segments.ts). Accepted so older files load. */
  applyWhen: z.enum(["any-day", "half", "all-days"]).optional(),
  roles: z.array(z.string()).optional(),
  targets: z.record(z.string(), targetDoc).optional(),
  weights: z.record(z.string(), quantity).optional(),
  dimensions: z.record(z.string(), quantity).optional(),
  addItems: z.array(itemDoc).optional(),
  removeItems: z.array(z.string()).optional(),
  rescale: z.boolean().optional(),
});

export const metricDoc = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, "metric ids are lower-case letters, digits and _"),
  zh: name,
  en: name,
  unit: z.enum(["percent", "permille", "seconds", "hours", "yuan", "count", "points"]),
  direction: z.enum(["up", "down"]),
  dimension: z.enum(["efficiency", "quality", "business", "behaviour"]),
  aggregation: z.enum(["ratio", "mean", "count", "amount", "change"]),
  perDay: z.boolean().optional(),
  aliases: z.array(z.string()).optional(),
});

export const schemeDoc = z.strictObject({
  id: z.string().optional(),
  name,
  description: z.string().optional(),
  itemCap: z.number().optional(),
  rounding: z
    .strictObject({
      itemScore: z.int().min(0).max(4).optional(),
      total: z.int().min(0).max(4).optional(),
    })
    .optional(),
  missingData: z.enum(["renormalise", "zero"]).optional(),
  /** The share of the weight that must have figures for a card to be graded (default 70%). */
  minCoverage: quantity.optional(),
  /** The period a grade is given for (default month); shorter periods are watched, not graded. */
  assessment: z.enum(["week", "fortnight", "month", "quarter"]).optional(),
  /** New hires within `weeks` of their traineeSince are graded per `assessment` too (双周 [002]). */
  probation: z
    .strictObject({
      weeks: z.int().positive(),
      assessment: z.enum(["week", "fortnight", "month"]),
    })
    .optional(),
  grades: z.array(gradeDoc).min(1).optional(),
  coefficient: z
    .union([
      z.literal("bands"),
      z.strictObject({ mode: z.literal("linear"), min: z.number().optional(), max: z.number().optional() }),
    ])
    .optional(),
  pay: z
    .strictObject({
      base: quantity,
      performance: quantity,
      bonus: quantity,
      /** The base part follows this figure (default attendance_rate). */
      baseFollows: z.string().optional(),
      bonusMetrics: z.array(z.string()).optional(),
      /** 超额奖励: `{ metric: conversion_rate, over: 20%, amount: 100 }`. */
      extraRewards: z
        .array(z.strictObject({ metric: z.string(), over: quantity, amount: z.number().positive() }))
        .optional(),
    })
    .optional(),
  metrics: z.array(metricDoc).optional(),
  roles: z.record(z.string(), roleDoc),
  seasons: z.array(seasonDoc).optional(),
});

export type SchemeDoc = z.infer<typeof schemeDoc>;
export type RoleDoc = z.infer<typeof roleDoc>;
export type ItemDoc = z.infer<typeof itemDoc>;
export type SeasonDoc = z.infer<typeof seasonDoc>;
export type TargetDoc = z.infer<typeof targetDoc>;

/** roles.presales.items[2].weight */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
