import { sql } from "drizzle-orm";
import { addToOutbox, type OutgoingMessage } from "../delivery/outbox-repo.ts";
import type { Queryable } from "../store/database.ts";
import { bindNotices, claimNotices, type NoticeClaim } from "./notice-repo.ts";

/**
 * The one way a nudge or an escalation is written: in one transaction, its subjects are claimed
 * (notices), the messages are composed from the subjects this run won, and the messages are
 * queued (outbox) with each notice naming the message that carries it. Two runs at once, or a
 * run repeated, tell each subject once.
 */

/** The advisory lock's first key: apart from the migration (7240451) and work (7240452) locks. */
const NOTICES_LOCK = 7_240_453;

export interface Composed {
  message: OutgoingMessage;
  /** The subjects the message tells. */
  subjects: readonly string[];
}

export async function tellOnce<T extends NoticeClaim>(
  db: Queryable,
  items: readonly T[],
  now: Date,
  compose: (won: T[]) => Composed[],
): Promise<{ queued: number; told: number }> {
  if (items.length === 0) return { queued: 0, told: 0 };
  return db.transaction(async (tx) => {
    // One writer of notices at a time (replicas, a watch beside a pull): a run that claims after
    // another committed finds its subjects taken and wins nothing, where two claiming at once on
    // PostgreSQL could each win part of one person's subjects and send them two messages.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${NOTICES_LOCK}, 0)`);
    const won = await claimNotices(tx, items, now);
    if (won.size === 0) return { queued: 0, told: 0 };
    const composed = compose(items.filter((i) => won.has(i.subject)));
    const rows = await addToOutbox(
      tx,
      composed.map((c) => c.message),
      now,
    );
    // Keys are made from subjects only this run holds, so none can be taken: if one were, its
    // subjects would be recorded as told without a message. Roll back rather than lose them.
    if (rows.length !== composed.length)
      throw new Error(`outbox keys already taken: ${composed.map((c) => c.message.key).join(", ")}`);
    const bound = new Set<string>();
    for (const { message, subjects } of composed) {
      const fresh = subjects.filter((s) => won.has(s) && !bound.has(s));
      for (const s of fresh) bound.add(s);
      await bindNotices(tx, fresh, message.key);
    }
    const untold = [...won].filter((s) => !bound.has(s));
    if (untold.length > 0) throw new Error(`claimed but not carried by any message: ${untold.join(", ")}`);
    return { queued: composed.length, told: won.size };
  });
}
