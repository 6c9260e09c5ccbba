import { and, asc, desc, eq, gte, inArray, isNotNull, lte, or, sql } from "drizzle-orm";
import type { Queryable } from "./database.ts";
import { appeals, facts, shops } from "./schema.ts";

/**
 * Appeals (申诉) as stored: raised, listed, decided once. One open appeal per subject (the
 * partial unique index appeals_one_open): two raised at the same moment, the second is told of
 * the first. A decision is one UPDATE that expects the appeal open, so two deciders pressing at
 * once cannot both decide it. docs/appeals.md.
 */

export type AppealRow = typeof appeals.$inferSelect;
export type AppealStatus = "open" | "accepted" | "rejected";

export type NewAppeal = Pick<
  AppealRow,
  "agentId" | "subject" | "metric" | "periodKind" | "periodKey" | "factId" | "factDay" | "reason" | "before"
> & { raisedBy: string; createdAt: Date };

/** The subject of an item appeal: one open per agent, metric and period. */
export const itemSubject = (agentId: string, metric: string, periodKey: string): string =>
  `item:${agentId}:${metric}:${periodKey}`;
export const factSubject = (factId: number): string => `fact:${factId}`;

/** Writes the appeal unless one on the same subject is open; returns the one that stands. */
export async function raiseAppeal(
  db: Queryable,
  appeal: NewAppeal,
): Promise<{ raised: true; appeal: AppealRow } | { raised: false; open: AppealRow }> {
  const [inserted] = await db
    .insert(appeals)
    .values({ ...appeal, status: "open" })
    .onConflictDoNothing()
    .returning();
  if (inserted) return { raised: true, appeal: inserted };
  const [open] = await db
    .select()
    .from(appeals)
    .where(and(eq(appeals.subject, appeal.subject), eq(appeals.status, "open")));
  return { raised: false, open: open! };
}

export async function appealById(db: Queryable, id: number): Promise<AppealRow | undefined> {
  const [row] = await db.select().from(appeals).where(eq(appeals.id, id));
  return row;
}

export interface AppealDecision {
  status: "accepted" | "rejected";
  decidedBy: string;
  decidedAt: Date;
  decisionReason: string | null;
  correctedNum?: number | null;
  correctedDen?: number | null;
  exclude?: boolean;
}

/** Decides an open appeal; undefined when it was not open any more (someone decided it first). */
export async function decideAppeal(
  db: Queryable,
  id: number,
  decision: AppealDecision,
): Promise<AppealRow | undefined> {
  const [row] = await db
    .update(appeals)
    .set(decision)
    .where(and(eq(appeals.id, id), eq(appeals.status, "open")))
    .returning();
  return row;
}

/**
 * Appeals of these agents (every agent's when undefined): the open ones, oldest first, then
 * those decided since `decidedSince`, newest first.
 */
export async function appealsOf(
  db: Queryable,
  agentIds: readonly string[] | undefined,
  decidedSince: Date,
): Promise<AppealRow[]> {
  if (agentIds?.length === 0) return [];
  const whose = agentIds === undefined ? undefined : inArray(appeals.agentId, [...agentIds]);
  const open = await db
    .select()
    .from(appeals)
    .where(and(eq(appeals.status, "open"), whose))
    .orderBy(asc(appeals.createdAt), asc(appeals.id));
  const decided = await db
    .select()
    .from(appeals)
    .where(and(isNotNull(appeals.decidedAt), gte(appeals.decidedAt, decidedSince), whose))
    .orderBy(desc(appeals.decidedAt), desc(appeals.id));
  return [...open, ...decided];
}

/** Every open appeal, oldest first: what the watch reminds of and escalates. */
export async function openAppeals(db: Queryable): Promise<AppealRow[]> {
  return db
    .select()
    .from(appeals)
    .where(eq(appeals.status, "open"))
    .orderBy(asc(appeals.createdAt), asc(appeals.id));
}

export async function markAppealReminded(db: Queryable, id: number, at: Date): Promise<void> {
  await db.update(appeals).set({ remindedAt: at }).where(eq(appeals.id, id));
}

export async function markAppealEscalated(db: Queryable, id: number, at: Date): Promise<void> {
  await db.update(appeals).set({ escalatedAt: at }).where(eq(appeals.id, id));
}

/** An accepted appeal as scoring applies it. */
export interface AcceptedCorrection {
  agentId: string;
  metric: string;
  /** An item's corrected value for the period. */
  period?: { kind: string; key: string; num: number; den: number | null };
  /** An excluded fact: its kind, day and what scoring takes out (its rating's score …). */
  fact?: { id: number; kind: string; day: string; detail: Record<string, unknown> };
}

/**
 * The accepted appeals a scoring of the period applies: item corrections of exactly this period,
 * and exclusions of facts on its days (`first`…`last`, YYYY-MM-DD).
 */
export async function acceptedCorrections(
  db: Queryable,
  period: { kind: string; key: string; first: string; last: string },
): Promise<AcceptedCorrection[]> {
  const rows = await db
    .select({
      agentId: appeals.agentId,
      metric: appeals.metric,
      periodKind: appeals.periodKind,
      periodKey: appeals.periodKey,
      correctedNum: appeals.correctedNum,
      correctedDen: appeals.correctedDen,
      exclude: appeals.exclude,
      factId: facts.id,
      factKind: facts.kind,
      factDay: facts.day,
      factDetail: facts.detail,
    })
    .from(appeals)
    .leftJoin(facts, eq(facts.id, appeals.factId))
    .where(
      and(
        eq(appeals.status, "accepted"),
        or(
          and(eq(appeals.periodKind, period.kind), eq(appeals.periodKey, period.key)),
          and(
            eq(appeals.exclude, true),
            gte(appeals.factDay, period.first),
            lte(appeals.factDay, period.last),
          ),
        ),
      ),
    )
    .orderBy(asc(appeals.decidedAt), asc(appeals.id));
  return rows.map((r): AcceptedCorrection => {
    if (r.exclude && r.factId !== null)
      return {
        agentId: r.agentId,
        metric: r.metric,
        fact: {
          id: r.factId,
          kind: r.factKind!,
          day: r.factDay!,
          detail: (r.factDetail ?? {}) as Record<string, unknown>,
        },
      };
    return {
      agentId: r.agentId,
      metric: r.metric,
      period: { kind: r.periodKind!, key: r.periodKey!, num: r.correctedNum!, den: r.correctedDen },
    };
  });
}

/** A fact an agent may appeal, with its shop's zone (its deadline is the shop's clock). */
export interface AppealableFact {
  id: number;
  kind: string;
  agentId: string | null;
  day: string;
  at: Date;
  ref: string;
  detail: Record<string, unknown>;
  timeZone: string;
}

export async function factById(db: Queryable, id: number): Promise<AppealableFact | undefined> {
  const [row] = await db
    .select({
      id: facts.id,
      kind: facts.kind,
      agentId: facts.agentId,
      day: facts.day,
      at: facts.at,
      ref: facts.ref,
      detail: facts.detail,
      timeZone: shops.timeZone,
    })
    .from(facts)
    .innerJoin(shops, eq(shops.id, facts.shopId))
    .where(eq(facts.id, id));
  return row ? { ...row, detail: (row.detail ?? {}) as Record<string, unknown> } : undefined;
}

/** SQL for recovery-repo.ts: the bad review was excluded by an accepted appeal. */
export const excludedByAppeal = (factId: typeof facts.id) =>
  sql`EXISTS (SELECT 1 FROM ${appeals} WHERE ${appeals.factId} = ${factId} AND ${appeals.status} = 'accepted' AND ${appeals.exclude})`;
