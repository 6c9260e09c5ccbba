import { eq } from "drizzle-orm";
import {
  type AgentPeriod,
  assessmentFor,
  dayKey,
  type NextGradeAdvice,
  type Period,
  previousPeriod,
  type Scheme,
  type SchemeSet,
  type Scorecard,
  scoreRecordsEach,
} from "../engine/index.ts";
import {
  type AgentProfile,
  agentDaysBetween,
  agentProfiles,
  type StoredAgentDay,
} from "../store/agent-day-repo.ts";
import { type AgentDayFigures, addAgentDayFigures, isLead, recordOf } from "../store/agent-records.ts";
import type { Db } from "../store/database.ts";
import { owedPeriod } from "../store/owed-scoring-repo.ts";
import { ratingsWithin } from "../store/rating-repo.ts";
import { recoveryCounts } from "../store/recovery-repo.ts";
import { configSync } from "../store/schema.ts";
import { type SchemeInForce, schemesInForce, scoresRecovery } from "../store/scheme-repo.ts";
import { oldestCardOf, type StoredScorecard, saveScorecards, scorecardsOf } from "../store/scorecard-repo.ts";
import { applyAppealCorrections } from "./appeal-corrections.ts";
import { addQaFigures, scoresQa } from "./qa-figures.ts";

/**
 * Scores every agent for one period from the stored agent-days, with the scheme versions in force
 * on the period's first day, and saves the cards (re-scores audited).
 */

export interface ScoreOutcome {
  period: Period;
  cards: StoredScorecard[];
  /** How many cards were scored and saved. */
  cardCount: number;
  /** Agents with figures that could not be scored, and why (no scheme for their role …). */
  unscored: { agentId: string; reason: string }[];
  rescored: number;
}

/**
 * What a scoring reads besides the scheme versions and follow-ups: the agent-days of a span of
 * days (sorted by shop, agent and day, as agentDaysBetween gives them) and every agent's profile.
 * The store by default; drain-owed.ts gives several periods one load of both.
 */
export interface ScoringInputs {
  agentDays(from: string, to: string): Promise<StoredAgentDay[]>;
  profiles(): Promise<AgentProfile[]>;
}

export const storedInputs = (db: Db): ScoringInputs => ({
  agentDays: (from, to) => agentDaysBetween(db, from, to),
  profiles: () => agentProfiles(db),
});

export async function scorePeriod(
  db: Db,
  period: Period,
  options: { actor: string; now: Date },
  inputs: ScoringInputs = storedInputs(db),
): Promise<ScoreOutcome> {
  const { cards, unscored } = await cardsOfPeriod(db, period, inputs);
  const rescored = await saveScorecards(db, period.kind, period.key, cards, options.actor, options.now);
  return { period, cards, cardCount: cards.length, unscored, rescored };
}

/**
 * The period's cards as stored when they are known to be current, else scored now and saved (as
 * `scorePeriod`). Current: the period owes no re-score (every change of figures owes one, in the
 * transaction that makes it: owed-scoring-repo.ts) and every card was scored after the last
 * configuration sync (roster and scheme changes owe nothing). What `kpi score` reads: the cards
 * `/kpi me` and the digests show, without the re-score that took half of a one-second command.
 */
export async function currentCards(
  db: Db,
  period: Period,
  options: { actor: string; now: Date },
): Promise<StoredScorecard[]> {
  const [owed, oldest, [synced]] = await Promise.all([
    owedPeriod(db, period.key),
    oldestCardOf(db, period.kind, period.key),
    db.select({ at: configSync.syncedAt }).from(configSync).where(eq(configSync.id, 1)),
  ]);
  const current = !owed && oldest !== undefined && (!synced || oldest >= synced.at);
  if (current) return scorecardsOf(db, period.kind, period.key);
  return (await scorePeriod(db, period, options)).cards;
}

/** The period's cards, worked out and not saved. */
export function cardsOfPeriod(
  db: Db,
  period: Period,
  inputs: ScoringInputs,
): Promise<Pick<ScoreOutcome, "cards" | "unscored">> {
  return scoredOfPeriod(db, period, inputs, (stored) => stored);
}

/**
 * cardsOfPeriod, each card handed to `as` as soon as it is scored and only what that gives kept:
 * the drain keeps each card's stored text (scorecard-repo.ts `cardRow`), so that a period's cards
 * die young instead of being held, all 10,000 of a big shop's day, until the last is scored.
 */
export async function scoredOfPeriod<T>(
  db: Db,
  period: Period,
  inputs: ScoringInputs,
  as: (stored: StoredScorecard) => T,
): Promise<{ cards: T[]; unscored: ScoreOutcome["unscored"] }> {
  const schemes = await schemesInForce(db, dayKey(period.first));
  let profiles = new Map((await inputs.profiles()).map((p) => [p.id, p]));
  // A fortnight is graded only for new hires on probation (seed 002): no one else gets its card.
  if (period.kind === "fortnight") {
    profiles = new Map([...profiles].filter(([, p]) => onProbation(p, schemes, period)));
    if (profiles.size === 0) return { cards: [], unscored: [] };
  }
  // The period before too: period-over-period metrics (AOV uplift) compare with it.
  const from = previousPeriod(period).first;
  const stored = await inputs.agentDays(dayKey(from), dayKey(period.last));
  const unscored: ScoreOutcome["unscored"] = [];
  const records: AgentPeriod[] = [];
  const pending = new Map<string, Set<string>>();
  const scored = new Set<string>();
  // Days as YYYY-MM-DD compare as text: no parsing per row (a month of a big shop is 600,000).
  const first = dayKey(period.first);
  for (const row of stored) {
    const profile = profiles.get(row.agentId);
    if (!profile) continue;
    if (!schemes.has(profile.role)) {
      if (!unscored.some((u) => u.agentId === row.agentId))
        unscored.push({ agentId: row.agentId, reason: `no scheme for role ${profile.role}` });
      continue;
    }
    records.push(recordOf(profile, row.day, row.values));
    if (row.day >= first) {
      scored.add(profile.id);
      if (row.pending.length > 0) {
        const set = pending.get(profile.id) ?? new Set<string>();
        pending.set(profile.id, set);
        for (const id of row.pending) set.add(id);
      }
    }
  }
  if (scoresRecovery(schemes)) await addRecoveryFigures(db, records, profiles, period);
  if (scoresQa(schemes)) await addQaFigures(db, records, profiles, period);
  const set = schemeSetOf(schemes);
  const corrected = await applyAppealCorrections(db, records, profiles, period, set.catalogue);
  if (period.kind !== "fortnight") addTeamLeads(records, profiles, schemes, scored, period);
  const inPeriod = records.filter((r) => scored.has(r.agent));
  // Supervisors' ratings of rated items (store/rating-repo.ts) go in after the roll-up (ratings.ts).
  const ratings = inPeriod.length === 0 ? [] : await ratingsWithin(db, period);
  const cards: T[] = [];
  if (inPeriod.length === 0) return { cards, unscored };
  scoreRecordsEach(set, inPeriod, period, ratings, ({ card, advice }) => {
    const versionId = schemes.get(card.role)!.versionId;
    cards.push(as(storedCard(card, versionId, advice, pending.get(card.agent), corrected.get(card.agent))));
  });
  return { cards, unscored };
}

/** The card as stored, with the metrics of its items still pending or corrected by an appeal. */
function storedCard(
  card: Scorecard,
  schemeVersionId: number,
  advice: NextGradeAdvice | undefined,
  pending: ReadonlySet<string> | undefined,
  corrected: ReadonlySet<string> | undefined,
): StoredScorecard {
  const onCard = (id: string) => card.items.some((i) => i.metric === id);
  const fixed = corrected ? [...corrected].filter(onCard) : [];
  return {
    card,
    schemeVersionId,
    pending: pending ? [...pending].filter((id) => onCard(id) && !fixed.includes(id)) : [],
    ...(advice ? { advice } : {}),
    ...(fixed.length ? { corrected: fixed } : {}),
  };
}

const RECOVERY = "bad_review_recovery";

/**
 * 差评挽回率 from the follow-ups, per agent-day: den = the agent's bad reviews of that day,
 * num = those recovered. Every bad review counts, open ones as not (yet) recovered: the
 * definition divides by all such reviews [000], and a card then depends only on what is stored,
 * not on the clock (a review crossing its 24 h deadline would otherwise change a figure with
 * nothing recorded, and nothing would re-score it); recording `recovered` is the one event that
 * changes the figure, and rescore-follow-ups.ts re-scores on it.
 *
 * A figure the source data gives for an agent-day wins: the platform's own count of changed or
 * removed reviews is what the shop is measured on. So does a ready-made one (finished, "35%")
 * anywhere in an agent's team: it cannot be combined with counts, in the agent's own roll-up or
 * in the team lead's, so counted figures are left out there rather than failing the period.
 * A bad review on a day without figures adds a record of its own, which counts in the agent's
 * week and month but scores no one who has no figures in the period.
 */
async function addRecoveryFigures(
  db: Db,
  records: AgentPeriod[],
  profiles: Map<string, AgentProfile>,
  period: Period,
): Promise<void> {
  // Recovery is a plain ratio: the period before (loaded for change metrics) needs none.
  const first = dayKey(period.first);
  const groupOf = (agentId: string) => profiles.get(agentId)?.teamId ?? `agent:${agentId}`;
  const finishedIn = new Set<string>();
  const agentIds = new Set<string>();
  for (const r of records) {
    if (r.period < first) continue;
    agentIds.add(r.agent);
    if (r.values[RECOVERY]?.finished) finishedIn.add(groupOf(r.agent));
  }
  const counts = (await recoveryCounts(db, [...agentIds], first, dayKey(period.last))).filter(
    (c) => !finishedIn.has(groupOf(c.agentId)),
  );
  if (counts.length === 0) return;
  const byAgentDay = new Map(
    counts.map((c): [string, AgentDayFigures] => [
      `${c.agentId}\u0000${c.day}`,
      { agentId: c.agentId, day: c.day, values: { [RECOVERY]: { num: c.recovered, den: c.badReviews } } },
    ]),
  );
  // A figure the source gave on any record of the agent-day wins, not only on the first.
  for (const r of records)
    if (r.values[RECOVERY] !== undefined) byAgentDay.delete(`${r.agent}\u0000${r.period}`);
  addAgentDayFigures(records, profiles, byAgentDay);
}

/**
 * A supervisor is scored on the team's roll-up: each active one whose team has figures in the
 * period gets a record (empty unless they have manual figures of their own); one whose team has
 * none is not scored for the period.
 */
function addTeamLeads(
  records: AgentPeriod[],
  profiles: Map<string, AgentProfile>,
  schemes: Map<string, { scheme: Scheme }>,
  scored: Set<string>,
  period: Period,
): void {
  const leads = [...profiles.values()].filter((profile) => isLead(profile.role, schemes));
  for (const lead of leads) scored.delete(lead.id);
  // One pass over the records (a month of a big shop is 600,000 of them), not one per lead.
  const firstMember = new Map<string, AgentPeriod>();
  const withOwnFigures = new Set<string>();
  const first = dayKey(period.first);
  for (const r of records) {
    if (r.period < first) continue;
    withOwnFigures.add(r.agent);
    if (r.team !== undefined && !firstMember.has(r.team) && scored.has(r.agent) && !isLead(r.role, schemes))
      firstMember.set(r.team, r);
  }
  for (const lead of leads) {
    if (!lead.active || !lead.teamId) continue;
    const member = firstMember.get(lead.teamId);
    if (!member) continue;
    scored.add(lead.id);
    if (!withOwnFigures.has(lead.id)) records.push(recordOf(lead, member.period, {}));
  }
}

/** The engine's scheme set from the versions in force: each role scored by its own version. */
function schemeSetOf(schemes: Map<string, { scheme: Scheme }>): SchemeSet {
  const byRole = new Map([...schemes].map(([role, v]) => [role, v.scheme]));
  const unique = [...new Set(byRole.values())];
  let catalogue = unique[0]!.catalogue;
  for (const scheme of unique.slice(1)) {
    if (scheme.catalogue !== catalogue)
      catalogue = catalogue.extend([...scheme.catalogue.all()].filter((m) => !catalogue.get(m.id)));
  }
  return { schemes: unique, byRole, catalogue };
}

function onProbation(profile: AgentProfile, schemes: Map<string, SchemeInForce>, period: Period): boolean {
  const scheme = schemes.get(profile.role)?.scheme;
  if (!scheme || profile.traineeSince === null) return false;
  return assessmentFor(scheme, { traineeSince: profile.traineeSince }, period) === "fortnight";
}
