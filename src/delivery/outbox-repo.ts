import { and, eq, isNull, lt, lte, type SQL, sql } from "drizzle-orm";
import type { ChatPlatform } from "../bot/commands/viewer.ts";
import type { Destination } from "../chat/adapter.ts";
import type { Reply } from "../chat/reply.ts";
import type { Queryable } from "../store/database.ts";
import { outbox } from "../store/schema.ts";

/**
 * The outbox's rows and their states: queued → sending → sent, or back to queued for a retry, or
 * dead after the last attempt. Every change is one statement that says which state it expects,
 * so two workers holding the same row cannot both act on it.
 */

/** A message the bot sends on its own; `key` names what it is about and is sent once. */
export interface OutgoingMessage {
  key: string;
  platform: ChatPlatform;
  to: Destination;
  reply: Reply;
  /** Not before (quiet hours, a shift); now when absent. */
  dueAt?: Date;
}

export type OutboxRow = typeof outbox.$inferSelect;

/** Writes the messages whose keys are new; returns the new rows' ids and due times (repeats are dropped). */
export async function addToOutbox(
  db: Queryable,
  messages: readonly OutgoingMessage[],
  now: Date,
): Promise<{ id: number; dueAt: Date }[]> {
  if (messages.length === 0) return [];
  return db
    .insert(outbox)
    .values(
      messages.map((m) => ({
        key: m.key,
        platform: m.platform,
        destination: m.to,
        reply: m.reply,
        dueAt: m.dueAt ?? now,
        createdAt: now,
      })),
    )
    .onConflictDoNothing({ target: outbox.key })
    .returning({ id: outbox.id, dueAt: outbox.dueAt });
}

/** Records the queue job that will send the row (a sweep queues rows left without one). */
export async function setJob(db: Queryable, id: number, jobId: string): Promise<void> {
  await db.update(outbox).set({ jobId }).where(eq(outbox.id, id));
}

/**
 * Takes the row for one attempt: a queued row, or one left `sending` longer than the lease (its
 * sender died mid-send). Null when it is sent, dead, or another worker holds it. `abandoned`: an
 * earlier attempt may have reached the platform without the answer being recorded.
 */
export async function claimForSending(
  db: Queryable,
  id: number,
  now: Date,
  leaseMs: number,
): Promise<{ row: OutboxRow; abandoned: boolean } | null> {
  const take = (state: SQL | undefined) =>
    db
      .update(outbox)
      .set({ status: "sending", attempts: sql`${outbox.attempts} + 1`, attemptedAt: now })
      .where(and(eq(outbox.id, id), state))
      .returning();
  const [queued] = await take(eq(outbox.status, "queued"));
  if (queued) return { row: queued, abandoned: false };
  const leaseStart = new Date(now.getTime() - leaseMs);
  const [abandoned] = await take(and(eq(outbox.status, "sending"), lt(outbox.attemptedAt, leaseStart)));
  return abandoned ? { row: abandoned, abandoned: true } : null;
}

export async function markSent(db: Queryable, id: number, ref: string, now: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "sent", sentRef: ref, sentAt: now, lastError: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, "sending")));
}

/** Back to the queue after a failed attempt, not before `dueAt`; the caller queues its job. */
export async function markRetry(db: Queryable, id: number, dueAt: Date, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "queued", dueAt, slotAt: null, lastError: error, jobId: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, "sending")));
}

/**
 * Back to the queue holding a send slot too far ahead to wait for; not an attempt, so it is not
 * counted. The caller queues its job to run shortly before the slot.
 */
export async function markDeferred(db: Queryable, id: number, slotAt: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "queued", slotAt, attempts: sql`${outbox.attempts} - 1`, jobId: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, "sending")));
}

export async function markDead(db: Queryable, id: number, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "dead", lastError: error })
    .where(and(eq(outbox.id, id), eq(outbox.status, "sending")));
}

/** Queued rows without a job, written before `before`: a crash came between writing and queueing. */
export async function unqueuedRows(
  db: Queryable,
  before: Date,
  limit: number,
): Promise<{ id: number; dueAt: Date }[]> {
  return db
    .select({ id: outbox.id, dueAt: outbox.dueAt })
    .from(outbox)
    .where(and(eq(outbox.status, "queued"), isNull(outbox.jobId), lte(outbox.createdAt, before)))
    .orderBy(outbox.createdAt)
    .limit(limit);
}

/** How many rows are in each state (for /metrics and the tests). */
export async function outboxCounts(db: Queryable): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: outbox.status, n: sql<number>`count(*)::int` })
    .from(outbox)
    .groupBy(outbox.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
