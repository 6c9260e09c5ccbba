import { z } from "zod";

/**
 * Nudges to agents and escalations to their supervisors. Times of day are in the shop's zone.
 * Nudges that can wait (slow responses, low ratings) are held through quiet hours and until the
 * agent's shift begins; bad-review nudges and reminders, which have a deadline, only through
 * quiet hours.
 */

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "write a time of day as HH:MM (24-hour)");

export const nudgeConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    quietHours: z
      .strictObject({ from: clockTime.default("21:00"), to: clockTime.default("08:30") })
      .prefault({}),
    /** Nudge messages per agent per day at most; bad-review nudges and reminders are not held back. */
    dailyCap: z.number().int().min(1).default(3),
    /** A wait longer than this, in seconds, is listed in the slow-response nudge. */
    maxWaitSeconds: z.number().int().positive().default(300),
    /** Ratings below this (of 5) ask for a review of the cause. */
    lowRatingBelow: z.number().positive().default(4),
    /** A reminder goes when this many hours are left before a bad review's follow-up deadline. */
    reminderHoursLeft: z.number().positive().default(4),
  })
  .prefault({});

const audience = z.enum(["supervisor", "admins"]);

export const escalationConfigSchema = z
  .strictObject({
    /** Steps after a bad review's follow-up deadline passes with nothing recorded. */
    followUpOverdue: z.array(z.strictObject({ afterHours: z.number().min(0), to: audience })).default([
      { afterHours: 0, to: "supervisor" },
      { afterHours: 24, to: "admins" },
    ]),
    /**
     * No overdue step sooner than this many hours after the agent was told of the review: one
     * pulled after its deadline gives the agent a chance before the supervisor hears of it.
     */
    graceHours: z.number().min(0).default(2),
    /** An agent whose assessment period so far is at this grade or below, with figures from this many days. */
    lowGrade: z
      .strictObject({
        grade: z.string().min(1).default("C"),
        days: z.number().int().min(1).default(3),
        to: audience.default("supervisor"),
      })
      .nullable()
      .prefault({}),
    /** This many low-rating reviews asked for and not recorded within 48 hours. */
    ignoredNudges: z
      .strictObject({ count: z.number().int().min(1).default(3), to: audience.default("supervisor") })
      .nullable()
      .prefault({}),
  })
  .prefault({});

export type NudgeConfig = z.infer<typeof nudgeConfigSchema>;
export type EscalationConfig = z.infer<typeof escalationConfigSchema>;
