import type { Config } from "../config.ts";
import type { DigestKind } from "../digest/digest-config.ts";
import type { JobSchedule } from "../scheduler/job-schedule.ts";

/**
 * Every job the bot runs on a clock: the configured pulls, each team zone's daily, weekly and
 * monthly digests (at the configured times, in the shops' zone), and the watch over bad-review
 * follow-ups that sends reminders and escalations as deadlines pass, and each team zone's daily
 * rating requests (supervisor-rated items: the card, reminders, escalations; ratings/).
 */

export type BotSchedule =
  | (JobSchedule & { job: "pull"; sources?: string[] })
  | (JobSchedule & { job: "digest"; digest: DigestKind })
  | (JobSchedule & { job: "follow-ups" })
  | (JobSchedule & { job: "gaming-alerts" })
  | (JobSchedule & { job: "ratings" })
  /** The weekly 质检 batch of the teams in this zone (the week before the slot's). */
  | (JobSchedule & { job: "qa" });

const DIGEST_KINDS: readonly DigestKind[] = ["daily", "weekly", "monthly"];

/**
 * Mondays 10:30 in each team zone: the gaming alerts of the ISO week before, once the weekend's
 * figures and chat logs are in (the morning pulls run before).
 */
export const GAMING_ALERTS_CRON = "30 10 * * 1";

/** Every five minutes: a reminder or escalation goes within five minutes of its moment. */
export const FOLLOW_UP_WATCH_CRON = "*/5 * * * *";

export function botSchedules(config: Config, teamZones: readonly string[]): BotSchedule[] {
  const pulls: BotSchedule[] = config.schedules.map((s) => ({
    id: s.id,
    cron: s.cron,
    timeZone: s.timeZone,
    catchUpDays: s.catchUpDays,
    runsFirst: true,
    job: "pull",
    ...(s.sources ? { sources: s.sources } : {}),
  }));
  const digests: BotSchedule[] = [...new Set(teamZones)].flatMap((timeZone) =>
    DIGEST_KINDS.filter((kind) => config.digests[kind].enabled).map((kind) => ({
      id: `digest-${kind}:${timeZone}`,
      cron: config.digests[kind].cron,
      timeZone,
      // A digest missed while the bot was down goes out when it is back, the same day, once.
      catchUpDays: 1,
      catchUpSameDay: true,
      job: "digest" as const,
      digest: kind,
    })),
  );
  // Escalations run even with nudges off: a missed deadline still reaches the supervisor.
  const watch: BotSchedule[] = [
    {
      id: "follow-up-watch",
      cron: FOLLOW_UP_WATCH_CRON,
      timeZone: "UTC",
      // Back from downtime, one look at the present covers every deadline that passed.
      catchUpDays: 1,
      catchUpLatestOnly: true,
      job: "follow-ups",
    },
  ];
  const gaming: BotSchedule[] = [...new Set(teamZones)].map((timeZone) => ({
    id: `gaming-alerts:${timeZone}`,
    cron: GAMING_ALERTS_CRON,
    timeZone,
    // Missed (the bot was down on Monday): run once when back, within the week.
    catchUpDays: 6,
    catchUpLatestOnly: true,
    job: "gaming-alerts" as const,
  }));
  // Each zone's teams get their card and reminders at the configured time of their own day.
  const ratings: BotSchedule[] = config.ratings.enabled
    ? [...new Set(teamZones)].map((timeZone) => ({
        id: `ratings:${timeZone}`,
        cron: config.ratings.cron,
        timeZone,
        // The run looks at the present (what is still unrated today): back from downtime, once.
        catchUpDays: 1,
        catchUpLatestOnly: true,
        job: "ratings" as const,
      }))
    : [];
  // As the weekly digest: a bot down at 10:00 sends the batch when it is back the same day.
  const qa: BotSchedule[] = config.qa.enabled
    ? [...new Set(teamZones)].map((timeZone) => ({
        id: `qa:${timeZone}`,
        cron: config.qa.cron,
        timeZone,
        catchUpDays: 1,
        catchUpSameDay: true,
        job: "qa" as const,
      }))
    : [];
  return [...pulls, ...digests, ...watch, ...qa, ...gaming, ...ratings];
}
