import { z } from "zod";

/**
 * When each team's digests go out (node-cron expressions in the team's shop time zone) and what
 * they flag. Defaults: daily 09:00 (yesterday), weekly Monday 09:00 (last ISO week), monthly on
 * the 1st at 09:00 (last month).
 */

const digestTime = (cron: string) =>
  z.strictObject({ cron: z.string().min(1).default(cron), enabled: z.boolean().default(true) }).prefault({});

export const digestConfigSchema = z
  .strictObject({
    daily: digestTime("0 9 * * *"),
    weekly: digestTime("0 9 * * 1"),
    monthly: digestTime("0 9 1 * *"),
    /** Agents at this grade or below are listed under "needs attention". */
    attentionGrade: z.string().min(1).default("C"),
    /** The DSR service score falling this many days in a row raises an alert. */
    dsrFallingDays: z.number().int().min(2).max(60).default(15),
    /** Weekly and monthly digests carry a trend chart (an image). */
    chart: z.boolean().default(true),
    /**
     * What a period shorter than the assessment period shows instead of grades: seed 002's review
     * cycles, "daily: response speed, online hours, receptions; weekly: resolution, satisfaction,
     * workload". A metric the team's scheme sets no target for is left out.
     */
    watch: z
      .strictObject({
        daily: z
          .array(z.string().min(1))
          .default([
            "first_response_time",
            "avg_response_time",
            "response_30s_rate",
            "online_hours",
            "receptions",
          ]),
        weekly: z.array(z.string().min(1)).default(["resolution_rate", "csat_rate", "receptions"]),
      })
      .prefault({}),
  })
  .prefault({});

export type DigestConfig = z.infer<typeof digestConfigSchema>;
export type DigestKind = "daily" | "weekly" | "monthly";
