import type { Reply } from "../../chat/reply.ts";
import {
  builtinCatalogue,
  DEFAULT_TIME_ZONE,
  dayInZone,
  dayKey,
  type Period,
  parseDay,
  previousPeriod,
} from "../../engine/index.ts";
import { type Lang, messagesFor } from "../../i18n/index.ts";
import { metricName } from "../../present/scorecard-view.ts";
import { shopClock } from "../../present/shop-clock.ts";
import { agentDaysOfAgent } from "../../store/agent-day-repo.ts";
import {
  type AppealRow,
  factById,
  factSubject,
  itemSubject,
  type NewAppeal,
  raiseAppeal,
} from "../../store/appeal-repo.ts";
import { recordAudit } from "../../store/audit-repo.ts";
import { followUpFactById } from "../../store/follow-up-repo.ts";
import { standingOf } from "../../store/scorecard-repo.ts";
import { factMetric } from "../appeal-corrections.ts";
import { type AppealEvidence, appealCard, appealWhat } from "./appeal-card.ts";
import { appealMessagesFor } from "./appeal-messages.ts";
import { deciderRecipients, queueTo } from "./appeal-people.ts";
import type { Command } from "./command.ts";
import type { CommandDeps } from "./command-deps.ts";
import { closeMetrics } from "./metric-matches.ts";
import { resolvePeriod } from "./period-asked.ts";
import { actorOf, langOf } from "./place-caller.ts";
import type { SchemesOn } from "./scheme-cache.ts";
import type { Roster, Viewer } from "./viewer.ts";

/**
 * `appeal <metric|#fact> [period] <reason>`: an agent questions an item of their own card (the
 * last month unless a period is named: the last assessed one) or one of their facts. Checked:
 * the item is on their card of a period that has ended, or the fact is theirs and of a kind an
 * exclusion is defined for; the deadline (`appeals.deadlineDays` after the period's last day or
 * the fact's day, in the shop's zone) has not passed; no appeal on it is open. The appeal is
 * stored, audited, and its card goes to the decider through the outbox, in one transaction.
 */

export const MAX_REASON = 200;
export const DEFAULT_DEADLINE_DAYS = 3;
const FACT_ID = /^#?(\d{1,9})$/;

type Raise = Extract<Command, { name: "appeal"; action: "raise" }>;

export async function raiseReply(
  deps: CommandDeps,
  schemesOn: SchemesOn,
  viewer: Extract<Viewer, { kind: "agent" }>,
  roster: Roster,
  command: Raise,
  lang: Lang,
): Promise<Reply> {
  const a = appealMessagesFor(lang);
  const answer = (text: string): Reply => ({ blocks: [{ kind: "text", text }], private: true });
  if ([...command.reason].length > MAX_REASON) return answer(a.reasonTooLong(MAX_REASON));
  const agent = viewer.agent;
  const deadlineDays = deps.appeals?.deadlineDays ?? DEFAULT_DEADLINE_DAYS;
  const now = deps.now();
  const digits = FACT_ID.exec(command.target)?.[1];
  let appeal: NewAppeal;
  let evidence: AppealEvidence;
  if (digits !== undefined) {
    const fact = await factById(deps.db, Number(digits));
    if (!fact) return answer(a.unknownTarget(command.target));
    if (fact.agentId !== agent.id) return answer(a.notYours(fact.id));
    const metric = factMetric(fact.kind);
    if (!metric) return answer(a.notAppealable(fact.id));
    const today = dayInZone(fact.timeZone)(now.getTime());
    const deadline = parseDay(fact.day) + deadlineDays;
    const what = a.factWhat(fact.id, a.factKind[fact.kind] ?? fact.kind, fact.day);
    if (today > deadline) return answer(a.pastDeadline(what, dayKey(deadline)));
    const followUp = (await followUpFactById(deps.db, fact.id))?.followUp;
    appeal = {
      agentId: agent.id,
      subject: factSubject(fact.id),
      metric,
      periodKind: null,
      periodKey: null,
      factId: fact.id,
      factDay: fact.day,
      reason: command.reason,
      before: null,
      raisedBy: agent.id,
      createdAt: now,
    };
    evidence = { kind: "fact", fact, outcome: followUp?.outcome ?? null };
  } else {
    const today = dayInZone(agent.timeZone ?? DEFAULT_TIME_ZONE)(now.getTime());
    const period = resolvePeriod(command.period ?? { word: "last-month" }, today);
    const schemes = await schemesOn(dayKey(period.first));
    const catalogue = schemes.get(agent.role)?.scheme.catalogue ?? builtinCatalogue;
    const metric = catalogue.find(command.target.trim());
    if (!metric) {
      const close = closeMetrics(command.target, catalogue).map((m) =>
        lang === "en" ? `${m.id} (${m.en})` : `${m.zh}（${m.id}）`,
      );
      return answer(
        [a.unknownTarget(command.target), ...(close.length ? [a.didYouMean(close.join("、"))] : [])].join(
          "\n",
        ),
      );
    }
    const name = metricName(metric, undefined, messagesFor(lang));
    if (period.last >= today) return answer(a.periodOpen(period.key));
    const deadline = period.last + deadlineDays;
    if (today > deadline) return answer(a.pastDeadline(a.itemWhat(name, period.key), dayKey(deadline)));
    const card = await cardOf(deps, agent, period);
    if (!card) return answer(a.noCard(period.key));
    const item = card.card.items.find((i) => i.metric === metric.id);
    if (!item) return answer(a.notOnCard(name, period.key));
    appeal = {
      agentId: agent.id,
      subject: itemSubject(agent.id, metric.id, period.key),
      metric: metric.id,
      periodKind: period.kind,
      periodKey: period.key,
      factId: null,
      factDay: null,
      reason: command.reason,
      before: item.actual,
      raisedBy: agent.id,
      createdAt: now,
    };
    const days = await agentDaysOfAgent(deps.db, agent.id, dayKey(period.first), dayKey(period.last));
    evidence = { kind: "item", metric, card, days };
  }
  const decider = await deciderRecipients(deps.db, deps, agent, roster);
  if (decider.recipients.length === 0) return answer(a.noDecider);
  const result = await deps.db.transaction(async (tx) => {
    const written = await raiseAppeal(tx, appeal);
    if (!written.raised) return written;
    await recordAudit(tx, {
      at: now,
      actor: actorOf(viewer.caller),
      action: "appeal.raised",
      subject: `appeal:${written.appeal.id}`,
      detail: auditDetail(written.appeal),
    });
    // The decider reads the card in their own language: their team's, as every message to them.
    const deciderLang = decider.supervisor ? langOf(deps, decider.supervisor) : deps.defaultLang;
    const card = appealCard(written.appeal, agent.name, evidence, deciderLang);
    await queueTo(tx, decider.recipients, `appeal:${written.appeal.id}:card`, card, now);
    return written;
  });
  if (!result.raised)
    return answer(
      a.alreadyOpen(
        result.open.id,
        shopClock(result.open.createdAt.getTime(), agent.timeZone ?? DEFAULT_TIME_ZONE),
      ),
    );
  const metric = evidence.kind === "item" ? evidence.metric : undefined;
  const what = appealWhat(
    result.appeal,
    metric,
    lang,
    evidence.kind === "fact" ? evidence.fact.kind : undefined,
  );
  const deadline =
    appeal.factDay !== null
      ? dayKey(parseDay(appeal.factDay) + deadlineDays)
      : dayKey(resolveLast(appeal) + deadlineDays);
  return answer(a.raised(result.appeal.id, what, decider.supervisor?.name ?? a.adminsWord, deadline));
}

function resolveLast(appeal: NewAppeal): number {
  return resolvePeriod({ key: appeal.periodKey! }, 0).last;
}

export function auditDetail(appeal: AppealRow): Record<string, unknown> {
  return {
    agent: appeal.agentId,
    metric: appeal.metric,
    ...(appeal.periodKey ? { period: appeal.periodKey } : {}),
    ...(appeal.factId !== null ? { fact: appeal.factId, day: appeal.factDay } : {}),
    reason: appeal.reason,
    before: appeal.before,
  };
}

async function cardOf(deps: CommandDeps, agent: Extract<Viewer, { kind: "agent" }>["agent"], period: Period) {
  const standing = await standingOf(deps.db, agent, period.kind, period.key, previousPeriod(period).key);
  return standing.own;
}
