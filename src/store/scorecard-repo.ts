import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { type NextGradeAdvice, rankCards, type Scorecard } from "../engine/index.ts";
import { rankInputs } from "./agent-records.ts";
import { type CardDocument, type CardRow, cardOfText, storedCardText } from "./card-text.ts";
import { type Db, type Queryable, rowsOf } from "./database.ts";
import { preparedPerDatabase } from "./prepared.ts";
import { agents, auditLog, scorecards } from "./schema.ts";
import { COPY_FROM_CARDS, copyCards, firstCardsOf } from "./scorecard-copy.ts";

/** A computed scorecard with the scheme version it was scored by and what is not final yet. */
export interface StoredScorecard {
  card: Scorecard;
  schemeVersionId: number;
  /** Metrics of the card whose figures are still pending. */
  pending: string[];
  /** The engine's next-grade advice, worked out when scored (absent on cards stored before it was). */
  advice?: NextGradeAdvice;
  /** Metrics whose figure an accepted appeal corrected: marked on every surface. */
  corrected?: string[];
}

function storedOf(document: unknown, schemeVersionId: number): StoredScorecard {
  const { pending, advice, corrected, ...card } = (
    typeof document === "string" ? cardOfText(document) : document
  ) as CardDocument;
  return {
    card,
    schemeVersionId,
    pending,
    ...(advice ? { advice } : {}),
    ...(corrected?.length ? { corrected } : {}),
  };
}

/** The cards of these agents for one period. */
const ofAgents = (agentIds: readonly string[], kind: string, periodKey: string) =>
  and(
    eq(scorecards.periodKind, kind),
    eq(scorecards.periodKey, periodKey),
    inArray(scorecards.agentId, [...agentIds]),
  );

/** Cards per statement: a day of a 3,000-agent shop is one, about 5 MB of text. */
const CHUNK = 4000;

/**
 * Saves the cards of one period, replacing earlier ones; a card whose total or grade changed is
 * a re-score and leaves an audit entry with before and after, written by the same statement.
 * Returns how many were re-scores.
 */
export function saveScorecards(
  db: Db,
  kind: string,
  periodKey: string,
  cards: StoredScorecard[],
  actor: string,
  now: Date,
): Promise<number> {
  return saveCardRows(db, kind, periodKey, cards.map(cardRow), actor, now);
}

export function cardRow({ card, schemeVersionId, pending, advice, corrected }: StoredScorecard): CardRow {
  if (holdsSeparator(card.agent) || (card.grade !== null && holdsSeparator(card.grade)))
    throw new Error(`scorecard ${JSON.stringify([card.agent, card.grade])} holds a control character`);
  return {
    agent: card.agent,
    schemeVersionId,
    total: card.total,
    grade: card.grade,
    coefficient: card.coefficient,
    text: storedCardText(card, pending, advice, corrected),
  };
}

/** saveScorecards of cards already made rows (the drain makes each as it is scored). */
export async function saveCardRows(
  db: Db,
  kind: string,
  periodKey: string,
  cards: readonly CardRow[],
  actor: string,
  now: Date,
): Promise<number> {
  if (cards.length >= COPY_FROM_CARDS && (await copiedAsFirst(db, kind, periodKey, cards, now))) return 0;
  const statements: SQL[] = [];
  for (let i = 0; i < cards.length; i += CHUNK)
    statements.push(upsertCards(columnsOf(cards.slice(i, i + CHUNK)), kind, periodKey, actor, now));
  const run = async (tx: Queryable) => {
    let rescored = 0;
    for (const statement of statements)
      rescored += rowsOf<{ rescored: number }>(await tx.execute(statement))[0]?.rescored ?? 0;
    return rescored;
  };
  // One statement is all or nothing by itself; more (a month of a very big shop) share a transaction.
  return statements.length > 1 ? db.transaction(run) : run(db);
}

/**
 * A big period's first cards by COPY (scorecard-copy.ts): true if they were; false when the period
 * has cards already, for the upsert to replace and audit.
 */
function copiedAsFirst(
  db: Db,
  kind: string,
  periodKey: string,
  cards: readonly CardRow[],
  now: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await firstCardsOf(tx, kind, periodKey))) return false;
    await copyCards(db, tx, kind, periodKey, cards, now);
    return true;
  });
}

/** A chunk of cards as one text per column, the values apart by LINE; NULL for null. */
interface CardColumns {
  agents: string;
  versions: string;
  totals: string;
  grades: string;
  coefficients: string;
  documents: string;
}

/**
 * One statement for a chunk of cards, a text parameter per column that the server splits into
 * rows (as import-repo.ts writes agent-days): drizzle's multi-row insert, with a parameter per
 * field, cost more than the insert, and jsonb's input twice what text's does. The cards' totals
 * and grades as they were come from the same snapshot as the insert (`old`); a card whose total
 * or grade moved gets its audit entry there too, in the cards' order. The old cards are looked up
 * by their whole key, card by card (the subquery kept apart by OFFSET 0: when the key led with the
 * agent, the planner's join scanned all of its index for the period, every card ever stored, for
 * each chunk written). A big period's first cards skip all this: saveCardRows copies them.
 */
function upsertCards(columns: CardColumns, kind: string, periodKey: string, actor: string, now: Date): SQL {
  const at = now.toISOString();
  const split = (text: string, orNull = false) =>
    orNull
      ? sql`string_to_array(${text}::text, ${LINE}::text, ${NULL}::text)`
      : sql`string_to_array(${text}::text, ${LINE}::text)`;
  return sql`WITH input AS (
      SELECT * FROM unnest(
        ${split(columns.agents)}, ${split(columns.versions)}::integer[], ${split(columns.totals, true)}::float8[],
        ${split(columns.grades, true)}, ${split(columns.coefficients, true)}::float8[], ${split(columns.documents)}
      ) WITH ORDINALITY AS t(agent_id, scheme_version_id, total, grade, coefficient, card, n)
    ),
    old AS (
      SELECT i.agent_id, s.total, s.grade FROM input i CROSS JOIN LATERAL (
        SELECT total, grade FROM ${scorecards} s
        WHERE s.agent_id = i.agent_id AND s.period_kind = ${kind}::text AND s.period_key = ${periodKey}::text
        OFFSET 0
      ) s
    ),
    written AS (
      INSERT INTO ${scorecards}
        (agent_id, period_kind, period_key, scheme_version_id, total, grade, coefficient, card, computed_at)
      SELECT agent_id, ${kind}::text, ${periodKey}::text, scheme_version_id, total, grade, coefficient, card,
        ${at}::timestamptz
      FROM input
      ON CONFLICT (agent_id, period_kind, period_key) DO UPDATE SET
        scheme_version_id = excluded.scheme_version_id,
        total = excluded.total,
        grade = excluded.grade,
        coefficient = excluded.coefficient,
        card = excluded.card,
        computed_at = excluded.computed_at
    ),
    audited AS (
      INSERT INTO ${auditLog} (at, actor, action, subject, detail)
      SELECT ${at}::timestamptz, ${actor}::text, 'scorecard.rescore', 'agent:' || i.agent_id || ' ' || ${periodKey}::text,
        jsonb_build_object(
          'before', jsonb_build_object('total', o.total, 'grade', o.grade),
          'after', jsonb_build_object('total', i.total, 'grade', i.grade))
      FROM input i JOIN old o ON o.agent_id = i.agent_id
      WHERE o.total IS DISTINCT FROM i.total OR o.grade IS DISTINCT FROM i.grade
      ORDER BY i.n
      RETURNING 1
    )
    SELECT count(*)::integer AS rescored FROM audited`;
}

/**
 * Separators JSON.stringify never writes raw (it escapes control characters), as import-repo.ts
 * uses; ids and grades are checked. NULL marks a null total, grade or coefficient.
 */
const LINE = "\u001e";
const NULL = "\u001f";
const holdsSeparator = (text: string) => text.includes(LINE) || text.includes(NULL);

function columnsOf(cards: readonly CardRow[]): CardColumns {
  const n = cards.length;
  const [agents, versions, totals, grades, coefficients, documents] = Array.from(
    { length: 6 },
    () => new Array<string>(n),
  ) as [string[], string[], string[], string[], string[], string[]];
  // A number as JavaScript writes it (shortest round trip) reads back as the same float8.
  const number = (x: number | null) => (x === null ? NULL : String(x));
  for (const [i, card] of cards.entries()) {
    agents[i] = card.agent;
    versions[i] = String(card.schemeVersionId);
    totals[i] = number(card.total);
    grades[i] = card.grade ?? NULL;
    coefficients[i] = number(card.coefficient);
    documents[i] = card.text;
  }
  return {
    agents: agents.join(LINE),
    versions: versions.join(LINE),
    totals: totals.join(LINE),
    grades: grades.join(LINE),
    coefficients: coefficients.join(LINE),
    documents: documents.join(LINE),
  };
}

/**
 * When the period's stored cards were scored, the oldest of them, and whether any is stored: what
 * tells a reader the cards may lag a later configuration (score-period.ts, currentCards).
 */
export async function oldestCardOf(
  db: Queryable,
  kind: string,
  periodKey: string,
): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: sql<string | Date | null>`min(${scorecards.computedAt})` })
    .from(scorecards)
    .where(and(eq(scorecards.periodKind, kind), eq(scorecards.periodKey, periodKey)));
  return row?.at == null ? undefined : new Date(row.at);
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

/**
 * A period's cards with their document opened as jsonb once per row: a subquery the planner keeps
 * (OFFSET 0), or it would cast the text again for every field read from it.
 */
const withDocument = (db: Queryable, where: SQL | undefined, name: string) =>
  db
    .select({
      agentId: scorecards.agentId,
      total: scorecards.total,
      grade: scorecards.grade,
      document: sql<unknown>`${scorecards.card}::jsonb`.as("document"),
    })
    .from(scorecards)
    .where(where)
    .offset(0)
    .as(name);

const flag = (document: unknown, name: string) =>
  sql<boolean>`coalesce((${document}->>${sql.raw(`'${name}'`)})::boolean, false)`;

function peersWhere(db: Queryable, where: SQL | undefined, agentsWhere: SQL | undefined) {
  const cards = withDocument(db, where, "cards");
  return db
    .select({
      agentId: agents.id,
      role: agents.role,
      teamId: agents.teamId,
      active: agents.active,
      total: cards.total,
      probation: flag(cards.document, "probation"),
      teamLead: flag(cards.document, "teamLead"),
    })
    .from(cards)
    .innerJoin(agents, eq(agents.id, cards.agentId))
    .where(agentsWhere);
}

const teamPeers = preparedPerDatabase((db) =>
  peersWhere(
    db,
    and(
      eq(scorecards.periodKind, sql.placeholder("kind")),
      eq(scorecards.periodKey, sql.placeholder("periodKey")),
    ),
    eq(agents.teamId, sql.placeholder("teamId")),
  ).prepare("standing_team_peers"),
);

const ownPeer = preparedPerDatabase((db) =>
  peersWhere(
    db,
    and(
      eq(scorecards.agentId, sql.placeholder("agentId")),
      eq(scorecards.periodKind, sql.placeholder("kind")),
      eq(scorecards.periodKey, sql.placeholder("periodKey")),
    ),
    undefined,
  ).prepare("standing_own_peer"),
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
    /** The rated items the card waits for the supervisor's rating of (metric ids), if any. */
    awaitingRating: string[] | null;
  }[]
> {
  if (agentIds.length === 0) return [];
  const cards = withDocument(db, ofAgents(agentIds, kind, periodKey), "cards");
  const document = cards.document;
  return db
    .select({
      agentId: cards.agentId,
      total: cards.total,
      grade: cards.grade,
      probation: flag(document, "probation"),
      teamLead: flag(document, "teamLead"),
      watchedFor: sql<string | null>`${document}->'watch'->>'assessment'`,
      pending: sql<boolean>`coalesce(jsonb_array_length(${document}->'pending') > 0, false)`,
      belowCoverage: sql<{
        coverage: number;
        minCoverage: number;
      } | null>`case when ${document} ? 'belowCoverage'
        then jsonb_build_object('coverage', ${document}->'coverage', 'minCoverage', ${document}->'belowCoverage'->'minCoverage') end`,
      awaitingRating: sql<string[] | null>`${document}->'awaitingRating'`,
    })
    .from(cards);
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
