import type { ChatPlatform } from "../chat/caller.ts";
import type { AppealConfig } from "../config.ts";
import {
  builtinCatalogue,
  DEFAULT_TIME_ZONE,
  dayInZone,
  dayKey,
  parseDay,
  parsePeriod,
  periodOfDay,
  weekday,
} from "../engine/index.ts";
import type { Lang } from "../i18n/index.ts";
import { shopClock } from "../present/shop-clock.ts";
import { agentDaysOfAgent } from "../store/agent-day-repo.ts";
import {
  type AppealRow,
  factById,
  markAppealEscalated,
  markAppealReminded,
  openAppeals,
} from "../store/appeal-repo.ts";
import type { Db } from "../store/database.ts";
import { scorecardsOfAgents } from "../store/scorecard-repo.ts";
import { type AppealEvidence, appealCard } from "./commands/appeal-card.ts";
import { appealMessagesFor } from "./commands/appeal-messages.ts";
import { adminRecipients, deciderRecipients, queueTo } from "./commands/appeal-people.ts";
import { loadDirectory } from "./commands/roster-cache.ts";

/**
 * Appeals left undecided (run by the bot's follow-up watch, every five minutes): after
 * `remindAfterWorkingDays` working days (Monday to Friday in the agent's shop zone, the day it was
 * raised not counted) the decider gets the card again with a reminder; `escalateAfterWorkingDays`
 * working days later the admins are told. Each once: the appeal's row records it in the same
 * transaction as the outbox message.
 */

export interface AppealWatchDeps {
  db: Db;
  config: AppealConfig;
  platforms: readonly ChatPlatform[];
  admins: ReadonlySet<string>;
  /** Each team's language (config teams); the default when a team is not named. */
  teams: ReadonlyMap<string, { lang: Lang }>;
  defaultLang: Lang;
  now: () => Date;
}

/** Working days (Monday to Friday) after `from` up to and including `to` (day numbers). */
export function workingDaysBetween(from: number, to: number): number {
  let count = 0;
  for (let day = from + 1; day <= to; day++) if (weekday(day) < 5) count += 1;
  return count;
}

export async function watchAppeals(deps: AppealWatchDeps): Promise<number> {
  const open = await openAppeals(deps.db);
  if (open.length === 0) return 0;
  const directory = await loadDirectory(deps.db);
  const roster = { byId: directory.byId, admins: deps.admins };
  const now = deps.now();
  let queued = 0;
  for (const appeal of open) {
    const agent = directory.byId.get(appeal.agentId);
    if (!agent) continue;
    const zone = agent.timeZone ?? DEFAULT_TIME_ZONE;
    const toDay = dayInZone(zone);
    const waited = workingDaysBetween(toDay(appeal.createdAt.getTime()), toDay(now.getTime()));
    const remindAt = deps.config.remindAfterWorkingDays;
    const langOf = (teamId: string | null) => deps.teams.get(teamId ?? "")?.lang ?? deps.defaultLang;
    if (waited >= remindAt && appeal.remindedAt === null) {
      const decider = await deciderRecipients(deps.db, deps, agent, roster);
      const lang = decider.supervisor ? langOf(decider.supervisor.teamId) : deps.defaultLang;
      const a = appealMessagesFor(lang);
      const card = appealCard(
        appeal,
        agent.name,
        await evidenceOf(deps.db, appeal),
        lang,
        a.reminder(appeal.id, agent.name, waited),
      );
      queued += await deps.db.transaction(async (tx) => {
        await markAppealReminded(tx, appeal.id, now);
        return queueTo(
          tx,
          decider.recipients,
          `appeal:${appeal.id}:reminder`,
          { ...card, title: a.reminderTitle(1) },
          now,
        );
      });
    }
    if (waited >= remindAt + deps.config.escalateAfterWorkingDays && appeal.escalatedAt === null) {
      const a = appealMessagesFor(deps.defaultLang);
      const supervisor = agent.supervisorId ? directory.byId.get(agent.supervisorId) : undefined;
      const text = a.escalation(
        appeal.id,
        agent.name,
        supervisor?.name ?? a.adminsWord,
        shopClock(appeal.createdAt.getTime(), zone),
      );
      queued += await deps.db.transaction(async (tx) => {
        await markAppealEscalated(tx, appeal.id, now);
        return queueTo(
          tx,
          adminRecipients(deps),
          `appeal:${appeal.id}:escalation`,
          {
            title: a.escalationTitle(1),
            blocks: [
              { kind: "text", text },
              { kind: "note", text: a.howToDecide(appeal.id, appeal.factId !== null) },
            ],
          },
          now,
        );
      });
    }
  }
  return queued;
}

/** The evidence as the first card showed it, read again (the figures may have moved since). */
async function evidenceOf(db: Db, appeal: AppealRow): Promise<AppealEvidence> {
  if (appeal.factId !== null) {
    const fact = await factById(db, appeal.factId);
    if (fact) return { kind: "fact", fact, outcome: null };
  }
  const period = appeal.periodKey
    ? parsePeriod(appeal.periodKey)
    : periodOfDay(parseDay(appeal.factDay!), "month");
  const [card] = await scorecardsOfAgents(db, [appeal.agentId], period.kind, period.key);
  const days = await agentDaysOfAgent(db, appeal.agentId, dayKey(period.first), dayKey(period.last));
  return { kind: "item", metric: builtinCatalogue.get(appeal.metric)!, card, days };
}
