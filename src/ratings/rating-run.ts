import { eq } from "drizzle-orm";
import type { ChatPlatform } from "../chat/caller.ts";
import { addToOutbox, type OutgoingMessage } from "../delivery/outbox-repo.ts";
import { adminRecipient, recipientsOf } from "../delivery/recipients.ts";
import { DEFAULT_TIME_ZONE, dayInZone, dayKey, weekday } from "../engine/index.ts";
import type { Lang } from "../i18n/index.ts";
import { agentProfiles } from "../store/agent-day-repo.ts";
import type { Queryable } from "../store/database.ts";
import { outbox } from "../store/schema.ts";
import { schemesInForce } from "../store/scheme-repo.ts";
import { ratingCardReply } from "./rating-card.ts";
import { WEEKDAYS, type Weekday } from "./rating-config.ts";
import { type RatingTask, ratingTasks, type SchemesOn } from "./rating-due.ts";
import { ratingMessagesFor } from "./rating-messages.ts";

/**
 * One run of the rating requests (daily, 10:00 shop time; bot-schedules.ts): for the assessed
 * period just closed, each team's supervisor gets the rating card once (outbox key per team,
 * period and supervisor); on later working days (Monday to Friday) while anything is unrated,
 * one reminder per supervisor per day listing all of it; from `escalateAfterDays` days after
 * the period closed, one message per admin per working day naming the supervisors behind. Once
 * everything is rated nothing more is sent. Outbox keys make a repeated run send nothing twice.
 */

export interface RatingRunOptions {
  now: Date;
  platforms: readonly ChatPlatform[];
  /** Admins as `platform:userId` (configuration: admins). */
  admins: readonly string[];
  teams: ReadonlyMap<string, { name: string; lang: Lang }>;
  defaultLang: Lang;
  /** Days after the period's end before admins hear of ratings still missing (default 3). */
  escalateAfterDays?: number;
  /** The days reminders and escalations go out (default Monday to Friday). */
  workingDays?: readonly Weekday[];
  /** Only these teams' agents (the teams of the zone whose schedule runs); default every team. */
  teamIds?: ReadonlySet<string>;
  timeZone?: string;
  schemesOn?: SchemesOn;
}

export const DEFAULT_RATING_ESCALATION_DAYS = 3;

/** engine weekday counts from Monday, as WEEKDAYS does. */
const weekdayOf = (day: number): Weekday => WEEKDAYS[weekday(day)]!;
const workingDayIn = (o: RatingRunOptions) => (day: number) =>
  (o.workingDays ?? DEFAULT_WORKING_DAYS).includes(weekdayOf(day));
const DEFAULT_WORKING_DAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri"];

export async function runRatingRequests(db: Queryable, o: RatingRunOptions): Promise<number> {
  const today = dayInZone(o.timeZone ?? DEFAULT_TIME_ZONE)(o.now.getTime());
  const schemesOn = o.schemesOn ?? ((day: string) => schemesInForce(db, day));
  const agents = await agentProfiles(db);
  const isWorkingDay = workingDayIn(o);
  const open = (await ratingTasks(db, schemesOn, agents, today)).filter(
    (t) => !t.rated && t.agent.supervisorId !== null && (!o.teamIds || o.teamIds.has(t.agent.teamId ?? "")),
  );
  if (open.length === 0) return 0;
  const bySupervisor = groupBy(open, (t) => t.agent.supervisorId!);
  const recipients = await recipientsOf(db, o.platforms, [...bySupervisor.keys()]);
  const langOf = (teamId: string | null) => o.teams.get(teamId ?? "")?.lang ?? o.defaultLang;
  let queued = 0;
  for (const [supervisorId, tasks] of bySupervisor) {
    const to = recipients.get(supervisorId);
    if (!to) continue;
    let cardsSent = 0;
    let cardToday = false;
    const day = dayInZone(o.timeZone ?? DEFAULT_TIME_ZONE);
    for (const [teamId, teamTasks] of groupBy(tasks, (t) => t.agent.teamId ?? "")) {
      const lang = langOf(teamId);
      const period = teamTasks[0]!.period.key;
      const title = ratingMessagesFor(lang).cardTitle(o.teams.get(teamId)?.name ?? teamId, period);
      const message: OutgoingMessage = {
        key: `rating-card:${teamId}:${period}:${supervisorId}`,
        platform: to.platform,
        to: to.to,
        reply: ratingCardReply(title, teamTasks, lang, to.platform),
      };
      cardsSent += (await addToOutbox(db, [message], o.now)).length;
      const [card] = await db
        .select({ createdAt: outbox.createdAt })
        .from(outbox)
        .where(eq(outbox.key, message.key));
      if (card && day(card.createdAt.getTime()) === today) cardToday = true;
    }
    queued += cardsSent;
    // The day a card goes out it is the only message; reminders start the next working day.
    if (cardToday || !isWorkingDay(today)) continue;
    const lang = langOf(tasks[0]!.agent.teamId);
    const period = tasks[0]!.period.key;
    const reminder: OutgoingMessage = {
      key: `rating-reminder:${supervisorId}:${period}:${dayKey(today)}`,
      platform: to.platform,
      to: to.to,
      reply: ratingCardReply(
        ratingMessagesFor(lang).reminderTitle(tasks.length, period),
        tasks,
        lang,
        to.platform,
      ),
    };
    queued += (await addToOutbox(db, [reminder], o.now)).length;
  }
  queued += await escalate(db, o, open, today);
  return queued;
}

async function escalate(db: Queryable, o: RatingRunOptions, open: readonly RatingTask[], today: number) {
  const after = o.escalateAfterDays ?? DEFAULT_RATING_ESCALATION_DAYS;
  const late = open.filter((t) => today - t.period.last >= after);
  if (late.length === 0 || !workingDayIn(o)(today) || o.admins.length === 0) return 0;
  const m = ratingMessagesFor(o.defaultLang);
  const period = late[0]!.period.key;
  const names = new Map((await agentProfiles(db)).map((a) => [a.id, a.name]));
  const lines = [...groupBy(late, (t) => t.agent.supervisorId!)].map(([supervisorId, tasks]) =>
    m.escalationLine(
      names.get(supervisorId) ?? supervisorId,
      o.teams.get(tasks[0]!.agent.teamId ?? "")?.name ?? tasks[0]!.agent.teamName ?? "",
      tasks.length,
      today - tasks[0]!.period.last,
    ),
  );
  const messages: OutgoingMessage[] = o.admins.flatMap((admin) => {
    const to = adminRecipient(admin, o.platforms);
    if (!to) return [];
    return [
      {
        key: `rating-escalation:${admin}:${period}:${dayKey(today)}`,
        platform: to.platform,
        to: to.to,
        reply: {
          title: m.escalationTitle(period),
          blocks: [{ kind: "text" as const, text: lines.join("\n") }],
        },
      },
    ];
  });
  return (await addToOutbox(db, messages, o.now)).length;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
