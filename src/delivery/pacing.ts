import { sql } from "drizzle-orm";
import type { SendScope } from "../chat/adapter.ts";
import type { Queryable } from "../store/database.ts";
import { sendPacing } from "../store/schema.ts";

/**
 * Sends are spaced by the platforms' published limits, shared by every replica through the
 * database. Each scope keeps its next free time. A send takes one slot for all its scopes at
 * once, the latest of their next free times, and moves each scope's next free time one interval
 * past it: a slot taken in one scope and used later, held up by another, could otherwise crowd
 * the first scope's next sends together.
 */

/** A reserved send slot, and how long from now to wait for it. */
export interface Slot {
  at: Date;
  /**
   * Measured by the database's clock as it hands the slot out, so neither the query's own time
   * nor a bot whose clock is off can make a send early.
   */
  waitMs: number;
}

/**
 * The slot this send goes in: the latest of its scopes' next free times, the database's clock
 * and `earliest` (a due time). Without scopes, `earliest` or now.
 */
export async function reserveSlot(
  db: Queryable,
  scopes: readonly SendScope[],
  earliest: Date,
): Promise<Slot> {
  if (scopes.length === 0) return { at: earliest, waitMs: Math.max(0, earliest.getTime() - Date.now()) };
  const names = scopes.map((s) => s.scope);
  const intervals = scopes.map((s) => s.intervalMs);
  const from = earliest.toISOString();
  return db.transaction(async (tx) => {
    await tx
      .insert(sendPacing)
      .values(scopes.map((s) => ({ scope: s.scope, nextAt: earliest })))
      .onConflictDoNothing();
    // Locked in one order, so two sends sharing scopes queue rather than deadlock. The slot is
    // taken from the clock after the locks are held (clock_timestamp, not the transaction's start).
    const result = await tx.execute(sql`
      WITH wanted AS (
        SELECT * FROM unnest(${sql.param(names)}::text[], ${sql.param(intervals)}::float8[]) AS w(scope, interval_ms)
      ), locked AS (
        SELECT p.scope, p.next_at FROM ${sendPacing} p JOIN wanted USING (scope) ORDER BY p.scope FOR UPDATE OF p
      ), slot AS (
        SELECT greatest(max(next_at), clock_timestamp(), ${from}::timestamptz) AS at FROM locked
      )
      UPDATE ${sendPacing} p SET next_at = slot.at + wanted.interval_ms * interval '1 millisecond'
      FROM slot, wanted WHERE p.scope = wanted.scope
      RETURNING slot.at AS at, extract(epoch FROM slot.at - clock_timestamp()) * 1000 AS wait_ms`);
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
      at: string | Date;
      wait_ms: string | number;
    }[];
    const row = rows[0];
    if (!row) throw new Error(`no send slot was reserved for ${names.join(", ")}`);
    return { at: new Date(row.at), waitMs: Math.max(0, Number(row.wait_ms)) };
  });
}

/** A platform said to wait (429 Retry-After): nothing more goes to the scopes before `until`. */
export async function holdScopes(db: Queryable, scopes: readonly SendScope[], until: Date): Promise<void> {
  if (scopes.length === 0) return;
  await db
    .insert(sendPacing)
    .values(scopes.map((s) => ({ scope: s.scope, nextAt: until })))
    .onConflictDoUpdate({
      target: sendPacing.scope,
      set: { nextAt: sql`greatest(${sendPacing.nextAt}, excluded.next_at)` },
    });
}
