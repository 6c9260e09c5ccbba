import { z } from "zod";
import { QA_KEEP_PER_STRATUM } from "../engine/index.ts";

/**
 * Quality review (质检): when the weekly sample goes out, how many conversations per agent and
 * from which strata, who reviews, the rubric, and when an unrated review is overdue. Defaults
 * in docs/qa.md; times are the shop's.
 */

const stratumSize = z.number().int().min(0).max(QA_KEEP_PER_STRATUM);

/** A criterion: pass/fail, or a 1–5 scale. `metric` names the figure it feeds (qa-rubric.ts). */
const criterion = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, "write an id of lower-case letters, digits and _"),
  zh: z.string().min(1),
  en: z.string().min(1),
  scale: z.enum(["pass", "1-5"]),
  /** Words that name it in a `qa rate` command besides zh, en and id (态度 for 情绪/态度). */
  aliases: z.array(z.string().min(1)).default([]),
});

export type QaCriterion = z.infer<typeof criterion>;

/** From the documents: 完整回复 [000], 话术规范 [000, 001], 情绪/态度 [001], 问题解决 [001]. */
export const DEFAULT_RUBRIC: QaCriterion[] = [
  { id: "complete", zh: "完整回复", en: "complete reply", scale: "pass", aliases: ["完整"] },
  { id: "script", zh: "话术规范", en: "script", scale: "pass", aliases: ["话术"] },
  { id: "attitude", zh: "情绪/态度", en: "attitude", scale: "1-5", aliases: ["态度", "情绪"] },
  { id: "solved", zh: "问题解决", en: "solved", scale: "pass", aliases: ["解决"] },
];

export const qaConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** node-cron, in the shop's zone: Monday 10:00, after the weekly digest (09:00). */
    cron: z.string().min(1).default("0 10 * * 1"),
    /** Conversations per agent and week. */
    perAgent: z.number().int().min(1).max(QA_KEEP_PER_STRATUM).default(5),
    /** From each stratum, first; random ones fill the rest up to perAgent. */
    strata: z
      .strictObject({
        low_rating: stratumSize.default(1),
        bad_review: stratumSize.default(1),
        long_wait: stratumSize.default(1),
        transfer: stratumSize.default(0),
        phrase_hit: stratumSize.default(1),
        random: stratumSize.default(1),
      })
      .prefault({}),
    /** Agents with this roster role review their teams' conversations; without any, the supervisor. */
    reviewerRole: z.string().min(1).default("qa"),
    rubric: z.array(criterion).min(1).default(DEFAULT_RUBRIC),
    /** A review is due this many days after the batch goes out. */
    dueDays: z.number().min(0.5).max(30).default(3),
    /** A reminder this many hours before it is due. */
    reminderHoursLeft: z.number().min(0).default(24),
    /** Overdue: the reviewer's supervisor (else the admins) after this many hours. */
    escalateAfterHours: z.number().min(0).default(24),
  })
  .prefault({});

export type QaConfig = z.infer<typeof qaConfigSchema>;
