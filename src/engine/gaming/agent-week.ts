/**
 * Every rule over one agent's ISO week: the conversation kinds from day tallies (the week's
 * against the 28 days before it), the figure kinds from daily figures. At most one finding per
 * kind, so at most one alert per agent, week and kind.
 */
import { dayKey, parsePeriod } from "../period.ts";
import type { AgentDayTally } from "./day-tally.ts";
import { type DailyFigure, judgeFigureJump, judgeInviteTiming } from "./figure-rules.ts";
import { CONVERSATION_KINDS } from "./kinds.ts";
import type { GamingThresholds } from "./thresholds.ts";
import { type GamingFinding, judgeConversationKind } from "./week-rules.ts";

export interface AgentWeekInput {
  /** ISO week, "2026-W47". */
  week: string;
  /** The agent's day tallies: the week's and the days before it (older ones are ignored). */
  tallies: readonly AgentDayTally[];
  /** The agent's daily figures (qa_ratio, invite_rate, csat_rate …), the week's and before. */
  figures: readonly DailyFigure[];
}

export function judgeAgentWeek(input: AgentWeekInput, thresholds: GamingThresholds): GamingFinding[] {
  const period = parsePeriod(input.week);
  const first = dayKey(period.first);
  const last = dayKey(period.last);
  const pastFrom = dayKey(period.first - thresholds.figureJump.historyDays);
  const week = input.tallies.filter((t) => t.day >= first && t.day <= last);
  const past = input.tallies.filter((t) => t.day >= pastFrom && t.day < first);
  const findings: GamingFinding[] = [];
  for (const kind of CONVERSATION_KINDS) {
    const finding = judgeConversationKind(
      kind,
      week.map((t) => t.kinds[kind]),
      past.map((t) => t.kinds[kind]),
      thresholds,
    );
    if (finding) findings.push(finding);
  }
  const invites = input.figures.filter((f) => f.metric === "invite_rate");
  const timing = judgeInviteTiming(input.week, invites, thresholds);
  if (timing) findings.push(timing);
  const jump = judgeFigureJump(input.week, input.figures, thresholds);
  if (jump) findings.push(jump);
  return findings;
}

/** The daily figures the conversations themselves give (问答比, 邀评率, 满意率), for logs without agent-days. */
export function figuresOfTallies(tallies: readonly AgentDayTally[]): DailyFigure[] {
  return tallies.flatMap((t) => [
    { day: t.day, metric: "qa_ratio", num: t.figures.agentMessages, den: t.figures.customerMessages },
    { day: t.day, metric: "invite_rate", num: t.figures.invites, den: t.figures.sessions },
    { day: t.day, metric: "csat_rate", num: t.figures.satisfied, den: t.figures.ratings },
  ]);
}
