import { and, eq, inArray, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { NextGradeAdvice, Scorecard } from "../engine/index.ts";
import { recordAudits } from "./audit-repo.ts";
import type { Queryable } from "./database.ts";
import { preparedPerDatabase } from "./prepared.ts";
import { agents, scorecards } from "./schema.ts";

/** A computed scorecard with the scheme version it was scored by and what is not final yet. */
export interface StoredScorecard {
  card: Scorecard;
  schemeVersionId: number;
  /** Metrics of the card whose figures are still pending. */
  pending: string[];
  /** The engine's next-grade advice, worked out when scored (absent on cards stored before it was). */
  advice?: NextGradeAdvice;
}

/** The card column: the engine's card with what the bot keeps beside it. */
type CardDocument = Scorecard & { pending: string[]; advice?: NextGradeAdvice };

function storedOf(document: unknown, schemeVersionId: number): StoredScorecard {
  const { pending, advice, ...card } = document as CardDocument;
  return { card, schemeVersionId, pending, ...(advice ? { advice } : {}) };
}

const CHUNK = 500;

/** The cards of these agents for one period. */
const ofAgents = (agentIds: readonly string[], kind: string, periodKey: string) =>
  and(
    eq(scorecards.periodKind, kind),
    eq(scorecards.periodKey, periodKey),
    inArray(scorecards.agentId, [...agentIds]),
  );

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
        ofAgents(
          chunk.map((c) => c.card.agent),
          kind,
          periodKey,
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
        chunk.map(({ card, schemeVersionId, pending, advice }) => ({
          agentId: card.agent,
          periodKind: kind,
          periodKey,
          schemeVersionId,
          total: card.total,
          grade: card.grade,
          coefficient: card.coefficient,
          card: { ...card, pending, ...(advice ? { advice } : {}) },
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

/** An agent's card of a period among their peers': what `me` shows. */
export interface Standing {
  own: StoredScorecard | undefined;
  /**
   * The agent's place by total among the team's active agents of the same role with a total
   * (ties share a place), and how many those are; absent when the agent's own total is null.
   */
  rank?: { place: number; of: number };
  /** The agent's total of the previous period (null: unscored; undefined: no card). */
  previousTotal: number | null | undefined;
}

/**
 * One query for `me`: the agent's card of the period and of the one before, and the place among
 * the peers worked out by PostgreSQL (a team of 100 would be 100 rows to send and map otherwise).
 */
export async function standingOf(
  db: Queryable,
  agent: { id: string; teamId: string | null; role: string },
  kind: string,
  periodKey: string,
  previousKey: string,
): Promise<Standing> {
  const params = { agentId: agent.id, kind, periodKey, previousKey };
  const rows =
    agent.teamId === null
      ? await standingAlone(db).execute(params)
      : await standingInTeam(db).execute({ ...params, teamId: agent.teamId, role: agent.role });
  const standing: Standing = { own: undefined, previousTotal: undefined };
  for (const row of rows) {
    if (row.periodKey !== periodKey) {
      standing.previousTotal = row.total;
      continue;
    }
    standing.own = storedOf(row.card, row.schemeVersionId);
    if (row.total !== null)
      standing.rank = { place: Number(row.above) + 1, of: Math.max(Number(row.ranked), 1) };
  }
  return standing;
}

// `me` runs it on every call: prepared once per database, one statement for an agent in a team
// and one for an agent without (their own place, of one).
const standingInTeam = preparedPerDatabase((db) => standingQuery(db, true).prepare("standing_in_team"));
const standingAlone = preparedPerDatabase((db) => standingQuery(db, false).prepare("standing_alone"));

const peerAgent = alias(agents, "peer_agent");
const peerCard = alias(scorecards, "peer_card");

function standingQuery(db: Queryable, inTeam: boolean) {
  const agentId = sql.placeholder("agentId");
  const kind = sql.placeholder("kind");
  const periodKey = sql.placeholder("periodKey");
  const ofPeriod = eq(scorecards.periodKey, periodKey);
  // The peers' totals counted next to the agent's card of the period; the aggregate still gives
  // one row (of zeros) next to the previous period's card, whose condition stops the scan.
  const peers = db
    .select({
      above: sql<number>`count(*) FILTER (WHERE ${peerCard.total} > ${scorecards.total})`.as("above"),
      ranked: sql<number>`count(${peerCard.total})`.as("ranked"),
    })
    .from(peerAgent)
    .innerJoin(
      peerCard,
      and(
        eq(peerCard.agentId, peerAgent.id),
        eq(peerCard.periodKind, kind),
        eq(peerCard.periodKey, periodKey),
      ),
    )
    .where(
      and(
        ofPeriod,
        or(
          eq(peerAgent.id, agentId),
          and(
            eq(peerAgent.teamId, sql.placeholder("teamId")),
            eq(peerAgent.role, sql.placeholder("role")),
            eq(peerAgent.active, true),
          ),
        ),
      ),
    )
    .as("peers");
  const own = {
    periodKey: scorecards.periodKey,
    total: scorecards.total,
    schemeVersionId: scorecards.schemeVersionId,
    card: sql<unknown>`CASE WHEN ${ofPeriod} THEN ${scorecards.card} END`,
  };
  // Both keys in the index condition: a day period's agent has 400 day cards.
  const ownCards = and(
    eq(scorecards.agentId, agentId),
    eq(scorecards.periodKind, kind),
    inArray(scorecards.periodKey, [periodKey, sql.placeholder("previousKey")]),
  );
  if (!inTeam) {
    return db
      .select({ ...own, above: sql<number>`0`, ranked: sql<number>`1` })
      .from(scorecards)
      .where(ownCards);
  }
  return db
    .select({ ...own, above: peers.above, ranked: peers.ranked })
    .from(scorecards)
    .leftJoinLateral(peers, sql`true`)
    .where(ownCards);
}

/** Some agents' totals and grades of one period, without their cards: what a leaderboard shows. */
export async function gradesOfAgents(
  db: Queryable,
  agentIds: readonly string[],
  kind: string,
  periodKey: string,
): Promise<{ agentId: string; total: number | null; grade: string | null }[]> {
  if (agentIds.length === 0) return [];
  return db
    .select({ agentId: scorecards.agentId, total: scorecards.total, grade: scorecards.grade })
    .from(scorecards)
    .where(ofAgents(agentIds, kind, periodKey));
}

/** Some agents' cards of several periods at once: [kind, key] pairs (what digests published). */
export async function scorecardsOfPeriods(
  db: Queryable,
  agentIds: readonly string[],
  periods: readonly { kind: string; key: string }[],
): Promise<{ kind: string; key: string; stored: StoredScorecard }[]> {
  if (agentIds.length === 0 || periods.length === 0) return [];
  const rows = await db
    .select()
    .from(scorecards)
    .where(
      and(
        inArray(scorecards.agentId, [...agentIds]),
        inArray(
          sql`${scorecards.periodKind} || ' ' || ${scorecards.periodKey}`,
          periods.map((p) => `${p.kind} ${p.key}`),
        ),
      ),
    );
  return rows.map((row) => ({ kind: row.periodKind, key: row.periodKey, stored: storedScorecard(row) }));
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
    .where(ofAgents(agentIds, kind, periodKey));
  return rows.map(storedScorecard);
}

function storedScorecard(row: typeof scorecards.$inferSelect): StoredScorecard {
  return storedOf(row.card, row.schemeVersionId);
}
