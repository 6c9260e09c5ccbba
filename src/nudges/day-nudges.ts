import { DEFAULT_TIME_ZONE, dayInZone, dayKey, parseDay } from "../engine/index.ts";
import type { AgentProfile } from "../store/agent-day-repo.ts";
import type { Queryable } from "../store/database.ts";
import { schemesInForce } from "../store/scheme-repo.ts";
import { scorecardsOf } from "../store/scorecard-repo.ts";
import { toldAmong } from "./notice-repo.ts";
import type { NudgeDeps, NudgeReport } from "./nudge-deps.ts";
import { longWaitsOn, openBadReviewsSince, unreviewedRatingsOn } from "./nudge-facts.ts";
import {
  badReviewSubject,
  type LongWait,
  lowRatingSubject,
  type NudgeItem,
  type SlowFigure,
  slowSubject,
} from "./nudge-items.ts";
import { activeProfiles, queueRun } from "./queue-run.ts";

/**
 * The nudges of a day's data, found once it is pulled: per agent the day's slow responses, the
 * ratings to review and the new bad reviews (notice-run.ts queues them with the rest of the run,
 * one message per agent). What the daily cap held back the day before is carried too. Nothing
 * older than a week is dug up: a first run on months of history nudges about this week only.
 */

/** Subjects of the day before `day` that are still untold (the cap held them) ride along. */
const DAYS_CARRIED = 2;
/** Nothing about a day, a rating or a review older than this. */
export const NUDGE_HORIZON_DAYS = 7;
/** Ratings per message; more wait for the next run. */
const RATINGS_PER_MESSAGE = 20;
/** Response figures a slow day is judged on, against the agent's scheme targets for the day. */
const SLOW_METRICS = new Set(["first_response_time", "avg_response_time"]);

/** Per agent, the day's nudges not told yet (with the new bad reviews and what the day before left). */
export async function dayNudges(
  deps: NudgeDeps,
  { day, now }: { day: string; now: Date },
): Promise<Map<string, NudgeItem[]>> {
  if (!deps.config.nudges.enabled) return new Map();
  const profiles = await activeProfiles(deps.db);
  const oldest = dayInZone(DEFAULT_TIME_ZONE)(now.getTime()) - NUDGE_HORIZON_DAYS;
  const days = Array.from({ length: DAYS_CARRIED }, (_, i) => dayKey(parseDay(day) - i)).filter(
    (d) => parseDay(d) >= oldest,
  );
  const batches = new Map<string, NudgeItem[]>();
  const add = (agentId: string, item: NudgeItem) => {
    if (!profiles.has(agentId)) return;
    const list = batches.get(agentId) ?? [];
    batches.set(agentId, list);
    list.push(item);
  };
  for (const item of await badReviewItems(deps.db, now)) add(item.agentId, item.item);
  const ratings = await unreviewedRatingsOn(deps.db, days, deps.config.nudges.lowRatingBelow);
  for (const { agentId, fact } of ratings)
    add(agentId, { type: "low_rating", subject: lowRatingSubject(fact.factId), ...fact });
  for (const slow of await slowDays(deps, days, profiles)) add(slow.agentId, slow.item);
  return untold(deps.db, batches);
}

/** Per agent, the bad reviews not told yet: looked for after every pull and by the watch. */
export async function newBadReviews(
  deps: NudgeDeps,
  { now }: { now: Date },
): Promise<Map<string, NudgeItem[]>> {
  if (!deps.config.nudges.enabled) return new Map();
  const profiles = await activeProfiles(deps.db);
  const batches = new Map<string, NudgeItem[]>();
  for (const { agentId, item } of await badReviewItems(deps.db, now)) {
    if (!profiles.has(agentId)) continue;
    batches.set(agentId, [...(batches.get(agentId) ?? []), item]);
  }
  return untold(deps.db, batches);
}

/** A run of the day's nudges alone (notice-run.ts runs them with the rest of a run). */
export async function queueDayNudges(
  deps: NudgeDeps,
  scope: { day: string; now: Date },
): Promise<NudgeReport> {
  return queueRun(deps, scope.now, { agents: await dayNudges(deps, scope), escalations: [] });
}

/** A run of the new bad reviews alone: safe to call at any time. */
export async function queueBadReviewNudges(deps: NudgeDeps, scope: { now: Date }): Promise<NudgeReport> {
  return queueRun(deps, scope.now, { agents: await newBadReviews(deps, scope), escalations: [] });
}

async function badReviewItems(db: Queryable, now: Date): Promise<{ agentId: string; item: NudgeItem }[]> {
  const since = new Date(now.getTime() - NUDGE_HORIZON_DAYS * 86_400_000);
  const reviews = await openBadReviewsSince(db, since);
  return reviews.map(({ agentId, fact }) => ({
    agentId,
    item: { type: "bad_review", subject: badReviewSubject(fact.factId), ...fact },
  }));
}

/** The batches without what was told already, ratings cut to a message's worth. */
async function untold(db: Queryable, batches: Map<string, NudgeItem[]>): Promise<Map<string, NudgeItem[]>> {
  const told = await toldAmong(
    db,
    [...batches.values()].flatMap((items) => items.map((i) => i.subject)),
  );
  const out = new Map<string, NudgeItem[]>();
  for (const [agentId, items] of batches) {
    const fresh = items.filter((i) => !told.has(i.subject));
    const later = new Set(
      fresh
        .filter((i) => i.type === "low_rating")
        .slice(RATINGS_PER_MESSAGE)
        .map((i) => i.subject),
    );
    const kept = fresh.filter((i) => !later.has(i.subject));
    if (kept.length > 0) out.set(agentId, kept);
  }
  return out;
}

/**
 * Agent-days whose first or average response time is above the agent's target that day (as the
 * day's scorecard has it: team, category and season targets applied), or with a wait longer than
 * `maxWaitSeconds`. Team leads, scored on their team's figures, are not nudged about them.
 */
async function slowDays(
  deps: NudgeDeps,
  days: readonly string[],
  profiles: ReadonlyMap<string, AgentProfile>,
): Promise<{ agentId: string; item: NudgeItem }[]> {
  const found = new Map<string, { agentId: string; day: string; figures: SlowFigure[]; waits: LongWait[] }>();
  const entry = (agentId: string, day: string) => {
    const key = slowSubject(agentId, day);
    let e = found.get(key);
    if (!e) {
      e = { agentId, day, figures: [], waits: [] };
      found.set(key, e);
    }
    return e;
  };
  for (const day of days) {
    const schemes = await schemesInForce(deps.db, day);
    const leadsTeam = (role: string) => schemes.get(role)?.scheme.roles.get(role)?.scope === "team";
    for (const { card } of await scorecardsOf(deps.db, "day", day)) {
      const profile = profiles.get(card.agent);
      if (!profile || leadsTeam(profile.role)) continue;
      const figures = card.items.flatMap((item) =>
        SLOW_METRICS.has(item.metric) &&
        item.status === "scored" &&
        item.actual !== null &&
        item.actual > item.target
          ? [{ metric: item.metric, actual: item.actual, target: item.target }]
          : [],
      );
      if (figures.length > 0) entry(card.agent, day).figures.push(...figures);
    }
  }
  for (const { agentId, day, fact } of await longWaitsOn(deps.db, days, deps.config.nudges.maxWaitSeconds)) {
    if (profiles.has(agentId)) entry(agentId, day).waits.push(fact);
  }
  return [...found].map(([subject, e]) => ({
    agentId: e.agentId,
    item: { type: "slow", subject, day: e.day, figures: e.figures, waits: e.waits },
  }));
}
