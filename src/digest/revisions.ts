import type { Scorecard } from "../engine/index.ts";
import type { PublishedCard, Snapshot } from "../store/digest-snapshot-repo.ts";

/**
 * What a published digest showed of each agent, and how to tell when a later re-score (pending
 * conversion settled, a corrected export) changed it: a grade that moved, or a total that moved
 * by a point or more. Smaller drifts are rounding noise to the reader and are not reported, but
 * a figure corrected on appeal is always reported, however small the move: the team should see
 * that an appeal changed a published result (docs/appeals.md).
 */

export interface Revision {
  agentId: string;
  periodKind: string;
  periodKey: string;
  before: PublishedCard;
  after: PublishedCard;
  /** The metrics whose figures moved, the largest moves first (at most two). */
  metrics: { metric: string; before: number | null; after: number | null; appealed?: true }[];
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
  /** Per agent, the metrics of the current card corrected on appeal (StoredScorecard.corrected). */
  corrected: ReadonlyMap<string, readonly string[]> = new Map(),
): Revision[] {
  const revisions: Revision[] = [];
  for (const card of current) {
    const before = published[card.agent];
    if (!before) continue;
    const after = publishedCard(card);
    const appealed = (corrected.get(card.agent) ?? []).filter(
      (metric) => (before.actuals[metric] ?? null) !== (after.actuals[metric] ?? null),
    );
    const moved =
      appealed.length > 0 ||
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
      metrics: [
        ...appealed.map((metric) => ({
          metric,
          before: before.actuals[metric] ?? null,
          after: after.actuals[metric] ?? null,
          appealed: true as const,
        })),
        ...movedMetrics(before, after).filter((m) => !appealed.includes(m.metric)),
      ].slice(0, Math.max(METRICS_SHOWN, appealed.length)),
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
