import { InvalidInput } from "./errors.ts";
import { adviseNextGrade, type NextGradeAdvice } from "./explain.ts";
import type { MetricCatalogue } from "./metrics.ts";
import { type Period, parseDay } from "./period.ts";
import { applyRatings, type PeriodRating, ratedMetricsOf } from "./ratings.ts";
import { rollUpPeriods, sumValues } from "./rollup.ts";
import type { Scheme } from "./scheme-types.ts";
import { type AgentPeriod, type Scorecard, scoreAgent } from "./score.ts";
import { type Segment, seasonSegments } from "./season.ts";
import type { SegmentValues } from "./segments.ts";
import { scoreTeamLead } from "./team.ts";

/**
 * Several schemes used together, one per role: pre-sales agents by `presales`, their supervisor
 * by `supervisor`, so a whole team is scored in one go.
 */
export interface SchemeSet {
  readonly schemes: readonly Scheme[];
  readonly byRole: ReadonlyMap<string, Scheme>;
  /** Every metric any of the schemes knows. */
  readonly catalogue: MetricCatalogue;
}

export function schemeSet(schemes: readonly Scheme[]): SchemeSet {
  const byRole = new Map<string, Scheme>();
  let catalogue = schemes[0]?.catalogue;
  for (const scheme of schemes) {
    for (const role of scheme.roles.keys()) {
      const other = byRole.get(role);
      if (other)
        throw new InvalidInput("--scheme", `role ${role} is defined by both ${other.id} and ${scheme.id}`);
      byRole.set(role, scheme);
    }
    if (catalogue && scheme.catalogue !== catalogue) {
      catalogue = catalogue.extend([...scheme.catalogue.all()].filter((m) => !catalogue!.get(m.id)));
    }
  }
  if (!catalogue) throw new InvalidInput("--scheme", "no scheme given");
  return { schemes, byRole, catalogue };
}

function schemeFor(set: SchemeSet, record: AgentPeriod): Scheme {
  const scheme = set.byRole.get(record.role);
  if (!scheme) {
    throw new InvalidInput(
      `${record.agent} ${record.period}`,
      `role "${record.role}" is in no scheme given (roles: ${[...set.byRole.keys()].join(", ")})`,
    );
  }
  return scheme;
}

/**
 * Scores every record: rolled up into `period` first if one is given (days into a month …),
 * supervisors (scope: team) from their team's agents of the same period.
 */
export function scoreRecords(
  set: SchemeSet,
  records: readonly AgentPeriod[],
  period?: Period,
  ratings: readonly PeriodRating[] = [],
): Scorecard[] {
  const cards: Scorecard[] = [];
  eachScored(set, rolledUp(set, records, period, ratings), (card) => cards.push(card));
  return cards;
}

/** A card with the engine's advice on reaching the next grade (agents; team-scored roles have none). */
export interface AdvisedScorecard {
  card: Scorecard;
  advice?: NextGradeAdvice;
}

/**
 * scoreRecords, with each agent's next-grade advice worked out from the same rolled-up figures:
 * what the bot stores, so that `/kpi me` shows the coaching line without rolling the days up again.
 */
export function scoreRecordsWithAdvice(
  set: SchemeSet,
  records: readonly AgentPeriod[],
  period?: Period,
  ratings: readonly PeriodRating[] = [],
): AdvisedScorecard[] {
  const cards: AdvisedScorecard[] = [];
  scoreRecordsEach(set, records, period, ratings, (advised) => cards.push(advised));
  return cards;
}

/**
 * scoreRecordsWithAdvice, each card handed on as soon as it is scored, in the same order, and not
 * kept: a caller that stores cards as text (drain-owed.ts) lets each die young rather than hold a
 * period's 10,000 until the last is scored.
 */
export function scoreRecordsEach(
  set: SchemeSet,
  records: readonly AgentPeriod[],
  period: Period | undefined,
  ratings: readonly PeriodRating[],
  each: (advised: AdvisedScorecard) => void,
): void {
  eachScored(set, rolledUp(set, records, period, ratings), (card, record, scheme, lead) =>
    each(lead ? { card } : { card, advice: adviseNextGrade(scheme, record, card) }),
  );
}

/** Supervisors' ratings (ratings.ts) go in after the roll-up: a rating is never summed with days. */
function rolledUp(
  set: SchemeSet,
  records: readonly AgentPeriod[],
  period: Period | undefined,
  ratings: readonly PeriodRating[],
): AgentPeriod[] {
  const rolled = period ? rollUpPeriods(records, period, set.catalogue) : records.map((r) => ({ ...r }));
  if (period && rolled.length === 0) throw new InvalidInput("--period", `no figures fall in ${period.key}`);
  if (period) addSegments(set, rolled, records, period);
  applyRatings(rolled, ratings, (record) => {
    const scheme = set.byRole.get(record.role);
    return scheme ? ratedMetricsOf(scheme, record.role) : [];
  });
  return rolled;
}

/**
 * Where a role's seasons cover the period in part, each agent's figures cut at the seasons' edges
 * too (segments.ts), from their day records; a team's lead gets the team's. Records longer than
 * a day cannot be cut: their cards hold the whole figure against the days-weighted target.
 */
function addSegments(
  set: SchemeSet,
  rolled: AgentPeriod[],
  records: readonly AgentPeriod[],
  period: Period,
): void {
  const cutFor = (record: AgentPeriod) => {
    const segments = seasonSegments(schemeFor(set, record), record.role, period);
    return segments.length > 1 ? segments : undefined;
  };
  if (!rolled.some(cutFor)) return;
  const days = new Map<string, AgentPeriod[]>();
  const longer = new Set<string>();
  for (const record of records) {
    if (record.period.length !== 10) {
      longer.add(`${record.agent}\u0000${record.role}`);
      continue;
    }
    const day = parseDay(record.period);
    if (day < period.first || day > period.last) continue;
    const key = `${record.agent}\u0000${record.role}`;
    const list = days.get(key);
    if (list) list.push(record);
    else days.set(key, [record]);
  }
  const isDayWise = (record: AgentPeriod) => !longer.has(`${record.agent}\u0000${record.role}`);
  for (const record of rolled) {
    const segments = cutFor(record);
    if (!segments || isLeadRecord(set, record)) continue;
    if (!isDayWise(record)) continue;
    record.segments = valuesBySegment(days.get(`${record.agent}\u0000${record.role}`) ?? [], segments, set);
  }
  for (const lead of rolled) {
    const segments = cutFor(lead);
    if (!segments || !isLeadRecord(set, lead)) continue;
    const members = rolled.filter((m) => m.team === lead.team && !isLeadRecord(set, m));
    if (!members.every(isDayWise)) continue;
    const memberDays = members.flatMap((m) => days.get(`${m.agent}\u0000${m.role}`) ?? []);
    const team = valuesBySegment(memberDays, segments, set);
    const own = valuesBySegment(days.get(`${lead.agent}\u0000${lead.role}`) ?? [], segments, set);
    lead.segments = team.map((t, s) => ({ ...t, values: { ...t.values, ...own[s]!.values } }));
  }
}

function valuesBySegment(
  days: readonly AgentPeriod[],
  segments: readonly Segment[],
  set: SchemeSet,
): SegmentValues[] {
  return segments.map((segment) => ({
    first: segment.first,
    last: segment.last,
    values: sumValues(
      days
        .filter((d) => {
          const day = parseDay(d.period);
          return day >= segment.first && day <= segment.last;
        })
        .map((d) => d.values),
      set.catalogue,
    ),
  }));
}

const isLeadRecord = (set: SchemeSet, record: AgentPeriod) =>
  schemeFor(set, record).roles.get(record.role)?.scope === "team";

/** Scores the rolled-up records in their order, supervisors from their team's agents of the same period. */
function eachScored(
  set: SchemeSet,
  rolled: readonly AgentPeriod[],
  each: (card: Scorecard, record: AgentPeriod, scheme: Scheme, lead: boolean) => void,
): void {
  const isLead = (r: AgentPeriod) => isLeadRecord(set, r);
  // Each team's agents of each period, found once: a filter per supervisor is leads × records.
  let teams: Map<string, AgentPeriod[]> | undefined;
  for (const record of rolled) {
    const scheme = schemeFor(set, record);
    if (!isLead(record)) {
      each(scoreAgent(scheme, record), record, scheme, false);
      continue;
    }
    if (record.team === undefined) {
      throw new InvalidInput(
        `${record.agent} ${record.period}`,
        `role ${record.role} is scored on a team: give the record a team`,
      );
    }
    teams ??= teamsOf(rolled, isLead);
    const members = teams.get(`${record.team}\u0000${record.period}`) ?? [];
    if (members.length === 0) {
      throw new InvalidInput(
        `${record.agent} ${record.period}`,
        `team ${record.team} has no agents' figures for ${record.period}`,
      );
    }
    each(scoreTeamLead(scheme, record, members), record, scheme, true);
  }
}

/** The records of agents (not supervisors) by team and period, in the records' order. */
function teamsOf(
  rolled: readonly AgentPeriod[],
  isLead: (r: AgentPeriod) => boolean,
): Map<string, AgentPeriod[]> {
  const teams = new Map<string, AgentPeriod[]>();
  for (const m of rolled) {
    if (m.team === undefined || isLead(m)) continue;
    const key = `${m.team}\u0000${m.period}`;
    const members = teams.get(key);
    if (members) members.push(m);
    else teams.set(key, [m]);
  }
  return teams;
}
