import type { AgentProfile } from "../store/agent-day-repo.ts";
import { agentProfiles } from "../store/agent-day-repo.ts";
import type { Queryable } from "../store/database.ts";
import { reviewsOfDays } from "../store/qa-repo.ts";
import type { QaCriterion } from "./qa-config.ts";

/**
 * The 质检报告 of a period (`kpi qa`): per agent and per team, the conversations of the period's
 * days picked for review, how many are rated, pending or overdue, each criterion's pass rate
 * (pass/fail) or mean (1–5), the mean QA score, and the reviewers' notes. Teams add up their
 * agents' counts (numerators and denominators), never their rates.
 */

export interface Tally {
  sum: number;
  count: number;
}

export interface QaReportRow {
  id: string;
  name: string;
  teamId: string | null;
  teamName: string | null;
  sampled: number;
  rated: number;
  /** Not rated, not yet due. */
  pending: number;
  /** Not rated, past due. */
  overdue: number;
  /** Criterion id → passes (sum) of those rated on it (count), or the 1–5 marks' sum and count. */
  criteria: Record<string, Tally>;
  score: Tally;
}

export interface QaReportNote {
  agentId: string;
  agentName: string;
  conversationId: number;
  day: string;
  reviewerId: string;
  note: string;
}

export interface QaReport {
  from: string;
  to: string;
  rubric: readonly QaCriterion[];
  agents: QaReportRow[];
  teams: QaReportRow[];
  notes: QaReportNote[];
}

export interface QaReportRequest {
  from: string;
  to: string;
  rubric: readonly QaCriterion[];
  now: Date;
  /** Only this team's agents (team id or name). */
  team?: string;
  /** Only this agent (id or name). */
  agent?: string;
}

export async function qaReport(db: Queryable, request: QaReportRequest): Promise<QaReport> {
  const profiles = new Map((await agentProfiles(db)).map((p) => [p.id, p]));
  const wanted = (p: AgentProfile | undefined, agentId: string) =>
    (request.team === undefined || p?.teamId === request.team || p?.teamName === request.team) &&
    (request.agent === undefined || agentId === request.agent || p?.name === request.agent);
  const agents = new Map<string, QaReportRow>();
  const notes: QaReportNote[] = [];
  for (const review of await reviewsOfDays(db, request.from, request.to)) {
    const profile = profiles.get(review.agentId);
    if (!wanted(profile, review.agentId)) continue;
    let row = agents.get(review.agentId);
    if (!row) {
      row = emptyRow(
        review.agentId,
        profile?.name ?? review.agentId,
        profile?.teamId ?? null,
        profile?.teamName ?? null,
      );
      agents.set(review.agentId, row);
    }
    row.sampled++;
    if (review.results === null) {
      if (review.dueAt.getTime() < request.now.getTime()) row.overdue++;
      else row.pending++;
      continue;
    }
    row.rated++;
    for (const criterion of request.rubric) {
      const value = review.results[criterion.id];
      if (value === undefined) continue;
      add(tallyOf(row, criterion.id), typeof value === "boolean" ? Number(value) : value);
    }
    if (review.score !== null) add(row.score, review.score);
    if (review.note)
      notes.push({
        agentId: review.agentId,
        agentName: row.name,
        conversationId: review.id,
        day: review.day,
        reviewerId: review.reviewerId,
        note: review.note,
      });
  }
  const agentRows = [...agents.values()].sort(
    (a, b) => (a.teamId ?? "").localeCompare(b.teamId ?? "") || a.id.localeCompare(b.id),
  );
  return {
    from: request.from,
    to: request.to,
    rubric: request.rubric,
    agents: agentRows,
    teams: teamRows(agentRows),
    notes,
  };
}

function emptyRow(id: string, name: string, teamId: string | null, teamName: string | null): QaReportRow {
  return {
    id,
    name,
    teamId,
    teamName,
    sampled: 0,
    rated: 0,
    pending: 0,
    overdue: 0,
    criteria: {},
    score: { sum: 0, count: 0 },
  };
}

function tallyOf(row: QaReportRow, criterion: string): Tally {
  const tally = row.criteria[criterion] ?? { sum: 0, count: 0 };
  row.criteria[criterion] = tally;
  return tally;
}

function add(tally: Tally, value: number, count = 1): void {
  tally.sum += value;
  tally.count += count;
}

function teamRows(agents: readonly QaReportRow[]): QaReportRow[] {
  const teams = new Map<string, QaReportRow>();
  for (const a of agents) {
    const id = a.teamId ?? "";
    let team = teams.get(id);
    if (!team) {
      team = emptyRow(id, a.teamName ?? id, a.teamId, a.teamName);
      teams.set(id, team);
    }
    team.sampled += a.sampled;
    team.rated += a.rated;
    team.pending += a.pending;
    team.overdue += a.overdue;
    for (const [criterion, tally] of Object.entries(a.criteria))
      add(tallyOf(team, criterion), tally.sum, tally.count);
    add(team.score, a.score.sum, a.score.count);
  }
  return [...teams.values()];
}

/** A tally as the report shows it: a pass rate in %, a 1–5 mean, or null when nothing was rated. */
export function tallyFigure(tally: Tally | undefined, scale: QaCriterion["scale"] | "score"): number | null {
  if (!tally || tally.count === 0) return null;
  const mean = tally.sum / tally.count;
  return scale === "pass" ? Math.round(mean * 1000) / 10 : Math.round(mean * 100) / 100;
}
