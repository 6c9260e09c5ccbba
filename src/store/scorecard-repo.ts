import { and, eq, inArray, or, sql } from "drizzle-orm";
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
  /** The period's totals of the agent and the team's active agents of the same role. */
  peers: { agentId: string; total: number | null }[];
  /** The agent's total of the previous period (null: unscored; undefined: no card). */
  previousTotal: number | null | undefined;
}

/**
 * One query for `me`: the agent's card, the peers' totals without their cards (a team of 100 is
 * 100 cards of several kilobytes each otherwise), and the agent's previous total.
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
  const standing: Standing = { own: undefined, peers: [], previousTotal: undefined };
  for (const row of rows) {
    if (row.periodKey !== periodKey) {
      standing.previousTotal = row.total;
      continue;
    }
    standing.peers.push({ agentId: row.agentId, total: row.total });
    if (row.card != null) standing.own = storedOf(row.card, row.schemeVersionId);
  }
  return standing;
}

// `me` runs it on every call: prepared once per database, one statement for an agent in a team
// (with their peers) and one for an agent without.
const standingInTeam = preparedPerDatabase((db) => standingQuery(db, true).prepare("standing_in_team"));
const standingAlone = preparedPerDatabase((db) => standingQuery(db, false).prepare("standing_alone"));

function standingQuery(db: Queryable, inTeam: boolean) {
  const self = eq(agents.id, sql.placeholder("agentId"));
  const periodKey = sql.placeholder("periodKey");
  const peers = inTeam
    ? or(
        self,
        and(
          eq(agents.teamId, sql.placeholder("teamId")),
          eq(agents.role, sql.placeholder("role")),
          eq(agents.active, true),
        ),
      )
    : self;
  // From the team's agents to their cards by the cards' key: starting from the cards (every
  // agent's card of the period, then each one's agent) read ten times the rows.
  return db
    .select({
      agentId: scorecards.agentId,
      periodKey: scorecards.periodKey,
      total: scorecards.total,
      schemeVersionId: scorecards.schemeVersionId,
      card: sql<unknown>`CASE WHEN ${self} AND ${scorecards.periodKey} = ${periodKey} THEN ${scorecards.card} END`,
    })
    .from(agents)
    .innerJoin(
      scorecards,
      and(
        eq(scorecards.agentId, agents.id),
        eq(scorecards.periodKind, sql.placeholder("kind")),
        // Both keys in the index condition (a day period's agent has 400 day cards); only the
        // agent's own card of the previous period is wanted.
        inArray(scorecards.periodKey, [periodKey, sql.placeholder("previousKey")]),
        or(eq(scorecards.periodKey, periodKey), self),
      ),
    )
    .where(peers);
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
