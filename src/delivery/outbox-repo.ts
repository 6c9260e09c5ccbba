import { and, eq, inArray, isNotNull, isNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { Destination } from "../chat/adapter.ts";
import type { ChatPlatform } from "../chat/caller.ts";
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

/** A row as an attempt takes it: without its reply, read only for the messages about to go (`repliesOf`). */
export type ClaimedRow = Pick<
  OutboxRow,
  "id" | "key" | "platform" | "destination" | "dueAt" | "slotAt" | "attempts" | "attemptedAt"
>;

const claimedColumns = {
  id: outbox.id,
  key: outbox.key,
  platform: outbox.platform,
  destination: outbox.destination,
  dueAt: outbox.dueAt,
  slotAt: outbox.slotAt,
  attempts: outbox.attempts,
  attemptedAt: outbox.attemptedAt,
};

/** Rows written by one INSERT: a bound on its parameters (PostgreSQL takes at most 65,535). */
const ROWS_PER_INSERT = 2_000;

/** Writes the messages whose keys are new; returns the new rows' ids and due times (repeats are dropped). */
export async function addToOutbox(
  db: Queryable,
  messages: readonly OutgoingMessage[],
  now: Date,
): Promise<{ id: number; dueAt: Date }[]> {
  const added: { id: number; dueAt: Date }[] = [];
  for (let from = 0; from < messages.length; from += ROWS_PER_INSERT) {
    const rows = await db
      .insert(outbox)
      .values(
        messages.slice(from, from + ROWS_PER_INSERT).map((m) => ({
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
    added.push(...rows);
  }
  return added;
}

/**
 * Records the queue jobs that will send the rows, for rows that have none yet; returns the rows it
 * recorded. A row another replica's sweep queued meanwhile keeps that job (the caller drops its own).
 */
export async function setJobs(
  db: Queryable,
  jobs: readonly { id: number; jobId: string }[],
): Promise<number[]> {
  if (jobs.length === 0) return [];
  const rows = await db
    .update(outbox)
    .set({ jobId: sql`j.job_id` })
    .from(
      sql`unnest(${sql.param(jobs.map((j) => j.id))}::int[], ${sql.param(jobs.map((j) => j.jobId))}::text[]) AS j(id, job_id)`,
    )
    .where(and(eq(outbox.id, sql`j.id`), isNull(outbox.jobId)))
    .returning({ id: outbox.id });
  return rows.map((r) => r.id);
}

/**
 * Takes the rows for one attempt each: queued rows, and rows left `sending` longer than the lease
 * (their sender died mid-send). Rows sent, dead, or held by another worker are left out.
 * `abandoned`: an earlier attempt may have reached the platform without the answer being recorded.
 */
export async function claimRows(
  db: Queryable,
  ids: readonly number[],
  now: Date,
  leaseMs: number,
): Promise<{ row: ClaimedRow; abandoned?: { attemptedAt: Date } }[]> {
  if (ids.length === 0) return [];
  const take = (which: readonly number[], state: SQL | undefined) =>
    db
      .update(outbox)
      .set({ status: "sending", attempts: sql`${outbox.attempts} + 1`, attemptedAt: now })
      .where(and(inArray(outbox.id, [...which]), state))
      .returning(claimedColumns);
  const queued = await take(ids, eq(outbox.status, "queued"));
  const claimed: { row: ClaimedRow; abandoned?: { attemptedAt: Date } }[] = queued.map((row) => ({ row }));
  if (queued.length === ids.length) return claimed;
  // Seldom: only a repeated job, or a row whose sender died, gets here.
  const taken = new Set(queued.map((r) => r.id));
  const leaseStart = new Date(now.getTime() - leaseMs);
  const stale = and(eq(outbox.status, "sending"), lt(outbox.attemptedAt, leaseStart));
  const rest = ids.filter((id) => !taken.has(id));
  // When the dead attempt began: a message it posted is looked for from then on.
  const began = await db
    .select({ id: outbox.id, attemptedAt: outbox.attemptedAt })
    .from(outbox)
    .where(and(inArray(outbox.id, rest), stale));
  if (began.length === 0) return claimed;
  const abandoned = await take(
    began.map((b) => b.id),
    stale,
  );
  const beganAt = new Map(began.map((b) => [b.id, b.attemptedAt ?? leaseStart]));
  return [...claimed, ...abandoned.map((row) => ({ row, abandoned: { attemptedAt: beganAt.get(row.id)! } }))];
}

/** The replies of rows about to be sent. */
export async function repliesOf(db: Queryable, ids: readonly number[]): Promise<Map<number, unknown>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: outbox.id, reply: outbox.reply })
    .from(outbox)
    .where(inArray(outbox.id, [...ids]));
  return new Map(rows.map((r) => [r.id, r.reply]));
}

export async function markSent(db: Queryable, id: number, ref: string, now: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "sent", sentRef: ref, sentAt: now, lastError: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, "sending")));
}

/**
 * Rows left `sending` by senders that are all gone (the caller knows it is alone), put back to
 * the queue now, each with the job that sends it again: its last attempt may have reached the
 * platform, so the job carries when that attempt began (the retry looks for the message first).
 * Due rows still `queued` get a new job too (their old one may be held by a dead sender).
 */
export async function requeueAbandoned(
  db: Queryable,
  now: Date,
  newJobId: () => string,
): Promise<{ rowId: number; jobId: string; attemptedAt: Date | null }[]> {
  const abandoned = await db
    .select({ id: outbox.id, attemptedAt: outbox.attemptedAt })
    .from(outbox)
    .where(eq(outbox.status, "sending"));
  const requeued: { rowId: number; jobId: string; attemptedAt: Date | null }[] = [];
  // Due rows still queued may have a job a dead sender fetched and never claimed a row for: the
  // queue hands it out again only when it expires, after `start --once` has given up. A second
  // job is harmless (a row is claimed by status, by whichever job comes first).
  const due = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.status, "queued"),
        isNotNull(outbox.jobId),
        lte(outbox.dueAt, now),
        or(isNull(outbox.slotAt), lte(outbox.slotAt, now)),
      ),
    );
  for (const row of due) {
    const jobId = newJobId();
    const [taken] = await db
      .update(outbox)
      .set({ jobId })
      .where(and(eq(outbox.id, row.id), eq(outbox.status, "queued")))
      .returning({ id: outbox.id });
    if (taken) requeued.push({ rowId: row.id, jobId, attemptedAt: null });
  }
  if (abandoned.length === 0) return requeued;
  for (const row of abandoned) {
    const jobId = newJobId();
    const [taken] = await db
      .update(outbox)
      .set({ status: "queued", dueAt: now, slotAt: null, lastError: "its sender stopped mid-send", jobId })
      .where(and(eq(outbox.id, row.id), eq(outbox.status, "sending")))
      .returning({ id: outbox.id });
    if (taken) requeued.push({ rowId: row.id, jobId, attemptedAt: row.attemptedAt });
  }
  return requeued;
}

/**
 * Back to the queue after a failed attempt, not before `dueAt`, with the job that will try again
 * (the caller queues it under that id).
 */
export async function markRetry(
  db: Queryable,
  id: number,
  dueAt: Date,
  error: string,
  jobId: string,
): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "queued", dueAt, slotAt: null, lastError: error, jobId })
    .where(and(eq(outbox.id, id), eq(outbox.status, "sending")));
}

/**
 * Back to the queue holding send slots too far ahead to wait for; not attempts, so they are not
 * counted. Each row gets the job that will send it shortly before its slot (the caller queues it).
 */
export async function deferRows(
  db: Queryable,
  rows: readonly { id: number; slotAt: Date; jobId: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .update(outbox)
    .set({
      status: "queued",
      slotAt: sql`d.slot_at::timestamptz`,
      attempts: sql`${outbox.attempts} - 1`,
      jobId: sql`d.job_id`,
    })
    .from(
      sql`unnest(${sql.param(rows.map((r) => r.id))}::int[], ${sql.param(rows.map((r) => r.slotAt.toISOString()))}::text[], ${sql.param(rows.map((r) => r.jobId))}::text[]) AS d(id, slot_at, job_id)`,
    )
    .where(and(eq(outbox.id, sql`d.id`), eq(outbox.status, "sending")));
}

/** Back to the queue untried (their sender could not go on): not attempts, so not counted. */
export async function releaseRows(db: Queryable, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(outbox)
    .set({ status: "queued", attempts: sql`${outbox.attempts} - 1` })
    .where(and(inArray(outbox.id, [...ids]), eq(outbox.status, "sending")));
}

export async function markDead(db: Queryable, id: number, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "dead", lastError: error })
    .where(and(eq(outbox.id, id), eq(outbox.status, "sending")));
}

/**
 * Queued rows without a job, written before `before`, oldest first: written by a use-case, or left
 * by a crash. `keyPrefix` keeps the rows whose key starts with it (e.g. "digest:").
 */
export async function unqueuedRows(
  db: Queryable,
  before: Date,
  limit: number,
  keyPrefix?: string,
): Promise<{ id: number; dueAt: Date }[]> {
  return db
    .select({ id: outbox.id, dueAt: outbox.dueAt })
    .from(outbox)
    .where(and(unqueued(keyPrefix), lte(outbox.createdAt, before)))
    .orderBy(outbox.createdAt, outbox.id)
    .limit(limit);
}

/** How many rows wait for a job (as unqueuedRows, whatever their age). */
export async function unqueuedCount(db: Queryable, keyPrefix?: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(unqueued(keyPrefix));
  return Number(row?.n ?? 0);
}

function unqueued(keyPrefix: string | undefined): SQL | undefined {
  return and(
    eq(outbox.status, "queued"),
    isNull(outbox.jobId),
    keyPrefix === undefined ? undefined : sql`starts_with(${outbox.key}, ${keyPrefix})`,
  );
}

/** Whether any message, in any state, has a key starting with one of these. */
export async function anyKeyStartingWith(db: Queryable, keyPrefixes: readonly string[]): Promise<boolean> {
  const rows = await db
    .select({ one: sql<number>`1` })
    .from(outbox)
    .where(or(...keyPrefixes.map((prefix) => sql`starts_with(${outbox.key}, ${prefix})`)))
    .limit(1);
  return rows.length > 0;
}

/** How many rows are in each state (for /metrics and the tests). */
export async function outboxCounts(db: Queryable): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: outbox.status, n: sql<number>`count(*)::int` })
    .from(outbox)
    .groupBy(outbox.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
