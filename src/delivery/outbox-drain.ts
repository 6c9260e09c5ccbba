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

/** `keyPrefix`: only the rows whose key starts with it (e.g. "digest:"). */
export async function outboxBacklog(db: Queryable, now: Date, keyPrefix?: string): Promise<OutboxBacklog> {
  const at = sql`coalesce(${outbox.slotAt}, ${outbox.dueAt})`;
  const nowText = now.toISOString();
  const [row] = await db
    .select({
      due: sql<number>`count(*) filter (where ${at} <= ${nowText}::timestamptz)`,
      held: sql<number>`count(*) filter (where ${at} > ${nowText}::timestamptz)`,
      nextAt: min(sql<Date>`case when ${at} > ${nowText}::timestamptz then ${at} end`),
    })
    .from(outbox)
    .where(and(inArray(outbox.status, ["queued", "sending"]), withPrefix(keyPrefix)));
  const [dead] = await db
    .select({ n: sql<number>`count(*)` })
    .from(outbox)
    .where(and(inArray(outbox.status, ["dead"]), withPrefix(keyPrefix)));
  return {
    due: Number(row?.due ?? 0),
    held: Number(row?.held ?? 0),
    nextAt: row?.nextAt ? new Date(row.nextAt) : null,
    dead: Number(dead?.n ?? 0),
  };
}

const withPrefix = (keyPrefix: string | undefined) =>
  keyPrefix === undefined ? undefined : sql`starts_with(${outbox.key}, ${keyPrefix})`;

/** Resolves when nothing due is left unsent, or after `timeoutMs` with what is left. */
export async function outboxDrained(
  db: Queryable,
  now: () => Date,
  timeoutMs: number,
  options: { keyPrefix?: string; sleep?: (ms: number) => Promise<void> } = {},
): Promise<OutboxBacklog> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const backlog = await outboxBacklog(db, now(), options.keyPrefix);
    if (backlog.due === 0 || Date.now() >= deadline) return backlog;
    await sleep(200);
  }
}
