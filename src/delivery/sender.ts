import { randomUUID } from "node:crypto";
import type { ChatAdapter, Destination, SendScope } from "../chat/adapter.ts";
import type { ChatPlatform } from "../chat/caller.ts";
import type { Reply } from "../chat/reply.ts";
import type { Log } from "../log.ts";
import type { Queryable } from "../store/database.ts";
import { type AttemptDeps, attempt, type Claimed } from "./attempt.ts";
import { FirstSends } from "./first-sends.ts";
import type { DeliveryJobs, RowJob } from "./job-queue.ts";
import { LocalSpacing } from "./local-spacing.ts";
import { type ClaimedRow, claimRows, deferRows, markDead, releaseRows, repliesOf } from "./outbox-repo.ts";
import { reserveSlots, type Slot } from "./pacing.ts";

/**
 * The sending side of one replica: a loop fetches jobs in batches, claims their rows in one
 * statement, reserves their send slots in one transaction, and sends each message at its slot.
 * A slot further off than MAX_SLOT_WAIT_MS goes back to the queue with its row, to come back
 * shortly before it; so one batch of digests to a busy platform never holds up the messages
 * behind it to another. Fetching goes on while messages wait for their slots (up to `maxWaiting`
 * at once): a job is completed when its row's outcome is written, not when its batch is done.
 */

/** A slot nearer than this is waited for here; a later one goes back to the queue. */
export const MAX_SLOT_WAIT_MS = 5_000;
/** A queued-back message's job runs this long before its slot, to be ready on time. */
const SLOT_LEAD_MS = 2_000;
/** A slot missed by more than this (the bot was down) is given up and a new one reserved. */
const SLOT_STALE_MS = 1_000;
/**
 * Slots are this much further apart than the published limits by default. A platform counts
 * arrivals, and two sends one interval apart when they leave can arrive closer together (one held
 * up on its way by a busy event loop): counted strictly, exactly at the limit, such a pair is over
 * it. 5% leaves 50 ms of such jitter in a one-second window.
 */
export const DEFAULT_PACE_HEADROOM = 0.05;
/** Another replica seen reserving this long ago is taken to have stopped. */
const OTHERS_FORGOTTEN_MS = 5 * 60_000;
/** Batches claimed and being scheduled at once. */
const BATCHES_AT_ONCE = 4;

export interface SenderOptions {
  db: Queryable;
  jobs: DeliveryJobs;
  adapters: ReadonlyMap<ChatPlatform, ChatAdapter>;
  log: Log;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  leaseMs: number;
  /** Jobs fetched at once. */
  batchSize: number;
  /** Messages waiting for their slot or being sent, at most. */
  maxWaiting: number;
  /** How long an idle loop waits before looking for jobs again. */
  pollingIntervalMs: number;
  /** A send with no answer after this fails (retryable): the platform may or may not have it. */
  sendTimeoutMs: number;
  /** Slots are spaced this share further apart than the published limits. */
  paceHeadroom: number;
  /**
   * Records a failed attempt: a retry later, or dead. `lookSince`: an earlier attempt may have
   * reached the platform, and the retry should still look for it first.
   */
  failed(row: ClaimedRow, scopes: readonly SendScope[], error: unknown, lookSince?: Date): Promise<void>;
}

export interface Sender {
  /** Looks for jobs now (after queueing some). */
  wake(): void;
  /** A platform said to wait: this replica's messages already holding slots in these scopes wait too. */
  hold(scopes: readonly SendScope[], until: Date): void;
  /** Stops fetching; resolves once the messages under way are sent and recorded. */
  stop(): Promise<void>;
}

export function startSender(options: SenderOptions): Sender {
  const { db, jobs, adapters, log, now, sleep } = options;
  const paced = (scopes: readonly SendScope[]) =>
    scopes.map((s) => ({ scope: s.scope, intervalMs: s.intervalMs * (1 + options.paceHeadroom) }));
  const waiting = new Set<Promise<void>>();
  const batches = new Set<Promise<void>>();
  const holds = new Map<string, number>();
  let stopping = false;
  let wakeUp: (() => void) | undefined;
  const wake = () => wakeUp?.();
  /** Resolves after `ms`, or at once when woken. */
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (wakeUp === done) wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakeUp = done;
    });

  const spacing = new LocalSpacing(sleep, options.paceHeadroom);
  const firstSends = new FirstSends();
  const heldUntil = (scopes: readonly SendScope[]) =>
    Math.max(0, ...scopes.map((s) => holds.get(s.scope) ?? 0));
  // Another replica is sending in our scopes when a scope's next free time has moved on between
  // two of our reservations.
  const ourNext = new Map<string, number>();
  let othersSeenAt = Number.NEGATIVE_INFINITY;
  const seen = (scope: string, beforeMs: number, afterMs: number) => {
    const ours = ourNext.get(scope);
    if (ours !== undefined && beforeMs > ours + 1) othersSeenAt = Date.now();
    if (ourNext.size > 50_000) ourNext.clear();
    ourNext.set(scope, afterMs);
  };
  const othersActive = () => Date.now() - othersSeenAt < OTHERS_FORGOTTEN_MS;

  const attemptDeps: AttemptDeps = {
    db,
    log,
    now,
    sleep,
    spacing,
    paced,
    heldUntil,
    othersActive,
    seen,
    defer: (c, at) => defer([{ c, at }]).catch((error: unknown) => giveBack([c], error)),
    sendTimeoutMs: options.sendTimeoutMs,
    failed: options.failed,
    maxSlotWaitMs: MAX_SLOT_WAIT_MS,
  };

  /** Sends at the slot (local time `at`) and completes the jobs; tracked until done. */
  const sendAt = (c: Claimed, at: number): void => {
    const work = attempt(c, at, attemptDeps).then(
      (finished) => {
        if (finished) for (const id of c.jobIds) jobs.complete(id);
      },
      (error: unknown) => {
        // The row stays `sending` and its job active: after the lease and the job's expiry,
        // pg-boss hands the job out again and the row is sent then.
        log.error({ err: error, outboxKey: c.row.key }, "delivery attempt failed unexpectedly");
        c.first?.released();
      },
    );
    waiting.add(work);
    void work.finally(() => waiting.delete(work));
  };

  /** Back to the queue with their slots, each with a new job due shortly before its slot. */
  const defer = async (far: readonly { c: Claimed; at: Date }[]) => {
    const deferred = far.map(({ c, at }) => ({ c, at, jobId: randomUUID() }));
    await deferRows(
      db,
      deferred.map(({ c, at, jobId }) => ({ id: c.row.id, slotAt: at, jobId })),
    );
    await jobs.insert(
      deferred.map(({ c, at, jobId }) => ({
        jobId,
        rowId: c.row.id,
        at: new Date(at.getTime() - SLOT_LEAD_MS),
        ...(c.lookSince ? { lookSince: c.lookSince } : {}),
      })),
    );
    for (const { c } of deferred) {
      c.first?.released();
      for (const id of c.jobIds) jobs.complete(id);
    }
  };

  const handle = async (fetched: readonly RowJob[]) => {
    const jobsOfRow = new Map<number, string[]>();
    for (const j of fetched) jobsOfRow.set(j.rowId, [...(jobsOfRow.get(j.rowId) ?? []), j.jobId]);
    let rows: Awaited<ReturnType<typeof claimRows>>;
    try {
      rows = await claimRows(db, [...jobsOfRow.keys()], now(), options.leaseMs);
    } catch (error) {
      // Nothing was claimed: the jobs go back to pg-boss, to be handed out again in a few seconds.
      log.warn({ err: error }, "could not claim messages; their jobs go back to the queue");
      await jobs.retry(fetched.map((j) => j.jobId)).catch(() => {});
      return;
    }
    const claimedIds = new Set(rows.map((r) => r.row.id));
    // A repeated job: its row is sent, or another worker holds it.
    for (const [id, jobIds] of jobsOfRow) if (!claimedIds.has(id)) for (const j of jobIds) jobs.complete(j);

    const claimed: Claimed[] = [];
    for (const { row, abandoned } of rows) {
      const jobIds = jobsOfRow.get(row.id)!;
      if (abandoned) {
        log.warn(
          { outboxKey: row.key, platform: row.platform },
          "sending again a message whose last attempt was never answered",
        );
      }
      const looks = [
        abandoned?.attemptedAt,
        ...fetched.filter((j) => j.rowId === row.id).map((j) => j.lookSince),
      ];
      const lookSince = looks.reduce<Date | undefined>(
        (earliest, at) => (at && (!earliest || at < earliest) ? at : earliest),
        undefined,
      );
      const adapter = adapters.get(row.platform as ChatPlatform);
      if (!adapter) {
        await markDead(db, row.id, `no ${row.platform} adapter is configured`);
        for (const j of jobIds) jobs.complete(j);
        continue;
      }
      const scopes = adapter.sendScopes(row.destination as Destination);
      claimed.push({ row, lookSince, adapter, scopes, jobIds });
    }
    const { now: rightAway, later } = firstSends.split(claimed);
    await Promise.all([
      schedule(rightAway),
      ...[...later].map(async ([first, waiting]) => {
        await first;
        await schedule(waiting);
      }),
    ]);
  };

  /**
   * Puts messages back when their batch cannot go on (the database failed them): the rows queued
   * again and their jobs given back to pg-boss, which hands them out again in a few seconds,
   * rather than left `sending` until the lease and the jobs' expiry run out.
   */
  const giveBack = async (claimed: readonly Claimed[], error: unknown) => {
    log.warn(
      { err: error, messages: claimed.length },
      "could not schedule messages; they go back to the queue",
    );
    for (const c of claimed) c.first?.released();
    try {
      await releaseRows(
        db,
        claimed.map((c) => c.row.id),
      );
      await jobs.retry(claimed.flatMap((c) => c.jobIds));
    } catch (again) {
      log.error({ err: again }, "could not put messages back; they are sent after their lease");
    }
  };

  /** Reserves the messages' slots; waits here for the near ones, puts the far ones back in the queue. */
  const schedule = async (claimed: readonly Claimed[]) => {
    if (claimed.length === 0) return;
    // A slot reserved on an earlier run is kept unless it was missed (the bot was down): sent
    // late, it would crowd the scope's next slots.
    const keeps = (c: Claimed) =>
      c.row.slotAt !== null && Date.now() - c.row.slotAt.getTime() <= SLOT_STALE_MS;
    const fresh = claimed.filter((c) => !keeps(c));
    const stale = fresh.filter((c) => c.row.slotAt !== null);
    if (stale.length > 0) {
      log.debug(
        { messages: stale.length, lateMs: Date.now() - stale[0]!.row.slotAt!.getTime() },
        "slots missed while in the queue; taking new ones",
      );
    }
    let slots: Slot[];
    try {
      slots = await reserveSlots(
        db,
        fresh.map((c) => ({ scopes: paced(c.scopes), earliest: c.row.dueAt })),
        seen,
      );
    } catch (error) {
      return giveBack(claimed, error);
    }
    const reservedAt = Date.now();
    const timed = [
      ...claimed.filter(keeps).map((c) => ({ c, at: c.row.slotAt!, sendAt: c.row.slotAt!.getTime() })),
      ...fresh.map((c, i) => ({ c, at: slots[i]!.at, sendAt: reservedAt + slots[i]!.waitMs })),
    ];
    const far: typeof timed = [];
    const near: typeof timed = [];
    for (const t of timed) (t.sendAt - Date.now() > MAX_SLOT_WAIT_MS ? far : near).push(t);
    try {
      const replies = await repliesOf(
        db,
        near.map((t) => t.c.row.id),
      );
      for (const t of near) t.c.reply = replies.get(t.c.row.id) as Reply;
    } catch (error) {
      await giveBack(
        timed.map((t) => t.c),
        error,
      );
      return;
    }
    for (const t of near) sendAt(t.c, t.sendAt);
    try {
      await defer(far);
    } catch (error) {
      await giveBack(
        far.map((t) => t.c),
        error,
      );
    }
  };

  const loop = (async () => {
    while (!stopping) {
      if (batches.size >= BATCHES_AT_ONCE) {
        await Promise.race(batches);
        continue;
      }
      const room = options.maxWaiting - waiting.size;
      if (room < Math.min(options.batchSize, options.maxWaiting)) {
        await Promise.race([...waiting, idle(options.pollingIntervalMs)]);
        continue;
      }
      let fetched: RowJob[];
      try {
        fetched = await jobs.fetch(Math.min(options.batchSize, room));
      } catch (error) {
        log.warn({ err: error }, "could not fetch delivery jobs");
        await idle(options.pollingIntervalMs);
        continue;
      }
      if (fetched.length === 0) {
        await idle(options.pollingIntervalMs);
        continue;
      }
      const batch = handle(fetched).catch((error: unknown) => {
        // Rows left claimed go again after their lease, when pg-boss hands their jobs out again.
        log.error({ err: error }, "a batch of deliveries failed");
      });
      batches.add(batch);
      void batch.finally(() => batches.delete(batch));
    }
  })();

  return {
    wake,
    hold(scopes, until) {
      for (const [scope, end] of holds) if (end < Date.now()) holds.delete(scope);
      for (const s of scopes) holds.set(s.scope, Math.max(holds.get(s.scope) ?? 0, until.getTime()));
    },
    async stop() {
      stopping = true;
      wake();
      await loop;
      while (batches.size > 0 || waiting.size > 0) await Promise.allSettled([...batches, ...waiting]);
    },
  };
}
