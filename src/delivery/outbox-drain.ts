import { and, inArray, min, sql } from "drizzle-orm";
import type { Queryable } from "../store/database.ts";
import { outbox } from "../store/schema.ts";

/**
 * For `kpi start --once`: whether everything due has gone. Messages held for later (quiet
 * hours, a shift that has not begun) are not waited for; they are counted, with the first time.
 */

export interface OutboxBacklog {
  /** Due now and not yet sent (queued or being sent). */
  due: number;
  /** Held for later, and when the first of them is due. */
  held: number;
  nextAt: Date | null;
  dead: number;
}

export async function outboxBacklog(db: Queryable, now: Date): Promise<OutboxBacklog> {
  const at = sql`coalesce(${outbox.slotAt}, ${outbox.dueAt})`;
  const nowText = now.toISOString();
  const [row] = await db
    .select({
      due: sql<number>`count(*) filter (where ${at} <= ${nowText}::timestamptz)`,
      held: sql<number>`count(*) filter (where ${at} > ${nowText}::timestamptz)`,
      nextAt: min(sql<Date>`case when ${at} > ${nowText}::timestamptz then ${at} end`),
    })
    .from(outbox)
    .where(inArray(outbox.status, ["queued", "sending"]));
  const [dead] = await db
    .select({ n: sql<number>`count(*)` })
    .from(outbox)
    .where(and(inArray(outbox.status, ["dead"])));
  return {
    due: Number(row?.due ?? 0),
    held: Number(row?.held ?? 0),
    nextAt: row?.nextAt ? new Date(row.nextAt) : null,
    dead: Number(dead?.n ?? 0),
  };
}

/** Resolves when nothing due is left unsent, or after `timeoutMs` with what is left. */
export async function outboxDrained(
  db: Queryable,
  now: () => Date,
  timeoutMs: number,
  sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
): Promise<OutboxBacklog> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const backlog = await outboxBacklog(db, now());
    if (backlog.due === 0 || Date.now() >= deadline) return backlog;
    await sleep(200);
  }
}
