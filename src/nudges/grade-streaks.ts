import { and, gte, inArray, lte } from "drizzle-orm";
import { assessmentFor, dayKey, parseDay, periodOfDay } from "../engine/index.ts";
import { isLead } from "../store/agent-records.ts";
import type { Queryable } from "../store/database.ts";
import { agentDays, scorecards } from "../store/schema.ts";
import { schemesInForce } from "../store/scheme-repo.ts";
import { type Escalation, lowGradeSubject } from "./escalation-items.ts";
import type { NudgeDeps, NudgeReport } from "./nudge-deps.ts";
import { activeProfiles, queueRun } from "./queue-run.ts";

/**
 * Agents whose assessment period so far (the month to date; a probationer's fortnight) is graded
 * at or below `escalations.lowGrade.grade`, once it has figures from at least `days` days, are
 * escalated once per period. A day is watched, not graded [002], so one bad day never reaches a
 * supervisor as a grade; the period so far is what pay will follow. Grades are ordered by the
 * bands of the role's scheme in force on `day`. Team leads, graded on their team's figures, are
 * left out: escalations are about agents, and go to the leads.
 */
export async function checkGradeStreaks(
  deps: NudgeDeps,
  scope: { day: string; now: Date },
): Promise<NudgeReport> {
  return queueRun(deps, scope.now, {
    agents: new Map(),
    escalations: await lowGradeEscalations(deps, scope),
  });
}

/** The low-grade escalations `day`'s figures call for (those told already are skipped when queued). */
export async function lowGradeEscalations(
  deps: NudgeDeps,
  { day }: { day: string; now: Date },
): Promise<Escalation[]> {
  const rule = deps.config.escalations.lowGrade;
  if (!rule) return [];
  const profiles = await activeProfiles(deps.db);
  const schemes = await schemesInForce(deps.db, day);
  const dayPeriod = periodOfDay(parseDay(day), "day");
  const periodOf = new Map<string, { kind: string; key: string; first: string }>();
  for (const p of profiles.values()) {
    const scheme = schemes.get(p.role)?.scheme;
    if (!scheme || isLead(p.role, schemes)) continue;
    const kind = assessmentFor(scheme, p.traineeSince ? { traineeSince: p.traineeSince } : {}, dayPeriod);
    const period = periodOfDay(dayPeriod.first, kind);
    periodOf.set(p.id, { kind, key: period.key, first: dayKey(period.first) });
  }
  const cards = await periodGrades(deps.db, [...periodOf.entries()]);
  const low = cards.filter((c) => {
    const scheme = schemes.get(profiles.get(c.agentId)!.role)!.scheme;
    const floor = scheme.grades.find((b) => b.grade === rule.grade);
    const band = scheme.grades.find((b) => b.grade === c.grade);
    return floor !== undefined && band !== undefined && band.min <= floor.min;
  });
  if (low.length === 0) return [];
  const dayCounts = await daysWithFigures(
    deps.db,
    low.map((c) => [c.agentId, periodOf.get(c.agentId)!.first]),
    day,
  );
  return low.flatMap((c): Escalation[] => {
    const days = dayCounts.get(c.agentId) ?? 0;
    if (days < rule.days) return [];
    const period = periodOf.get(c.agentId)!;
    return [
      {
        type: "lowGrade" as const,
        subject: lowGradeSubject(c.agentId, period.key),
        agentId: c.agentId,
        to: rule.to,
        grade: rule.grade,
        period: period.key,
        through: day,
        days,
        total: c.total,
        actualGrade: c.grade,
      },
    ];
  });
}

/** Each agent's stored grade of their assessment period; cards without one are left out. */
async function periodGrades(
  db: Queryable,
  periods: [agentId: string, { kind: string; key: string }][],
): Promise<{ agentId: string; grade: string; total: number }[]> {
  if (periods.length === 0) return [];
  const wanted = new Set(periods.map(([id, p]) => `${id} ${p.kind} ${p.key}`));
  const rows = await db
    .select({
      agentId: scorecards.agentId,
      kind: scorecards.periodKind,
      key: scorecards.periodKey,
      grade: scorecards.grade,
      total: scorecards.total,
    })
    .from(scorecards)
    .where(
      and(
        inArray(
          scorecards.agentId,
          periods.map(([id]) => id),
        ),
        inArray(scorecards.periodKey, [...new Set(periods.map(([, p]) => p.key))]),
      ),
    );
  return rows.flatMap((r) =>
    r.grade !== null && r.total !== null && wanted.has(`${r.agentId} ${r.kind} ${r.key}`)
      ? [{ agentId: r.agentId, grade: r.grade, total: r.total }]
      : [],
  );
}

/** How many days from each agent's period start to `day` have figures. */
async function daysWithFigures(
  db: Queryable,
  agents: [agentId: string, from: string][],
  day: string,
): Promise<Map<string, number>> {
  const from = agents.reduce((min, [, f]) => (f < min ? f : min), day);
  const rows = await db
    .selectDistinct({ agentId: agentDays.agentId, day: agentDays.day })
    .from(agentDays)
    .where(
      and(
        inArray(
          agentDays.agentId,
          agents.map(([id]) => id),
        ),
        gte(agentDays.day, from),
        lte(agentDays.day, day),
      ),
    );
  const since = new Map(agents);
  const counts = new Map<string, number>();
  for (const r of rows)
    if (r.day >= since.get(r.agentId)!) counts.set(r.agentId, (counts.get(r.agentId) ?? 0) + 1);
  return counts;
}
