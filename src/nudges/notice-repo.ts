import { and, countDistinct, eq, gte, inArray, like, lt } from "drizzle-orm";
import type { Queryable } from "../store/database.ts";
import { notices, outbox } from "../store/schema.ts";

/**
 * The notices: one row per thing told, with the outbox message that carried it. A subject is
 * claimed by inserting its row; the primary key lets only one run (of any number at once) claim
 * it, and the row is written in the same transaction as the message, so a subject is told once
 * and never recorded without its message.
 */

export type NoticeKind = "nudge" | "reminder" | "escalation";

export interface NoticeClaim {
  subject: string;
  agentId: string;
  kind: NoticeKind;
}

const CHUNK = 5_000;

/** The subjects among these that were told already. */
export async function toldAmong(db: Queryable, subjects: readonly string[]): Promise<Set<string>> {
  const told = new Set<string>();
  const unique = [...new Set(subjects)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await db
      .select({ subject: notices.subject })
      .from(notices)
      .where(inArray(notices.subject, unique.slice(i, i + CHUNK)));
    for (const row of rows) told.add(row.subject);
  }
  return told;
}

/**
 * Claims the subjects for a message about to be written in the same transaction; returns those
 * this call won (another run may hold the rest). Rows go in one order, so two runs claiming
 * overlapping sets wait for each other instead of deadlocking.
 */
export async function claimNotices(
  db: Queryable,
  claims: readonly NoticeClaim[],
  now: Date,
): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const sorted = [...claims].sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
  const rows = await db
    .insert(notices)
    .values(
      sorted.map((c) => ({
        subject: c.subject,
        agentId: c.agentId,
        kind: c.kind,
        outboxKey: "",
        createdAt: now,
      })),
    )
    .onConflictDoNothing({ target: notices.subject })
    .returning({ subject: notices.subject });
  return new Set(rows.map((r) => r.subject));
}

/** Names the message that carries the subjects just claimed. */
export async function bindNotices(
  db: Queryable,
  subjects: readonly string[],
  outboxKey: string,
): Promise<void> {
  for (let i = 0; i < subjects.length; i += CHUNK) {
    await db
      .update(notices)
      .set({ outboxKey })
      .where(inArray(notices.subject, subjects.slice(i, i + CHUNK)));
  }
}

/** How many messages with nudges or reminders for the agent are due in [from, to). */
export async function agentMessagesDue(
  db: Queryable,
  agentId: string,
  from: Date,
  to: Date,
): Promise<number> {
  const [row] = await db
    .select({ n: countDistinct(notices.outboxKey) })
    .from(notices)
    .innerJoin(outbox, eq(outbox.key, notices.outboxKey))
    .where(
      and(
        eq(notices.agentId, agentId),
        inArray(notices.kind, ["nudge", "reminder"]),
        gte(outbox.dueAt, from),
        lt(outbox.dueAt, to),
      ),
    );
  return Number(row?.n ?? 0);
}

/** When the messages that told these subjects were due. */
export async function dueOfTold(db: Queryable, subjects: readonly string[]): Promise<Map<string, Date>> {
  const due = new Map<string, Date>();
  const unique = [...new Set(subjects)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await db
      .select({ subject: notices.subject, dueAt: outbox.dueAt })
      .from(notices)
      .innerJoin(outbox, eq(outbox.key, notices.outboxKey))
      .where(inArray(notices.subject, unique.slice(i, i + CHUNK)));
    for (const row of rows) due.set(row.subject, row.dueAt);
  }
  return due;
}

/** Low-rating reviews asked of agents: `low_rating:<id>` notices whose message was sent in [from, to). */
export async function ratingReviewsAsked(
  db: Queryable,
  from: Date,
  to: Date,
): Promise<{ agentId: string; factId: number; askedAt: Date }[]> {
  const rows = await db
    .select({ subject: notices.subject, agentId: notices.agentId, sentAt: outbox.sentAt })
    .from(notices)
    .innerJoin(outbox, eq(outbox.key, notices.outboxKey))
    .where(
      and(
        like(notices.subject, "low_rating:%"),
        eq(outbox.status, "sent"),
        gte(outbox.sentAt, from),
        lt(outbox.sentAt, to),
      ),
    );
  return rows.map((r) => ({
    agentId: r.agentId,
    factId: Number(r.subject.slice("low_rating:".length)),
    askedAt: r.sentAt!,
  }));
}
