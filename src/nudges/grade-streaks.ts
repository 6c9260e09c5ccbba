import { and, desc, eq, gte, inArray, lte } from "drizzle-orm";
import { dayKey, parseDay } from "../engine/index.ts";
import { agentProfiles } from "../store/agent-day-repo.ts";
import type { Queryable } from "../store/database.ts";
import { scorecards } from "../store/schema.ts";
import { schemesInForce } from "../store/scheme-repo.ts";
import { queueEscalations } from "./escalate.ts";
import { type Escalation, streakSubject } from "./escalation-items.ts";
import { escalationTargets } from "./escalation-recipients.ts";
import { emptyReport, type NudgeDeps, type NudgeReport } from "./nudge-deps.ts";

/**
 * Agents graded at or below `escalations.lowGrade.grade` on `days` scored days in a row ending
 * `day` are escalated once per streak: the subject names the streak's first day, so the days
 * after it add nothing until a better grade ends it. Days without a grade (no figures: a day
 * off) neither break a streak nor count in it. Grades are ordered by the bands of the role's
 * scheme in force on `day`. Team leads, graded on their team's figures, are left out: escalations
 * are about agents, and go to the leads.
 */

/** How far back a streak's first day is looked for. */
const HISTORY_DAYS = 366;
/** The streak's last days shown with their grades. */
const SHOWN_DAYS = 7;

export async function checkGradeStreaks(
  deps: NudgeDeps,
  { day, now }: { day: string; now: Date },
): Promise<NudgeReport> {
  const rule = deps.config.escalations.lowGrade;
  if (!rule) return emptyReport();
  const profiles = new Map((await agentProfiles(deps.db)).filter((p) => p.active).map((p) => [p.id, p]));
  const schemes = await schemesInForce(deps.db, day);
  /** Whether `grade` is the threshold or below in the role's scheme; undefined: not comparable. */
  const low = (role: string, grade: string): boolean | undefined => {
    const scheme = schemes.get(role)?.scheme;
    if (scheme?.roles.get(role)?.scope === "team") return undefined;
    const bands = scheme?.grades;
    const floor = bands?.find((b) => b.grade === rule.grade);
    const band = bands?.find((b) => b.grade === grade);
    return floor && band ? band.min <= floor.min : undefined;
  };
  const today = await gradesOn(deps.db, [day], [...profiles.keys()]);
  const candidates = today.filter((c) => {
    const role = profiles.get(c.agentId)?.role;
    return role !== undefined && low(role, c.grade);
  });
  if (candidates.length === 0) return emptyReport();
  const history = await gradeHistory(
    deps.db,
    candidates.map((c) => c.agentId),
    dayKey(parseDay(day) - HISTORY_DAYS),
    day,
  );
  const escalations: Escalation[] = [];
  for (const { agentId } of candidates) {
    const role = profiles.get(agentId)!.role;
    const streak: { day: string; grade: string }[] = [];
    for (const card of history.get(agentId) ?? []) {
      if (!low(role, card.grade)) break;
      streak.unshift(card);
    }
    if (streak.length < rule.days) continue;
    escalations.push({
      type: "streak",
      subject: streakSubject(agentId, streak[0]!.day),
      agentId,
      to: rule.to,
      grade: rule.grade,
      since: streak[0]!.day,
      length: streak.length,
      recent: streak.slice(-SHOWN_DAYS),
    });
  }
  if (escalations.length === 0) return emptyReport();
  const targets = await escalationTargets(deps, profiles, now);
  return queueEscalations(deps, now, escalations, targets, profiles);
}

async function gradesOn(
  db: Queryable,
  days: string[],
  agentIds: string[],
): Promise<{ agentId: string; day: string; grade: string }[]> {
  if (agentIds.length === 0) return [];
  const rows = await db
    .select({ agentId: scorecards.agentId, day: scorecards.periodKey, grade: scorecards.grade })
    .from(scorecards)
    .where(
      and(
        eq(scorecards.periodKind, "day"),
        inArray(scorecards.periodKey, days),
        inArray(scorecards.agentId, agentIds),
      ),
    );
  return rows.flatMap((r) => (r.grade === null ? [] : [{ agentId: r.agentId, day: r.day, grade: r.grade }]));
}

/** Each agent's graded days from `from` to `to`, newest first. */
async function gradeHistory(
  db: Queryable,
  agentIds: string[],
  from: string,
  to: string,
): Promise<Map<string, { day: string; grade: string }[]>> {
  const rows = await db
    .select({ agentId: scorecards.agentId, day: scorecards.periodKey, grade: scorecards.grade })
    .from(scorecards)
    .where(
      and(
        inArray(scorecards.agentId, agentIds),
        eq(scorecards.periodKind, "day"),
        gte(scorecards.periodKey, from),
        lte(scorecards.periodKey, to),
      ),
    )
    .orderBy(desc(scorecards.periodKey));
  const byAgent = new Map<string, { day: string; grade: string }[]>();
  for (const r of rows) {
    if (r.grade === null) continue;
    const list = byAgent.get(r.agentId) ?? [];
    byAgent.set(r.agentId, list);
    list.push({ day: r.day, grade: r.grade });
  }
  return byAgent;
}
