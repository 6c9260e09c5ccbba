import {
  type AgentDayTally,
  CONVERSATION_KINDS,
  type ConversationKind,
  type DailyFigure,
  dayKey,
  emptyFigures,
  emptyKindTallies,
  type GamingFinding,
  type GamingThresholds,
  judgeAgentWeek,
  type KindTallies,
  parsePeriod,
  periodOfDay,
  sumKind,
} from "../engine/index.ts";
import { agentDaysBetween } from "../store/agent-day-repo.ts";
import type { Queryable } from "../store/database.ts";
import { gamingSignalsBetween } from "../store/gaming-repo.ts";

/**
 * Every agent's gaming findings for an ISO week from what is stored: the conversation kinds from
 * gaming_signals (the week's days against the 28 before), the figure kinds (history jumps,
 * invitations crowded at month end) from agent_days' 问答比, 邀评率 and 满意率.
 */

/** The figures the figure rules watch, as agent-days carry them. */
const WATCHED = ["qa_ratio", "invite_rate", "csat_rate"] as const;

export async function findingsOfStoredWeek(
  db: Queryable,
  week: string,
  thresholds: GamingThresholds,
): Promise<Map<string, GamingFinding[]>> {
  const period = parsePeriod(week);
  const pastFrom = period.first - thresholds.figureJump.historyDays;
  // The month-end rule reads the whole month whose last day falls in the week.
  const from = dayKey(Math.min(pastFrom, periodOfDay(period.first, "month").first));
  const to = dayKey(period.last);

  const tallies = new Map<string, Map<string, Partial<Record<ConversationKind, unknown[]>>>>();
  for (const row of await gamingSignalsBetween(db, from, to)) {
    if (!(CONVERSATION_KINDS as readonly string[]).includes(row.kind)) continue;
    const days = tallies.get(row.agentId) ?? new Map();
    tallies.set(row.agentId, days);
    const kinds = days.get(row.day) ?? {};
    days.set(row.day, kinds);
    const kind = row.kind as ConversationKind;
    const evidence = kinds[kind] ?? [];
    kinds[kind] = evidence;
    evidence.push(row.evidence);
  }
  const figures = new Map<string, DailyFigure[]>();
  for (const day of await agentDaysBetween(db, from, to)) {
    for (const metric of WATCHED) {
      const value = day.values[metric];
      if (!value || value.finished || value.notCombinable || value.den <= 0) continue;
      const list = figures.get(day.agentId) ?? [];
      figures.set(day.agentId, list);
      list.push({ day: day.day, metric, num: value.num, den: value.den });
    }
  }
  const findings = new Map<string, GamingFinding[]>();
  for (const agentId of new Set([...tallies.keys(), ...figures.keys()])) {
    const days: AgentDayTally[] = [...(tallies.get(agentId) ?? new Map())].map(([day, kinds]) => {
      const merged = emptyKindTallies();
      for (const kind of CONVERSATION_KINDS) {
        const parts = (kinds[kind] ?? []) as KindTallies[typeof kind][];
        (merged as unknown as Record<string, unknown>)[kind] = sumKind(kind, parts);
      }
      return {
        shop: "",
        agent: agentId,
        day,
        kinds: merged,
        figures: emptyFigures(),
      };
    });
    const found = judgeAgentWeek({ week, tallies: days, figures: figures.get(agentId) ?? [] }, thresholds);
    if (found.length > 0) findings.set(agentId, found);
  }
  return findings;
}
