import type { Scorecard } from "../engine/index.ts";
import type { PublishedCard, Snapshot } from "../store/digest-snapshot-repo.ts";

/**
 * What a published digest showed of each agent, and how to tell when a later re-score (pending
 * conversion settled, a corrected export) changed it: a grade that moved, or a total that moved
 * by a point or more. Smaller drifts are rounding noise to the reader and are not reported.
 */

export interface Revision {
  agentId: string;
  periodKind: string;
  periodKey: string;
  before: PublishedCard;
  after: PublishedCard;
  /** The metrics whose figures moved, the largest moves first (at most two). */
  metrics: { metric: string; before: number | null; after: number | null }[];
}

const NOTICEABLE_POINTS = 1;
const METRICS_SHOWN = 2;

export function publishedCard(card: Scorecard): PublishedCard {
  return {
    total: card.total,
    grade: card.grade,
    actuals: Object.fromEntries(card.items.map((i) => [i.metric, i.actual])),
  };
}

export function snapshotOf(cards: readonly Scorecard[]): Snapshot {
  return Object.fromEntries(cards.map((c) => [c.agent, publishedCard(c)]));
}

/** The agents whose published card the current one revises noticeably. */
export function revisionsOf(
  published: Snapshot,
  current: readonly Scorecard[],
  period: { kind: string; key: string },
): Revision[] {
  const revisions: Revision[] = [];
  for (const card of current) {
    const before = published[card.agent];
    if (!before) continue;
    const after = publishedCard(card);
    const moved =
      before.grade !== after.grade ||
      (before.total === null) !== (after.total === null) ||
      (before.total !== null &&
        after.total !== null &&
        Math.abs(after.total - before.total) >= NOTICEABLE_POINTS);
    if (!moved) continue;
    revisions.push({
      agentId: card.agent,
      periodKind: period.kind,
      periodKey: period.key,
      before,
      after,
      metrics: movedMetrics(before, after),
    });
  }
  return revisions;
}

function movedMetrics(before: PublishedCard, after: PublishedCard): Revision["metrics"] {
  const relative = (a: number | null, b: number | null) => {
    if (a === null || b === null) return a === b ? 0 : Number.POSITIVE_INFINITY;
    if (a === b) return 0;
    return Math.abs(b - a) / Math.max(Math.abs(a), Math.abs(b));
  };
  return Object.keys(after.actuals)
    .map((metric) => ({
      metric,
      before: before.actuals[metric] ?? null,
      after: after.actuals[metric] ?? null,
    }))
    .map((m) => ({ ...m, move: relative(m.before, m.after) }))
    .filter((m) => m.move > 1e-9)
    .sort((a, b) => b.move - a.move)
    .slice(0, METRICS_SHOWN)
    .map(({ move: _, ...m }) => m);
}
