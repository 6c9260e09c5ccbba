import { and, asc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { type AgentDayTally, CONVERSATION_KINDS } from "../engine/index.ts";
import type { Queryable } from "./database.ts";
import { gamingAlerts, gamingSignals } from "./schema.ts";

/**
 * Gaming signals (an agent-day's tallies per kind) and alerts (one per agent, ISO week and kind).
 * Scoring never reads these tables: an alert is for the supervisor, never for pay.
 */

export interface GamingSignalRow {
  shopId: string;
  agentId: string;
  day: string;
  kind: string;
  evidence: unknown;
  conversations: number;
}

/**
 * The signal rows of a batch's tallies: one per agent-day and kind, for the agents `agentOf`
 * knows (a tally's agent is an account as the log names it, in the tally's shop). Conversations
 * of an account nobody is are counted, not stored.
 */
export function gamingSignalRows(
  tallies: readonly AgentDayTally[],
  agentOf: (shopId: string, account: string) => string | undefined,
): { rows: GamingSignalRow[]; unknownAgent: number } {
  const rows: GamingSignalRow[] = [];
  let unknownAgent = 0;
  for (const tally of tallies) {
    const agentId = agentOf(tally.shop, tally.agent);
    if (agentId === undefined) {
      unknownAgent += tally.figures.sessions;
      continue;
    }
    for (const kind of CONVERSATION_KINDS)
      rows.push({
        shopId: tally.shop,
        agentId,
        day: tally.day,
        kind,
        evidence: tally.kinds[kind],
        conversations: tally.figures.sessions,
      });
  }
  return { rows, unknownAgent };
}

/** Writes (or replaces) agent-day signals; the caller's transaction is the batch's. */
export async function writeGamingSignals(
  db: Queryable,
  rows: readonly GamingSignalRow[],
  now: Date,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r) => ({ ...r, updatedAt: now }));
    await db
      .insert(gamingSignals)
      .values(chunk)
      .onConflictDoUpdate({
        target: [gamingSignals.day, gamingSignals.agentId, gamingSignals.kind, gamingSignals.shopId],
        set: {
          evidence: sql`excluded.evidence`,
          conversations: sql`excluded.conversations`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
  }
}

export async function gamingSignalsBetween(
  db: Queryable,
  from: string,
  to: string,
  agentIds?: readonly string[],
): Promise<GamingSignalRow[]> {
  const range = and(gte(gamingSignals.day, from), lte(gamingSignals.day, to));
  return db
    .select({
      shopId: gamingSignals.shopId,
      agentId: gamingSignals.agentId,
      day: gamingSignals.day,
      kind: gamingSignals.kind,
      evidence: gamingSignals.evidence,
      conversations: gamingSignals.conversations,
    })
    .from(gamingSignals)
    .where(agentIds ? and(range, inArray(gamingSignals.agentId, [...agentIds])) : range)
    .orderBy(asc(gamingSignals.day));
}

export interface GamingAlertRow {
  id: number;
  agentId: string;
  week: string;
  kind: string;
  evidence: unknown;
  status: "open" | "fine";
  markedBy: string | null;
  markedAt: Date | null;
  note: string | null;
  createdAt: Date;
}

const alertColumns = {
  id: gamingAlerts.id,
  agentId: gamingAlerts.agentId,
  week: gamingAlerts.week,
  kind: gamingAlerts.kind,
  evidence: gamingAlerts.evidence,
  status: gamingAlerts.status,
  markedBy: gamingAlerts.markedBy,
  markedAt: gamingAlerts.markedAt,
  note: gamingAlerts.note,
  createdAt: gamingAlerts.createdAt,
};

/** Adds alerts; one already raised for the agent, week and kind stays as it is. Returns the new ones. */
export async function addGamingAlerts(
  db: Queryable,
  alerts: readonly { agentId: string; week: string; kind: string; evidence: unknown }[],
  now: Date,
): Promise<GamingAlertRow[]> {
  if (alerts.length === 0) return [];
  const rows = await db
    .insert(gamingAlerts)
    .values(alerts.map((a) => ({ ...a, createdAt: now })))
    .onConflictDoNothing({ target: [gamingAlerts.agentId, gamingAlerts.week, gamingAlerts.kind] })
    .returning(alertColumns);
  return rows as GamingAlertRow[];
}

/** Open alerts (of some agents, or everyone's), oldest first. */
export async function openGamingAlerts(
  db: Queryable,
  agentIds?: readonly string[],
): Promise<GamingAlertRow[]> {
  if (agentIds && agentIds.length === 0) return [];
  const open = eq(gamingAlerts.status, "open");
  const rows = await db
    .select(alertColumns)
    .from(gamingAlerts)
    .where(agentIds ? and(open, inArray(gamingAlerts.agentId, [...agentIds])) : open)
    .orderBy(asc(gamingAlerts.id));
  return rows as GamingAlertRow[];
}

export async function gamingAlertById(db: Queryable, id: number): Promise<GamingAlertRow | undefined> {
  const rows = await db.select(alertColumns).from(gamingAlerts).where(eq(gamingAlerts.id, id));
  return rows[0] as GamingAlertRow | undefined;
}

/** Marks an open alert fine; false when it was not open (already marked). */
export async function markGamingAlertFine(
  db: Queryable,
  id: number,
  by: string,
  note: string | null,
  at: Date,
): Promise<boolean> {
  const rows = await db
    .update(gamingAlerts)
    .set({ status: "fine", markedBy: by, markedAt: at, note })
    .where(and(eq(gamingAlerts.id, id), eq(gamingAlerts.status, "open")))
    .returning({ id: gamingAlerts.id });
  return rows.length > 0;
}
