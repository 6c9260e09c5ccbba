import { type AgentPeriod, dayKey, type Period, type Scheme } from "../engine/index.ts";
import { QA_METRICS, qaFigures } from "../qa/qa-rubric.ts";
import type { AgentProfile } from "../store/agent-day-repo.ts";
import { addAgentDayFigures } from "../store/agent-records.ts";
import type { Db } from "../store/database.ts";
import { ratingsOfDays } from "../store/qa-repo.ts";

/**
 * 质检's figures (完整回复率, 质检话术规范率, 质检得分) from the stored ratings, per agent-day of
 * the rated conversation, added before scoring as addRecoveryFigures adds 差评挽回率. A figure
 * the source gave for the agent-day (a per-agent figures file with 完整回复率) wins: it is what
 * the shop typed in. A rated conversation on a day without figures adds a record of its own.
 */
export async function addQaFigures(
  db: Db,
  records: AgentPeriod[],
  profiles: Map<string, AgentProfile>,
  period: Period,
): Promise<void> {
  const first = dayKey(period.first);
  const agentIds = new Set<string>();
  for (const r of records) if (r.period >= first) agentIds.add(r.agent);
  // Agents with no figures in the period are not scored, whatever was rated.
  const rated = await ratingsOfDays(db, [...agentIds], first, dayKey(period.last));
  if (rated.length === 0) return;
  const byAgentDay = new Map<string, typeof rated>();
  for (const r of rated) {
    const key = `${r.agentId}\u0000${r.day}`;
    const day = byAgentDay.get(key);
    if (day) day.push(r);
    else byAgentDay.set(key, [r]);
  }
  addAgentDayFigures(
    records,
    profiles,
    new Map(
      [...byAgentDay].map(([key, ratings]) => [
        key,
        { agentId: ratings[0]!.agentId, day: ratings[0]!.day, values: qaFigures(ratings) },
      ]),
    ),
  );
}

/** Whether any scheme in force scores a QA metric (else scoring skips the ratings). */
export function scoresQa(schemes: Map<string, { scheme: Scheme }>): boolean {
  return [...schemes.values()].some(({ scheme }) =>
    [
      ...[...scheme.roles.values()].flatMap((r) => r.items),
      ...scheme.seasons.flatMap((s) => s.addItems),
    ].some((item) => (QA_METRICS as readonly string[]).includes(item.metric.id)),
  );
}
