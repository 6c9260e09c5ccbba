import { and, eq, gte, sql } from "drizzle-orm";
import type { Queryable } from "./database.ts";
import { digestSnapshots } from "./schema.ts";

/** What each published digest showed, per team and period (digest/revisions.ts compares them). */

/** An agent as a published digest showed them. */
export interface PublishedCard {
  total: number | null;
  grade: string | null;
  /** Item actuals in engine units, by metric id. */
  actuals: Record<string, number | null>;
}

/** The agents of one published digest, by agent id. */
export type Snapshot = Record<string, PublishedCard>;

export interface StoredSnapshot {
  periodKind: string;
  periodKey: string;
  publishedAt: Date;
  cards: Snapshot;
}

/** The team's snapshots published since `since`, newest first. */
export async function recentSnapshots(db: Queryable, teamId: string, since: Date): Promise<StoredSnapshot[]> {
  const rows = await db
    .select({
      periodKind: digestSnapshots.periodKind,
      periodKey: digestSnapshots.periodKey,
      publishedAt: digestSnapshots.publishedAt,
      cards: digestSnapshots.cards,
    })
    .from(digestSnapshots)
    .where(and(eq(digestSnapshots.teamId, teamId), gte(digestSnapshots.publishedAt, since)))
    .orderBy(sql`${digestSnapshots.publishedAt} DESC`);
  return rows.map((r) => ({ ...r, cards: r.cards as Snapshot }));
}

/** Records what a digest published; a repeat for the same period (another channel) replaces it. */
export async function saveSnapshot(
  db: Queryable,
  teamId: string,
  period: { kind: string; key: string },
  cards: Snapshot,
  publishedAt: Date,
): Promise<void> {
  await db
    .insert(digestSnapshots)
    .values({ teamId, periodKind: period.kind, periodKey: period.key, publishedAt, cards })
    .onConflictDoUpdate({
      target: [digestSnapshots.teamId, digestSnapshots.periodKind, digestSnapshots.periodKey],
      set: { cards, publishedAt },
    });
}

/** Revised agents' cards, once their revision is published: the next digest does not repeat it. */
export async function reviseSnapshot(
  db: Queryable,
  teamId: string,
  period: { kind: string; key: string },
  revised: Snapshot,
): Promise<void> {
  await db
    .update(digestSnapshots)
    .set({ cards: sql`${digestSnapshots.cards} || ${JSON.stringify(revised)}::jsonb` })
    .where(
      and(
        eq(digestSnapshots.teamId, teamId),
        eq(digestSnapshots.periodKind, period.kind),
        eq(digestSnapshots.periodKey, period.key),
      ),
    );
}
