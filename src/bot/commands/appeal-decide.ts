import type { Reply } from "../../chat/reply.ts";
import {
  builtinCatalogue,
  DEFAULT_TIME_ZONE,
  dayKey,
  formatQuantity,
  type MetricDef,
  type Period,
  parseDay,
  parsePeriod,
  periodOfDay,
} from "../../engine/index.ts";
import type { Lang } from "../../i18n/index.ts";
import { shopClock } from "../../present/shop-clock.ts";
import { type AppealRow, appealById, decideAppeal, factById } from "../../store/appeal-repo.ts";
import { recordAudit } from "../../store/audit-repo.ts";
import type { Db, Queryable } from "../../store/database.ts";
import { owePeriods, periodsOfDay } from "../../store/owed-scoring-repo.ts";
import { scorecardsOfAgents } from "../../store/scorecard-repo.ts";
import { scorePeriod } from "../score-period.ts";
import { appealWhat } from "./appeal-card.ts";
import { appealMessagesFor } from "./appeal-messages.ts";
import { mayDecide, queueToAgent } from "./appeal-people.ts";
import { auditDetail } from "./appeal-raise.ts";
import { EXCLUDE_WORDS } from "./command.ts";
import type { CommandDeps } from "./command-deps.ts";
import { readCorrectedValue, UNIT_HINT } from "./corrected-value.ts";
import { actorOf, langOf } from "./place-caller.ts";
import type { SchemesOn } from "./scheme-cache.ts";
import type { Roster, Viewer } from "./viewer.ts";

/**
 * `appeal accept <id> <value|exclude>` and `appeal reject <id> <reason>`: the agent's supervisor
 * (or their team's lead, or an admin; never the agent) decides an open appeal once. In one
 * transaction: the decision (the first one stands), its audit entry with the values before and
 * after, the periods it touches owed a re-score and scored at once (so `/kpi me` shows it and the
 * agent is told the new total), and the agent's direct message in the outbox.
 */

const APPEAL_ID = /^#?(\d{1,9})$/;
const REJECT_REASON_MAX = 200;

export type Decision = { accept: true; value: string } | { accept: false; reason: string };

export async function decideReply(
  deps: CommandDeps,
  schemesOn: SchemesOn,
  viewer: Extract<Viewer, { kind: "agent" }>,
  roster: Roster,
  id: string,
  decision: Decision,
  lang: Lang,
): Promise<Reply> {
  const a = appealMessagesFor(lang);
  const answer = (text: string): Reply => ({ blocks: [{ kind: "text", text }], private: true });
  const digits = APPEAL_ID.exec(id.trim())?.[1];
  const appeal = digits === undefined ? undefined : await appealById(deps.db, Number(digits));
  if (!appeal) return answer(a.notFound(id));
  const agent = roster.byId.get(appeal.agentId);
  if (viewer.agent.id === appeal.agentId) return answer(a.ownAppeal);
  if (!agent || !mayDecide(viewer, agent, roster)) return answer(a.forbidden(appeal.id));
  const zone = agent.timeZone ?? DEFAULT_TIME_ZONE;
  const decided = (row: AppealRow) =>
    answer(
      a.notOpen(
        row.id,
        a.status[row.status as "accepted" | "rejected"] ?? row.status,
        roster.byId.get(row.decidedBy ?? "")?.name ?? row.decidedBy ?? "",
        row.decidedAt ? shopClock(row.decidedAt.getTime(), zone) : "",
      ),
    );
  if (appeal.status !== "open") return decided(appeal);
  const fact = appeal.factId !== null;
  const period = fact ? periodOfDay(parseDay(appeal.factDay!), "month") : parsePeriod(appeal.periodKey!);
  const metric = await metricOf(schemesOn, agent.role, period, appeal.metric);
  let correction: { num: number; den: number | null } | undefined;
  if (decision.accept) {
    const exclude = EXCLUDE_WORDS.includes(decision.value.toLowerCase());
    if (fact && !exclude) return answer(a.factNeedsExclude(appeal.id));
    if (!fact && exclude) return answer(a.excludeNeedsFact(appeal.id));
    if (!fact) {
      correction = metric ? readCorrectedValue(decision.value, metric) : undefined;
      if (!correction)
        return answer(
          a.badValue(decision.value, UNIT_HINT[metric?.unit ?? "points"][lang === "en" ? "en" : "zh"]),
        );
    }
  } else if ([...decision.reason].length > REJECT_REASON_MAX)
    return answer(a.reasonTooLong(REJECT_REASON_MAX));
  const now = deps.now();
  const agentLang = langOf(deps, agent);
  const t = appealMessagesFor(agentLang);
  const factKind = fact ? (await factById(deps.db, appeal.factId!))?.kind : undefined;
  const what = appealWhat(appeal, metric, agentLang, factKind);
  const outcome = await deps.db.transaction(async (tx) => {
    const written = await decideAppeal(tx, appeal.id, {
      status: decision.accept ? "accepted" : "rejected",
      decidedBy: viewer.agent.id,
      decidedAt: now,
      decisionReason: decision.accept ? null : decision.reason,
      ...(correction ? { correctedNum: correction.num, correctedDen: correction.den } : {}),
      ...(decision.accept && fact ? { exclude: true } : {}),
    });
    if (!written) return undefined;
    let before: Total | undefined;
    let after: Total | undefined;
    if (decision.accept) {
      before = await totalOf(tx, agent.id, period);
      const touched = fact ? periodsOfDay(appeal.factDay!) : [period];
      await owePeriods(tx, touched, `appeal:${appeal.id}`, now);
      // Scored now, in the transaction: the card `/kpi me` reads is the corrected one at once,
      // and the agent's message tells the new total. The owed rows stay for the drain (a no-op).
      for (const p of touched)
        await scorePeriod(tx as unknown as Db, p, { actor: `appeal:${appeal.id}`, now });
      after = await totalOf(tx, agent.id, period);
    }
    const actual = after?.actuals[appeal.metric] ?? null;
    await recordAudit(tx, {
      at: now,
      actor: actorOf(viewer.caller),
      action: decision.accept ? "appeal.accepted" : "appeal.rejected",
      subject: `appeal:${appeal.id}`,
      detail: {
        ...auditDetail(appeal),
        decidedBy: viewer.agent.id,
        ...(decision.accept
          ? {
              after: fact ? "excluded" : actual,
              ...(correction ? { corrected: correction } : {}),
              totalBefore: before?.total ?? null,
              totalAfter: after?.total ?? null,
            }
          : { decisionReason: decision.reason }),
      },
    });
    const by = viewer.agent.name;
    const totals = before && after ? t.totalLine(period.key, show(before), show(after)) : "";
    const change = metric ? `${quantity(metric, appeal.before)}→${quantity(metric, actual)}` : "";
    const told = !decision.accept
      ? t.toldRejected(appeal.id, what, by, decision.reason)
      : fact
        ? t.toldExcluded(appeal.id, what, totals, by)
        : t.toldAccepted(appeal.id, what, change, totals, by);
    await queueToAgent(
      tx,
      deps,
      agent.id,
      `appeal:${appeal.id}:decision`,
      { blocks: [{ kind: "text", text: told }] },
      now,
    );
    return {
      change: fact ? a.excluded : change,
      totals: before && after ? a.totalLine(period.key, show(before), show(after)) : "",
    };
  });
  if (!outcome) return decided((await appealById(deps.db, appeal.id))!);
  return answer(
    decision.accept
      ? a.decidedAccepted(appeal.id, agent.name, outcome.change, outcome.totals)
      : a.decidedRejected(appeal.id, agent.name),
  );
}

interface Total {
  total: number | null;
  grade: string | null;
  actuals: Record<string, number | null>;
}

const show = (t: Total) => `${t.total ?? "—"}${t.grade ? ` ${t.grade}` : ""}`;

function quantity(metric: MetricDef, value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : formatQuantity(metric, value);
}

async function totalOf(db: Queryable, agentId: string, period: Period): Promise<Total | undefined> {
  const [stored] = await scorecardsOfAgents(db, [agentId], period.kind, period.key);
  if (!stored) return undefined;
  const card = stored.card;
  return {
    total: card.total,
    grade: card.grade,
    actuals: Object.fromEntries(card.items.map((i) => [i.metric, i.actual])),
  };
}

async function metricOf(
  schemesOn: SchemesOn,
  role: string,
  period: Period,
  metric: string,
): Promise<MetricDef | undefined> {
  const schemes = await schemesOn(dayKey(period.first));
  return (schemes.get(role)?.scheme.catalogue ?? builtinCatalogue).get(metric);
}
