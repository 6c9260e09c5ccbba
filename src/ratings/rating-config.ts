import { z } from "zod";

/**
 * When the rating requests run and how long a supervisor has. The job runs at `cron` in each
 * team's shop time zone; the card goes once per period, then a reminder each working day while
 * anything is unrated, and from `escalateAfterDays` days after the period closed the admins hear
 * of it each working day. Chinese teams work Monday to Friday by default; a shop that rates on
 * Saturdays too lists `sat`.
 */

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const ratingConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** node-cron expression in the team's shop time zone (default 10:00 every day). */
    cron: z.string().min(1).default("0 10 * * *"),
    /** Days after the period's last day before the admins hear of ratings still missing. */
    escalateAfterDays: z.number().int().min(0).max(60).default(3),
    /** The days reminders and escalations go out (the card itself goes on the first run after the period). */
    workingDays: z
      .array(z.enum(WEEKDAYS))
      .min(1, "name at least one working day")
      .default(["mon", "tue", "wed", "thu", "fri"]),
  })
  .prefault({});

export type RatingConfig = z.infer<typeof ratingConfigSchema>;
