import { type AgentPeriod, dayKey, type Period, type Scheme } from "../engine/index.ts";
import { QA_METRICS, qaFigures } from "../qa/qa-rubric.ts";
import type { AgentProfile } from "../store/agent-day-repo.ts";
import { recordOf } from "../store/agent-records.ts";
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
    byAgentDay.set(key, [...(byAgentDay.get(key) ?? []), r]);
  }
  const firstRecord = new Map<string, AgentPeriod>();
  for (const r of records) {
    const key = `${r.agent}\u0000${r.period}`;
    if (byAgentDay.has(key) && !firstRecord.has(key)) firstRecord.set(key, r);
  }
  for (const [key, ratings] of byAgentDay) {
    const figures = qaFigures(ratings);
    const record = firstRecord.get(key);
    if (record) {
      const own = Object.fromEntries(
        Object.entries(figures).filter(([id]) => record.values[id] === undefined),
      );
      record.values = { ...record.values, ...own };
    } else {
      const profile = profiles.get(ratings[0]!.agentId);
      if (profile) records.push(recordOf(profile, ratings[0]!.day, figures));
    }
  }
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
