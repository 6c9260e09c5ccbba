import {
  type AgentPeriod,
  actualOf,
  dayKey,
  type MetricDef,
  PERIOD_KINDS,
  type Period,
  parseDay,
  previousPeriod,
  rankCards,
  rollUpPeriods,
  type Scheme,
  type Scorecard,
  schemeSet,
  scoreRecords,
} from "../engine/index.ts";
import { FOLLOW_UP_WINDOW_MS } from "../follow-ups/follow-up-outcomes.ts";
import { type AgentProfile, agentDaysOfAgents, type StoredAgentDay } from "../store/agent-day-repo.ts";
import { isLead, rankInputs, recordOf } from "../store/agent-records.ts";
import type { Queryable } from "../store/database.ts";
import { openBadReviews } from "../store/follow-up-repo.ts";
import { schemesInForce } from "../store/scheme-repo.ts";
import { type StoredScorecard, scorecardsOfAgents } from "../store/scorecard-repo.ts";

/**
 * Everything a team digest says, read from the store and worked out with the engine, before any
 * wording: the team's own results against the targets its agents are measured by, each agent's
 * card with the change since the previous period, who needs attention, the open bad-review
 * follow-ups, the alerts, and the daily trend for weekly and monthly digests.
 */

export interface DigestAgent {
  profile: AgentProfile;
  card: Scorecard;
  /** The same agent's total of the previous period, when scored. */
  previousTotal: number | null;
  /** The agent's place among those ranked with them (engine's rankCards); null without a grade. */
  place: number | null;
  /** Who the agent is ranked with: team, role, probation (rankCards' cohort). */
  cohort: string | null;
  /** Metrics of the card not yet final (延迟统计, the 72 h of resolution). */
  pending: readonly string[];
}

/** A watched metric of a daily or weekly digest: the team's figure and who is short of the target. */
export interface WatchRow {
  metric: MetricDef;
  label?: string;
  target: number;
  actual: number | null;
  offTarget: { agent: DigestAgent; actual: number }[];
}

export interface AttentionItem {
  metric: MetricDef;
  label?: string;
  actual: number;
  target: number;
}

export interface DigestData {
  period: Period;
  previous: Period;
  /** The scheme the team's results are measured with: the one of its agents' most common role. */
  scheme: Scheme | undefined;
  /** The team's roll-up scored as one agent, this period and the one before. */
  team: Scorecard | undefined;
  teamBefore: Scorecard | undefined;
  /** Who supervises the team: its team-scope members and its agents' supervisors. */
  supervisors: string[];
  /** Whether the period is one the team's scheme grades (a month); else it is watched. */
  graded: boolean;
  /** Ranked agents first (by cohort, then place), then those without a total. Supervisors are not ranked. */
  agents: DigestAgent[];
  /** For a watched period: the metrics the documents watch at its rhythm, against target. */
  watch: WatchRow[];
  /** Mean of the agents' totals, this period and the one before. */
  average: number | null;
  averageBefore: number | null;
  /** At the attention grade or below, with the items furthest below target. */
  attention: { agent: DigestAgent; items: AttentionItem[] }[];
  followUps: { open: number; overdue: number; soonest: { agent: string; dueAt: Date }[] };
  /** The DSR service score fell on each of the last `days` days. */
  dsrFalling: { days: number; from: number; to: number } | undefined;
  trend: TrendData | undefined;
}

/** Per day of the period: the team's figure of a few key metrics (days are watched, not graded). */
export interface TrendData {
  days: string[];
  metrics: { metric: MetricDef; label?: string; values: (number | null)[] }[];
}

export interface DigestQuery {
  members: readonly AgentProfile[];
  period: Period;
  now: Date;
  attentionGrade: string;
  dsrFallingDays: number;
  withTrend: boolean;
  /** The metrics a watched period's digest shows (digests.watch of the configuration). */
  watchMetrics: readonly string[];
}

const SOONEST_SHOWN = 3;
const TREND_METRICS = 3;
const DSR = "dsr_service";

export async function gatherDigest(db: Queryable, query: DigestQuery): Promise<DigestData> {
  const { period, members } = query;
  const previous = previousPeriod(period);
  const schemes = await schemesInForce(db, dayKey(period.first));
  const agents = members.filter((m) => !isLead(m.role, schemes));
  const ids = agents.map((a) => a.id);
  // The figures from the period before the previous one: the previous period's change metrics
  // (AOV uplift) compare with it, and the DSR alert looks back its number of days.
  const from = Math.min(previousPeriod(previous).first, period.last - query.dsrFallingDays);
  const [cards, cardsBefore, days, reviews] = await Promise.all([
    scorecardsOfAgents(db, ids, period.kind, period.key),
    scorecardsOfAgents(db, ids, previous.kind, previous.key),
    agentDaysOfAgents(db, ids, dayKey(from), dayKey(period.last)),
    openBadReviews(db, ids),
  ]);
  const role = mostCommonRole(agents);
  const scheme = role === undefined ? undefined : schemes.get(role)?.scheme;
  const byId = new Map(agents.map((a) => [a.id, a]));
  const records = days.flatMap((d) => {
    const profile = byId.get(d.agentId);
    return profile ? [recordOf(profile, d.day, d.values)] : [];
  });
  const teamCard = (p: Period) => (scheme && role ? teamScorecard(scheme, role, records, p) : undefined);
  const team = teamCard(period);
  const ranked = rank(cards, cardsBefore, byId);
  const graded = !scheme || PERIOD_KINDS.indexOf(period.kind) >= PERIOD_KINDS.indexOf(scheme.assessment);
  const attention = scheme && graded ? needingAttention(ranked, scheme, query.attentionGrade) : [];
  const supervisors = new Set(members.filter((m) => m.active && isLead(m.role, schemes)).map((m) => m.id));
  for (const a of agents) if (a.active && a.supervisorId) supervisors.add(a.supervisorId);
  return {
    period,
    previous,
    scheme,
    supervisors: [...supervisors].sort(),
    team,
    teamBefore: teamCard(previous),
    graded,
    agents: ranked,
    watch: !graded && scheme && team ? watchRows(scheme, team, ranked, query.watchMetrics) : [],
    average: mean(cards.map((c) => c.card.total)),
    averageBefore: mean(cardsBefore.map((c) => c.card.total)),
    attention,
    followUps: followUpsOf(reviews, byId, query.now),
    dsrFalling: scheme ? dsrFalling(scheme, days, period, query.dsrFallingDays) : undefined,
    trend: query.withTrend && scheme && role ? trendOf(scheme, role, records, period, team) : undefined,
  };
}

function mostCommonRole(agents: readonly AgentProfile[]): string | undefined {
  const counts = new Map<string, number>();
  for (const a of agents.filter((a) => a.active)) counts.set(a.role, (counts.get(a.role) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/**
 * The team as one agent: every member's figures of the period summed (the records are all
 * relabelled to the team, so the roll-up also finds the previous period for change metrics).
 */
function teamScorecard(
  scheme: Scheme,
  role: string,
  records: readonly AgentPeriod[],
  period: Period,
): Scorecard | undefined {
  const asTeam = records.map((r) => ({ ...r, agent: "team", role }));
  if (!asTeam.some((r) => parseDay(r.period) >= period.first && parseDay(r.period) <= period.last))
    return undefined;
  // Scored as the agents are: a period a season covers in part, stretch by stretch.
  return scoreRecords(schemeSet([scheme]), asTeam, period)[0];
}

function rank(
  cards: readonly StoredScorecard[],
  before: readonly StoredScorecard[],
  byId: ReadonlyMap<string, AgentProfile>,
): DigestAgent[] {
  const previousTotals = new Map(before.map((c) => [c.card.agent, c.card.total]));
  const mine = cards.filter((c) => byId.has(c.card.agent));
  const ranks = rankCards(
    rankInputs(
      mine.map((c) => c.card),
      byId,
    ),
  );
  const cohorts = [...new Set([...ranks.values()].map((r) => r.cohort))];
  return mine
    .map((c) => ({
      profile: byId.get(c.card.agent)!,
      card: c.card,
      previousTotal: previousTotals.get(c.card.agent) ?? null,
      place: ranks.get(c.card.agent)?.place ?? null,
      cohort: ranks.get(c.card.agent)?.cohort ?? null,
      pending: c.pending,
    }))
    .sort(
      (a, b) =>
        (a.cohort === null ? 1 : 0) - (b.cohort === null ? 1 : 0) ||
        cohorts.indexOf(a.cohort ?? "") - cohorts.indexOf(b.cohort ?? "") ||
        (a.place ?? 0) - (b.place ?? 0) ||
        a.profile.name.localeCompare(b.profile.name),
    );
}

/** The watched metrics the team's scheme has a target for, with who is short of it, furthest first. */
function watchRows(
  scheme: Scheme,
  team: Scorecard,
  agents: readonly DigestAgent[],
  metrics: readonly string[],
): WatchRow[] {
  return metrics.flatMap((id) => {
    const item = team.items.find((i) => i.metric === id);
    const metric = scheme.catalogue.get(id);
    if (!item || !metric) return [];
    const offTarget = agents
      .flatMap((agent) => {
        const own = agent.card.items.find((i) => i.metric === id);
        return own && own.actual !== null && own.score !== null && own.score < 100
          ? [{ agent, actual: own.actual, score: own.score }]
          : [];
      })
      .sort((a, b) => a.score - b.score)
      .map(({ agent, actual }) => ({ agent, actual }));
    return [
      {
        metric,
        ...(item.label ? { label: item.label } : {}),
        target: item.target,
        actual: item.actual,
        offTarget,
      },
    ];
  });
}

/** Agents at the grade or below (in the scheme's order of grades), weakest first. */
function needingAttention(
  agents: readonly DigestAgent[],
  scheme: Scheme,
  attentionGrade: string,
): DigestData["attention"] {
  const order = scheme.grades.map((g) => g.grade);
  const threshold = order.indexOf(attentionGrade);
  if (threshold < 0) return [];
  return agents
    .filter((a) => a.card.grade !== null && order.indexOf(a.card.grade) >= threshold)
    .reverse()
    .map((agent) => ({
      agent,
      items: agent.card.items
        .filter((i) => i.score !== null && i.actual !== null && i.score < 100)
        .sort((x, y) => x.score! - y.score!)
        .slice(0, 2)
        .flatMap((i) => {
          const metric = scheme.catalogue.get(i.metric);
          return metric
            ? [{ metric, actual: i.actual!, target: i.target, ...(i.label ? { label: i.label } : {}) }]
            : [];
        }),
    }));
}

function followUpsOf(
  reviews: Awaited<ReturnType<typeof openBadReviews>>,
  byId: ReadonlyMap<string, AgentProfile>,
  now: Date,
): DigestData["followUps"] {
  const due = reviews.map((r) => ({
    agent: (r.agentId && byId.get(r.agentId)?.name) || r.agentId || "",
    dueAt: new Date(r.at.getTime() + FOLLOW_UP_WINDOW_MS),
  }));
  return {
    open: due.length,
    overdue: due.filter((d) => d.dueAt.getTime() < now.getTime()).length,
    soonest: due
      .filter((d) => d.dueAt.getTime() >= now.getTime())
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
      .slice(0, SOONEST_SHOWN),
  };
}

/** The team's DSR service score by day, when the figures carry it: falling on each of the last `days` days? */
function dsrFalling(
  scheme: Scheme,
  days: readonly StoredAgentDay[],
  period: Period,
  count: number,
): DigestData["dsrFalling"] {
  const metric = scheme.catalogue.get(DSR);
  if (!metric) return undefined;
  const byDay = new Map<number, number[]>();
  for (const d of days) {
    const value = d.values[DSR];
    const actual = value ? actualOf(metric, value) : null;
    if (actual === null) continue;
    const n = parseDay(d.day);
    byDay.set(n, [...(byDay.get(n) ?? []), actual]);
  }
  const series: number[] = [];
  for (let n = period.last - count; n <= period.last; n++) {
    const values = byDay.get(n);
    if (!values) return undefined;
    series.push(values.reduce((s, v) => s + v, 0) / values.length);
  }
  const falling = series.every((v, i) => i === 0 || v < series[i - 1]!);
  return falling ? { days: count, from: series[0]!, to: series[series.length - 1]! } : undefined;
}

function trendOf(
  scheme: Scheme,
  role: string,
  records: readonly AgentPeriod[],
  period: Period,
  team: Scorecard | undefined,
): TrendData {
  const days: string[] = [];
  for (let n = period.first; n <= period.last; n++) days.push(dayKey(n));
  // The heaviest items whose figures read well on a line: rates and times, not counts or yuan.
  const metrics = [...(team?.items ?? [])]
    .sort((a, b) => b.weight - a.weight)
    .map((item) => ({ item, metric: scheme.catalogue.get(item.metric) }))
    .filter(
      (x): x is { item: (typeof x)["item"]; metric: MetricDef } =>
        x.metric !== undefined && (x.metric.unit === "percent" || x.metric.unit === "seconds"),
    )
    .slice(0, TREND_METRICS);
  const byDay = new Map<string, AgentPeriod[]>();
  for (const r of records) byDay.set(r.period, [...(byDay.get(r.period) ?? []), r]);
  const teamDay = (day: string) => {
    const list = (byDay.get(day) ?? []).map((r) => ({ ...r, agent: "team", role }));
    return list.length ? rollUpPeriods(list, "day", scheme.catalogue)[0]?.values : undefined;
  };
  const teamDays = days.map(teamDay);
  return {
    days,
    metrics: metrics.map(({ item, metric }) => ({
      metric,
      ...(item.label ? { label: item.label } : {}),
      values: teamDays.map((values) => {
        const value = values?.[metric.id];
        return value ? actualOf(metric, value) : null;
      }),
    })),
  };
}

function mean(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return null;
  return Math.round((known.reduce((s, v) => s + v, 0) / known.length) * 10) / 10;
}
