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

/** The time this send may go (now when it counts against no limit). */
export async function reserveSlot(db: Queryable, scopes: readonly SendScope[], now: Date): Promise<Date> {
  if (scopes.length === 0) return now;
  const names = scopes.map((s) => s.scope);
  const intervals = scopes.map((s) => s.intervalMs);
  return db.transaction(async (tx) => {
    await tx
      .insert(sendPacing)
      .values(scopes.map((s) => ({ scope: s.scope, nextAt: now })))
      .onConflictDoNothing();
    // Locked in one order, so two sends sharing scopes queue rather than deadlock.
    const result = await tx.execute(sql`
      WITH wanted AS (
        SELECT * FROM unnest(${sql.param(names)}::text[], ${sql.param(intervals)}::float8[]) AS w(scope, interval_ms)
      ), locked AS (
        SELECT p.scope, p.next_at FROM ${sendPacing} p JOIN wanted USING (scope) ORDER BY p.scope FOR UPDATE OF p
      ), slot AS (
        SELECT greatest(max(next_at), ${now.toISOString()}::timestamptz) AS at FROM locked
      )
      UPDATE ${sendPacing} p SET next_at = slot.at + wanted.interval_ms * interval '1 millisecond'
      FROM slot, wanted WHERE p.scope = wanted.scope
      RETURNING slot.at AS at`);
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
      at: string | Date;
    }[];
    return new Date(rows[0]?.at ?? now);
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
