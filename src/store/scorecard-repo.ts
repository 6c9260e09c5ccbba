import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Scorecard } from "../engine/index.ts";
import { recordAudits } from "./audit-repo.ts";
import type { Queryable } from "./database.ts";
import { agents, scorecards } from "./schema.ts";

/** A computed scorecard with the scheme version it was scored by and what is not final yet. */
export interface StoredScorecard {
  card: Scorecard;
  schemeVersionId: number;
  /** Metrics of the card whose figures are still pending. */
  pending: string[];
}

const CHUNK = 500;

/**
 * Saves the cards of one period, replacing earlier ones; a card whose total or grade changed is
 * a re-score and leaves an audit entry with before and after.
 */
export async function saveScorecards(
  db: Queryable,
  kind: string,
  periodKey: string,
  cards: StoredScorecard[],
  actor: string,
  now: Date,
): Promise<number> {
  let rescored = 0;
  for (let i = 0; i < cards.length; i += CHUNK) {
    const chunk = cards.slice(i, i + CHUNK);
    const before = await db
      .select({ agentId: scorecards.agentId, total: scorecards.total, grade: scorecards.grade })
      .from(scorecards)
      .where(
        and(
          eq(scorecards.periodKind, kind),
          eq(scorecards.periodKey, periodKey),
          inArray(
            scorecards.agentId,
            chunk.map((c) => c.card.agent),
          ),
        ),
      );
    const previous = new Map(before.map((b) => [b.agentId, b]));
    const audits = chunk.flatMap(({ card }) => {
      const old = previous.get(card.agent);
      if (!old || (old.total === card.total && old.grade === card.grade)) return [];
      return [
        {
          at: now,
          actor,
          action: "scorecard.rescore",
          subject: `agent:${card.agent} ${periodKey}`,
          detail: {
            before: { total: old.total, grade: old.grade },
            after: { total: card.total, grade: card.grade },
          },
        },
      ];
    });
    rescored += audits.length;
    await recordAudits(db, audits);
    await db
      .insert(scorecards)
      .values(
        chunk.map(({ card, schemeVersionId, pending }) => ({
          agentId: card.agent,
          periodKind: kind,
          periodKey,
          schemeVersionId,
          total: card.total,
          grade: card.grade,
          coefficient: card.coefficient,
          card: { ...card, pending },
          computedAt: now,
        })),
      )
      .onConflictDoUpdate({
        target: [scorecards.agentId, scorecards.periodKind, scorecards.periodKey],
        set: {
          schemeVersionId: sql`excluded.scheme_version_id`,
          total: sql`excluded.total`,
          grade: sql`excluded.grade`,
          coefficient: sql`excluded.coefficient`,
          card: sql`excluded.card`,
          computedAt: sql`excluded.computed_at`,
        },
      });
  }
  return rescored;
}

export async function scorecardsOf(
  db: Queryable,
  kind: string,
  periodKey: string,
): Promise<StoredScorecard[]> {
  const rows = await db
    .select()
    .from(scorecards)
    .where(and(eq(scorecards.periodKind, kind), eq(scorecards.periodKey, periodKey)))
    .orderBy(scorecards.agentId);
  return rows.map(storedScorecard);
}

/**
 * The totals of a period's cards of a team's agents of one role (active ones, and `including`
 * whatever its state): what a rank needs, without the cards themselves, in one query by team
 * rather than a hundred ids.
 */
export async function teamRoleTotals(
  db: Queryable,
  team: { teamId: string; role: string; including: string },
  kind: string,
  periodKey: string,
): Promise<{ agentId: string; total: number | null }[]> {
  return db
    .select({ agentId: scorecards.agentId, total: scorecards.total })
    .from(scorecards)
    .innerJoin(agents, eq(agents.id, scorecards.agentId))
    .where(
      and(
        eq(scorecards.periodKind, kind),
        eq(scorecards.periodKey, periodKey),
        eq(agents.teamId, team.teamId),
        eq(agents.role, team.role),
        or(eq(agents.active, true), eq(agents.id, team.including)),
      ),
    );
}

/** One agent's total of a period: null when unscored, undefined when there is no card. */
export async function scorecardTotal(
  db: Queryable,
  agentId: string,
  kind: string,
  periodKey: string,
): Promise<number | null | undefined> {
  const [row] = await db
    .select({ total: scorecards.total })
    .from(scorecards)
    .where(
      and(
        eq(scorecards.agentId, agentId),
        eq(scorecards.periodKind, kind),
        eq(scorecards.periodKey, periodKey),
      ),
    );
  return row?.total;
}

/** Some agents' cards of one period (a team's, or one agent's). */
export async function scorecardsOfAgents(
  db: Queryable,
  agentIds: readonly string[],
  kind: string,
  periodKey: string,
): Promise<StoredScorecard[]> {
  if (agentIds.length === 0) return [];
  const rows = await db
    .select()
    .from(scorecards)
    .where(
      and(
        eq(scorecards.periodKind, kind),
        eq(scorecards.periodKey, periodKey),
        inArray(scorecards.agentId, [...agentIds]),
      ),
    );
  return rows.map(storedScorecard);
}

function storedScorecard(row: typeof scorecards.$inferSelect): StoredScorecard {
  const { pending, ...card } = row.card as Scorecard & { pending: string[] };
  return { card, schemeVersionId: row.schemeVersionId, pending };
}
