import { and, eq, inArray, sql } from "drizzle-orm";
import { type NextGradeAdvice, rankCards, type Scorecard } from "../engine/index.ts";
import { rankInputs } from "./agent-records.ts";
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
   * The agent's place among those ranked with them (engine/rank.ts: the team's active agents of
   * the same role, new hires on probation apart, graded cards only); absent without a grade.
   */
  rank?: { place: number; of: number };
  /** The agent's total of the previous period (null: unscored; undefined: no card). */
  previousTotal: number | null | undefined;
}

/**
 * `me`'s two reads: the agent's cards of the period and the one before, and the totals of the
 * team's cards of the period (a few numbers each, not whole cards), ranked as every surface ranks.
 */
export async function standingOf(
  db: Queryable,
  agent: { id: string; teamId: string | null; role: string },
  kind: string,
  periodKey: string,
  previousKey: string,
): Promise<Standing> {
  const [rows, peers] = await Promise.all([
    ownCards(db).execute({ agentId: agent.id, kind, periodKey, previousKey }),
    agent.teamId === null
      ? ownPeer(db).execute({ agentId: agent.id, kind, periodKey })
      : teamPeers(db).execute({ teamId: agent.teamId, kind, periodKey }),
  ]);
  const standing: Standing = { own: undefined, previousTotal: undefined };
  for (const row of rows) {
    if (row.periodKey !== periodKey) standing.previousTotal = row.total;
    else standing.own = storedOf(row.card, row.schemeVersionId);
  }
  const profiles = new Map(peers.map((p) => [p.agentId, p]));
  const cards = peers.map((p) => ({
    agent: p.agentId,
    total: p.total,
    ...(p.probation ? { probation: true as const } : {}),
  }));
  const rank = rankCards(rankInputs(cards, profiles)).get(agent.id);
  if (rank) standing.rank = { place: rank.place, of: rank.of };
  return standing;
}

// `me` runs these on every call: prepared once per database.
const ownCards = preparedPerDatabase((db) =>
  db
    .select({
      periodKey: scorecards.periodKey,
      total: scorecards.total,
      schemeVersionId: scorecards.schemeVersionId,
      card: sql<unknown>`CASE WHEN ${scorecards.periodKey} = ${sql.placeholder("periodKey")} THEN ${scorecards.card} END`,
    })
    .from(scorecards)
    .where(
      and(
        eq(scorecards.agentId, sql.placeholder("agentId")),
        eq(scorecards.periodKind, sql.placeholder("kind")),
        // Both keys in the index condition: a day period's agent has 400 day cards.
        inArray(scorecards.periodKey, [sql.placeholder("periodKey"), sql.placeholder("previousKey")]),
      ),
    )
    .prepare("standing_own"),
);

const peerColumns = {
  agentId: agents.id,
  role: agents.role,
  teamId: agents.teamId,
  active: agents.active,
  total: scorecards.total,
  probation: sql<boolean>`coalesce((${scorecards.card}->>'probation')::boolean, false)`,
  teamLead: sql<boolean>`coalesce((${scorecards.card}->>'teamLead')::boolean, false)`,
};

const teamPeers = preparedPerDatabase((db) =>
  db
    .select(peerColumns)
    .from(scorecards)
    .innerJoin(agents, eq(agents.id, scorecards.agentId))
    .where(
      and(
        eq(agents.teamId, sql.placeholder("teamId")),
        eq(scorecards.periodKind, sql.placeholder("kind")),
        eq(scorecards.periodKey, sql.placeholder("periodKey")),
      ),
    )
    .prepare("standing_team_peers"),
);

const ownPeer = preparedPerDatabase((db) =>
  db
    .select(peerColumns)
    .from(scorecards)
    .innerJoin(agents, eq(agents.id, scorecards.agentId))
    .where(
      and(
        eq(scorecards.agentId, sql.placeholder("agentId")),
        eq(scorecards.periodKind, sql.placeholder("kind")),
        eq(scorecards.periodKey, sql.placeholder("periodKey")),
      ),
    )
    .prepare("standing_own_peer"),
);

/** Some agents' totals and grades of one period, without their cards: what a leaderboard shows. */
export async function gradesOfAgents(
  db: Queryable,
  agentIds: readonly string[],
  kind: string,
  periodKey: string,
): Promise<
  {
    agentId: string;
    total: number | null;
    grade: string | null;
    probation: boolean;
    teamLead: boolean;
    /** The period the card's agent is graded by, when this one is only watched (a day of a month). */
    watchedFor: string | null;
    pending: boolean;
    /** Percent of the weight with figures, when too little for a grade (不足以评级). */
    belowCoverage: { coverage: number; minCoverage: number } | null;
  }[]
> {
  if (agentIds.length === 0) return [];
  return db
    .select({
      agentId: scorecards.agentId,
      total: scorecards.total,
      grade: scorecards.grade,
      probation: sql<boolean>`coalesce((${scorecards.card}->>'probation')::boolean, false)`,
      teamLead: sql<boolean>`coalesce((${scorecards.card}->>'teamLead')::boolean, false)`,
      watchedFor: sql<string | null>`${scorecards.card}->'watch'->>'assessment'`,
      pending: sql<boolean>`coalesce(jsonb_array_length(${scorecards.card}->'pending') > 0, false)`,
      belowCoverage: sql<{
        coverage: number;
        minCoverage: number;
      } | null>`case when ${scorecards.card} ? 'belowCoverage'
        then jsonb_build_object('coverage', ${scorecards.card}->'coverage', 'minCoverage', ${scorecards.card}->'belowCoverage'->'minCoverage') end`,
    })
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
