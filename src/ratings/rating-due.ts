import {
  dayKey,
  type MetricDef,
  type Period,
  periodOfDay,
  previousPeriod,
  type RatingLevel,
} from "../engine/index.ts";
import type { AgentProfile } from "../store/agent-day-repo.ts";
import type { Queryable } from "../store/database.ts";
import { ratingsOfPeriod, type StoredRating } from "../store/rating-repo.ts";
import type { SchemeInForce } from "../store/scheme-repo.ts";
import { gradesOfAgents } from "../store/scorecard-repo.ts";

/**
 * What supervisors have to rate: each agent × rated item of the assessed period just closed (the
 * month before today's, under a monthly scheme), for the agents scored in that period, with the
 * rating given so far. The scheme is the one in force on the period's first day, as the card's.
 */

/** The schemes in force on a day, by role (bot/commands/scheme-cache.ts caches them). */
export type SchemesOn = (day: string) => Promise<Map<string, SchemeInForce>>;

export interface RatingTask {
  agent: AgentProfile;
  metric: MetricDef;
  label?: string;
  scale: readonly RatingLevel[];
  cap: number;
  period: Period;
  rated?: StoredRating;
}

/** The assessed period just closed on `today` (a day number) for a scheme graded by `kind`. */
function periodToRate(kind: Period["kind"], today: number): Period {
  return previousPeriod(periodOfDay(today, kind));
}

export async function ratingTasks(
  db: Queryable,
  schemesOn: SchemesOn,
  agents: readonly AgentProfile[],
  today: number,
): Promise<RatingTask[]> {
  const now = await schemesOn(dayKey(today));
  const byPeriod = new Map<string, { period: Period; agents: AgentProfile[] }>();
  for (const agent of agents) {
    const kind = now.get(agent.role)?.scheme.assessment;
    if (!agent.active || kind === undefined) continue;
    const period = periodToRate(kind, today);
    const entry = byPeriod.get(period.key) ?? { period, agents: [] };
    entry.agents.push(agent);
    byPeriod.set(period.key, entry);
  }
  const tasks: RatingTask[] = [];
  for (const { period, agents: those } of byPeriod.values()) {
    const schemes = await schemesOn(dayKey(period.first));
    const withItems = those.filter((a) =>
      schemes
        .get(a.role)
        ?.scheme.roles.get(a.role)
        ?.items.some((i) => i.rule.kind === "rated"),
    );
    if (withItems.length === 0) continue;
    const ids = withItems.map((a) => a.id);
    // Only agents with a card of the period: one with no figures that month has nothing to grade.
    const scored = new Set((await gradesOfAgents(db, ids, period.kind, period.key)).map((g) => g.agentId));
    const given = new Map(
      (await ratingsOfPeriod(db, period.key, ids)).map((r) => [`${r.agentId}\u0000${r.metric}`, r]),
    );
    for (const agent of withItems) {
      if (!scored.has(agent.id)) continue;
      for (const item of schemes.get(agent.role)!.scheme.roles.get(agent.role)!.items) {
        if (item.rule.kind !== "rated") continue;
        const rated = given.get(`${agent.id}\u0000${item.metric.id}`);
        tasks.push({
          agent,
          metric: item.metric,
          ...(item.label ? { label: item.label } : {}),
          scale: item.rule.scale,
          cap: item.cap,
          period,
          ...(rated ? { rated } : {}),
        });
      }
    }
  }
  return tasks;
}
