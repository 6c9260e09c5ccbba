import { sql } from "drizzle-orm";
import type { SendScope } from "../chat/adapter.ts";
import { type Queryable, rowsOf } from "../store/database.ts";
import { sendPacing } from "../store/schema.ts";

/**
 * Sends are spaced by the platforms' published limits, shared by every replica through the
 * database. Each scope keeps its next free time. A send takes one slot for all its scopes at
 * once, the latest of their next free times, and moves each scope's next free time one interval
 * past it: a slot taken in one scope and used later, held up by another, could otherwise crowd
 * the first scope's next sends together.
 *
 * Slots are reserved for a batch of sends in one transaction: the batch's scope rows are locked
 * (in one order, so two batches sharing scopes queue rather than deadlock), the slots are worked
 * out from their next free times and the database's clock read after the locks are held, and the
 * new next free times written back. At 50 sends a second to one app scope, a transaction per send
 * would hold that scope's row locked for most of each 20 ms; a batch holds it once.
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

/** One send asking for a slot: the limits it counts against, and its due time. */
export interface SlotRequest {
  scopes: readonly SendScope[];
  earliest: Date;
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
  const [slot] = await reserveSlots(db, [{ scopes, earliest }]);
  return slot!;
}

/**
 * Slots for several sends, in the order given (an earlier send gets the earlier slot of a scope).
 * `seen` hears each scope's next free time before and after (milliseconds): a caller can tell
 * whether someone else reserved in the scope since it last did.
 */
export async function reserveSlots(
  db: Queryable,
  requests: readonly SlotRequest[],
  seen?: (scope: string, beforeMs: number, afterMs: number) => void,
): Promise<Slot[]> {
  // Sorted: two batches inserting and locking the same scopes take them in the same order, so
  // one waits for the other instead of each holding what the other needs (a deadlock).
  const names = [...new Set(requests.flatMap((r) => r.scopes.map((s) => s.scope)))].sort();
  if (names.length === 0) {
    return requests.map((r) => ({ at: r.earliest, waitMs: Math.max(0, r.earliest.getTime() - Date.now()) }));
  }
  return db.transaction(async (tx) => {
    // A scope seen for the first time is free now (its first slot is the clock or the due time).
    await tx.execute(sql`
      INSERT INTO ${sendPacing} (scope, next_at)
      SELECT scope, to_timestamp(0) FROM unnest(${sql.param(names)}::text[]) WITH ORDINALITY AS n(scope, i)
      ORDER BY i
      ON CONFLICT DO NOTHING`);
    // The clock is read once every lock is held: its subquery needs the whole of `locked` first.
    const locked = rowsOf<{ scope: string; next_ms: string | number; clock_ms: string | number }>(
      await tx.execute(sql`
        WITH locked AS MATERIALIZED (
          SELECT scope, next_at FROM ${sendPacing}
          WHERE scope = ANY(${sql.param(names)}::text[]) ORDER BY scope FOR UPDATE
        )
        SELECT scope, extract(epoch FROM next_at) * 1000 AS next_ms,
          (SELECT extract(epoch FROM clock_timestamp()) * 1000 FROM (SELECT count(*) FROM locked) AS k) AS clock_ms
        FROM locked`),
    );
    const clock = Number(locked[0]?.clock_ms);
    const next = new Map(locked.map((r) => [r.scope, Number(r.next_ms)]));
    const slots = requests.map(({ scopes, earliest }) => {
      // Milliseconds with the database's microseconds: an interval such as 1000/3 ms is kept whole.
      const at = Math.max(clock, earliest.getTime(), ...scopes.map((s) => next.get(s.scope) ?? 0));
      for (const s of scopes) next.set(s.scope, at + s.intervalMs);
      // Rounded up: a slot kept as a Date (a deferred message's) is never before the one reserved.
      return { at: new Date(Math.ceil(at)), waitMs: Math.max(0, at - clock) };
    });
    await tx.execute(sql`
      UPDATE ${sendPacing} p SET next_at = to_timestamp(n.ms / 1000)
      FROM unnest(${sql.param(names)}::text[], ${sql.param(names.map((n) => next.get(n)!))}::float8[]) AS n(scope, ms)
      WHERE p.scope = n.scope`);
    if (seen) for (const r of locked) seen(r.scope, Number(r.next_ms), next.get(r.scope)!);
    return slots;
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
