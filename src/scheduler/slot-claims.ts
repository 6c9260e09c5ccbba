import { and, asc, eq, gt, lte, max } from "drizzle-orm";
import type { Queryable } from "../store/database.ts";
import { jobSlots } from "../store/schema.ts";

/**
 * A scheduled fire (job, slot) runs on the one replica whose INSERT created its row. The row is
 * never released: a replica whose timer fires late, after the first has finished, finds it and
 * stands aside. An advisory lock alone would not do, since it is free again once the first run
 * ends; but the runner holds one while it runs (slot-runner.ts), so a row still "running" whose
 * lock is free belongs to a runner that died, and `takeOverAbandoned` gives it to another.
 */

export type SlotOutcome = { status: "done" } | { status: "failed"; error: string };

/** True when this replica now owns the slot; false when any replica claimed it before, even long ago. */
export async function claimSlot(
  db: Queryable,
  job: string,
  slot: Date,
  replicaId: string,
  now: Date,
): Promise<boolean> {
  const claimed = await db
    .insert(jobSlots)
    .values({ job, slot, claimedBy: replicaId, claimedAt: now, status: "running" })
    .onConflictDoNothing()
    .returning({ job: jobSlots.job });
  return claimed.length === 1;
}

/** Records how a claimed slot ended. The row stays: finishing does not make the slot claimable. */
export async function finishSlot(
  db: Queryable,
  job: string,
  slot: Date,
  outcome: SlotOutcome,
  now: Date,
): Promise<void> {
  await db
    .update(jobSlots)
    .set({
      status: outcome.status,
      error: outcome.status === "failed" ? outcome.error : null,
      finishedAt: now,
    })
    .where(and(eq(jobSlots.job, job), eq(jobSlots.slot, slot)));
}

/**
 * The newest slot of the job any replica ever claimed (run, failed or still running), or null.
 * With `atOrBefore`, claims of later slots are ignored: a live timer that already took the next
 * slot must not hide the ones missed before it.
 */
export async function lastClaimedSlot(db: Queryable, job: string, atOrBefore?: Date): Promise<Date | null> {
  const [row] = await db
    .select({ slot: max(jobSlots.slot) })
    .from(jobSlots)
    .where(and(eq(jobSlots.job, job), atOrBefore === undefined ? undefined : lte(jobSlots.slot, atOrBefore)));
  const slot = row?.slot ?? null;
  // Aggregates come back as the driver gives them: a Date from one, text from another.
  return slot === null ? null : new Date(slot);
}

/**
 * Re-claims a slot left "running" by a runner that died. Call it only holding the slot's lock:
 * a live runner holds that lock for the whole run, so the row cannot be a live one's.
 */
export async function takeOverAbandoned(
  db: Queryable,
  job: string,
  slot: Date,
  replicaId: string,
  now: Date,
): Promise<boolean> {
  const taken = await db
    .update(jobSlots)
    .set({ claimedBy: replicaId, claimedAt: now })
    .where(and(eq(jobSlots.job, job), eq(jobSlots.slot, slot), eq(jobSlots.status, "running")))
    .returning({ job: jobSlots.job });
  return taken.length === 1;
}

/** The job's slots after `after` still recorded as running: under way, or left by a crash. */
export async function runningSlots(
  db: Queryable,
  job: string,
  after: Date,
  atOrBefore: Date,
): Promise<Date[]> {
  const rows = await db
    .select({ slot: jobSlots.slot })
    .from(jobSlots)
    .where(
      and(
        eq(jobSlots.job, job),
        eq(jobSlots.status, "running"),
        gt(jobSlots.slot, after),
        lte(jobSlots.slot, atOrBefore),
      ),
    )
    .orderBy(asc(jobSlots.slot));
  return rows.map((r) => new Date(r.slot));
}
