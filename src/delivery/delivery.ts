import PgBoss from "pg-boss";
import type { ChatPlatform } from "../bot/commands/viewer.ts";
import { type ChatAdapter, ChatSendError, type Destination, type SendScope } from "../chat/adapter.ts";
import type { Reply } from "../chat/reply.ts";
import type { Log } from "../log.ts";
import type { Store } from "../store/database.ts";
import { type Backoff, DEFAULT_BACKOFF, retryDelayMs } from "./backoff.ts";
import {
  addToOutbox,
  claimForSending,
  markDead,
  markDeferred,
  markRetry,
  markSent,
  type OutboxRow,
  type OutgoingMessage,
  setJob,
  unqueuedRows,
} from "./outbox-repo.ts";
import { holdScopes, reserveSlot } from "./pacing.ts";

/**
 * The delivery engine: every message the bot sends on its own goes into the outbox (one row per
 * key, so never twice), and pg-boss jobs carry each row's id to a worker on any replica. A worker
 * claims the row, waits for a send slot under the platform's limits, sends, and records the
 * outcome; a retryable failure goes back to the queue after a back-off (at least the platform's
 * Retry-After), the last failure leaves the row dead and tells the admins.
 *
 * pg-boss gives the queue: jobs fetched with SKIP LOCKED across replicas, a job whose worker died
 * handed out again after its expiry, and its own schema and maintenance. The outbox row, not the
 * job, is the truth about a message: a job repeated by pg-boss, or queued twice by the sweep,
 * finds its row sent or held and does nothing.
 */

const QUEUE = "kpi-deliver";
/** A `sending` row whose attempt began longer ago than this was abandoned (its sender died). */
const DEFAULT_LEASE_MS = 60_000;
/** A slot nearer than this is waited for in the worker; a later one goes back to the queue. */
const MAX_SLOT_WAIT_MS = 5_000;
/** A queued-back message's job runs this long before its slot, to be ready on time. */
const SLOT_LEAD_MS = 2_000;
/** A slot missed by more than this (the bot was down) is given up and a new one reserved. */
const SLOT_STALE_MS = 1_000;
/** Outbox rows without a job this old were left by a crash (or a use-case's sweep that failed). */
const ORPHAN_AGE_MS = 30_000;
const SWEEP_BATCH = 1_000;

export interface DeliveryOptions {
  store: Store;
  adapters: ReadonlyMap<ChatPlatform, ChatAdapter>;
  log: Log;
  now?: () => Date;
  /** Attempts before a message is dead (default 8). */
  maxAttempts?: number;
  backoff?: Backoff;
  leaseMs?: number;
  /** Jobs a worker fetches at once, and workers per process (defaults 25 and 2). */
  batchSize?: number;
  workers?: number;
  /** How often an idle worker looks for jobs (pg-boss's minimum is 0.5 s). */
  pollingIntervalSeconds?: number;
  /** Who hears of a dead message: "platform:userId" (the configuration's admins). */
  admins?: readonly string[];
  sleep?: (ms: number) => Promise<void>;
}

export interface Delivery {
  /** Writes the messages whose keys are new to the outbox and queues them; how many were new. */
  queue(messages: readonly OutgoingMessage[]): Promise<number>;
  /**
   * Queues outbox rows without a job: rows the use-cases wrote in their own transactions (call it
   * after they commit), and rows a crash left between writing and queueing. `minAgeMs` leaves
   * younger rows alone (a `queue` call may be about to queue them). How many were queued.
   */
  sweep(options?: { minAgeMs?: number }): Promise<number>;
  /** Stops fetching; resolves once the sends under way are finished and recorded. */
  stop(): Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startDelivery(options: DeliveryOptions): Promise<Delivery> {
  const { store, adapters, log } = options;
  const db = store.db;
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? realSleep;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const boss = new PgBoss({
    ...("connectionString" in store.jobQueue
      ? { connectionString: store.jobQueue.connectionString, max: 4 }
      : { db: { executeSql: store.jobQueue.executeSql } }),
    schema: "pgboss",
    schedule: false,
  });
  boss.on("error", (error) => log.warn({ err: error }, "job queue error"));
  await boss.start();
  await boss.createQueue(QUEUE, {
    name: QUEUE,
    // pg-boss's retries only cover a worker that died or threw unexpectedly (the database went
    // away): failed sends are retried by queueing a new job, with the platform's Retry-After.
    retryLimit: 20,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: Math.ceil((leaseMs + MAX_SLOT_WAIT_MS) / 1000) + 30,
  });

  const queueJob = async (id: number, at: Date) => {
    const jobId = await boss.send(QUEUE, { id }, { startAfter: at });
    if (jobId) await setJob(db, id, jobId);
  };

  const alertAdmins = async (row: OutboxRow, error: string) => {
    // An alert that dies itself is not alerted about, or one dead platform would loop.
    if (row.key.startsWith("alert:")) return;
    const alerts: OutgoingMessage[] = (options.admins ?? []).flatMap((admin) => {
      const [platform, userId] = splitAdmin(admin);
      if (!adapters.has(platform)) return [];
      return [
        {
          key: `alert:dead:${row.key}:${admin}`,
          platform,
          to: { kind: "user", userId },
          reply: deadLetterAlert(row, error),
        },
      ];
    });
    await queue(alerts);
  };

  const fail = async (row: OutboxRow, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const retryable = !(error instanceof ChatSendError) || error.retryable;
    if (!retryable || row.attempts >= maxAttempts) {
      await markDead(db, row.id, message);
      log.error({ outboxKey: row.key, attempts: row.attempts, error: message }, "message not delivered");
      await alertAdmins(row, message);
      return;
    }
    const retryAfterMs = error instanceof ChatSendError ? error.retryAfterMs : undefined;
    const at = new Date(now().getTime() + retryDelayMs(row.attempts, backoff, retryAfterMs));
    if (retryAfterMs !== undefined) {
      const adapter = adapters.get(row.platform as ChatPlatform);
      if (adapter) await holdScopes(db, adapter.sendScopes(row.destination as Destination), at);
    }
    await markRetry(db, row.id, at, message);
    await queueJob(row.id, at);
    log.warn(
      { outboxKey: row.key, attempt: row.attempts, retryAt: at, error: message },
      "send failed; will retry",
    );
  };

  // The database's slots space sends across replicas; a send that reaches its slot late (a
  // database slow to answer) could still go right before the scope's next one. Within this
  // process, each scope's sends are also kept one interval apart by the time they actually go.
  const lastSendAt = new Map<string, number>();
  const spaceLocally = async (scopes: readonly SendScope[]) => {
    const at = Math.max(Date.now(), ...scopes.map((s) => (lastSendAt.get(s.scope) ?? 0) + s.intervalMs));
    for (const s of scopes) lastSendAt.set(s.scope, at);
    if (at > Date.now()) await sleep(at - Date.now());
  };

  const deliver = async (id: number) => {
    const claimed = await claimForSending(db, id, now(), leaseMs);
    if (!claimed) return;
    const { row, abandoned } = claimed;
    const adapter = adapters.get(row.platform as ChatPlatform);
    if (!adapter) {
      await markDead(db, id, `no ${row.platform} adapter is configured`);
      return;
    }
    const to = row.destination as Destination;
    const scopes = adapter.sendScopes(to);
    // A slot reserved on an earlier run is kept unless it was missed (the bot was down): sent
    // late, it would crowd the scope's next slots.
    const held = row.slotAt;
    const slot =
      held !== null && Date.now() - held.getTime() <= SLOT_STALE_MS
        ? { at: held, waitMs: Math.max(0, held.getTime() - Date.now()) }
        : await reserveSlot(db, scopes, row.dueAt);
    if (slot.waitMs > MAX_SLOT_WAIT_MS) {
      await markDeferred(db, id, slot.at);
      await queueJob(id, new Date(slot.at.getTime() - SLOT_LEAD_MS));
      return;
    }
    if (slot.waitMs > 0) await sleep(slot.waitMs);
    await spaceLocally(scopes);
    if (abandoned) {
      // Feishu takes the key and posts once; elsewhere the first attempt may have been posted.
      log.warn(
        { outboxKey: row.key, platform: row.platform },
        "resending a message whose last attempt was never answered",
      );
    }
    let ref: string;
    try {
      ref = (await adapter.send(to, row.reply as Reply, { idempotencyKey: row.key })).ref;
    } catch (error) {
      await fail(row, error);
      return;
    }
    await markSent(db, id, ref, now());
  };

  const workers: string[] = [];
  for (let i = 0; i < (options.workers ?? 2); i++) {
    workers.push(
      await boss.work<{ id: number }>(
        QUEUE,
        { batchSize: options.batchSize ?? 25, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5 },
        async (jobs) => {
          await Promise.all(jobs.map((job) => deliver(job.data.id)));
        },
      ),
    );
  }

  async function queue(messages: readonly OutgoingMessage[]): Promise<number> {
    const added = await addToOutbox(db, messages, now());
    for (const row of added) await queueJob(row.id, row.dueAt);
    return added.length;
  }

  // Rows a crash left without a job are picked up while the bot runs, not only at the next start.
  const sweeping = setInterval(() => {
    sweepOnce({ minAgeMs: ORPHAN_AGE_MS }).catch((error: unknown) =>
      log.warn({ err: error }, "outbox sweep failed"),
    );
  }, ORPHAN_AGE_MS);
  sweeping.unref();
  const sweepOnce = (options: { minAgeMs?: number }) => delivery.sweep(options);

  const delivery: Delivery = {
    queue,
    async sweep({ minAgeMs = 0 } = {}) {
      let queued = 0;
      for (;;) {
        const rows = await unqueuedRows(db, new Date(now().getTime() - minAgeMs), SWEEP_BATCH);
        for (const row of rows) await queueJob(row.id, row.dueAt);
        queued += rows.length;
        if (rows.length < SWEEP_BATCH) return queued;
      }
    },
    async stop() {
      clearInterval(sweeping);
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
  return delivery;
}

function splitAdmin(admin: string): [ChatPlatform, string] {
  const at = admin.indexOf(":");
  return [admin.slice(0, at) as ChatPlatform, admin.slice(at + 1)];
}

function deadLetterAlert(row: OutboxRow, error: string): Reply {
  return {
    title: "kpi-bot: a message could not be delivered",
    blocks: [
      {
        kind: "text",
        text: `${row.key} → ${row.platform} ${JSON.stringify(row.destination)}\n${row.attempts} attempts; last error: ${error}`,
      },
    ],
  };
}
