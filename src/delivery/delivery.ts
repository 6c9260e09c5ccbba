import { randomUUID } from "node:crypto";
import { type ChatAdapter, ChatSendError, type SendScope } from "../chat/adapter.ts";
import type { ChatPlatform } from "../chat/caller.ts";
import type { Reply } from "../chat/reply.ts";
import type { Log } from "../log.ts";
import { enterGroup } from "../store/claims.ts";
import type { Store } from "../store/database.ts";
import { type Backoff, DEFAULT_BACKOFF, retryDelayMs } from "./backoff.ts";
import { type DeliveryJobs, startJobQueue } from "./job-queue.ts";
import {
  addToOutbox,
  type ClaimedRow,
  markDead,
  markRetry,
  type OutgoingMessage,
  requeueAbandoned,
  unqueuedRows,
} from "./outbox-repo.ts";
import { holdScopes } from "./pacing.ts";
import { DEFAULT_PACE_HEADROOM, MAX_SLOT_WAIT_MS, startSender } from "./sender.ts";

/**
 * The delivery engine: every message the bot sends on its own goes into the outbox (one row per
 * key, so never twice), and pg-boss jobs carry each row's id to a sender on any replica
 * (sender.ts). A sender claims the row, waits for a send slot under the platform's limits, sends,
 * and records the outcome; a retryable failure goes back to the queue after a back-off (at least
 * the platform's Retry-After), the last failure leaves the row dead and tells the admins.
 *
 * pg-boss gives the queue: jobs fetched with SKIP LOCKED across replicas, a job whose sender died
 * handed out again after its expiry, and its own schema and maintenance. The outbox row, not the
 * job, is the truth about a message: a job repeated by pg-boss, or queued twice by two sweeps,
 * finds its row sent or held and does nothing.
 */

/** The group every running sender is in (claims.ts, enterGroup). */
const SENDERS = "delivery:senders";
/** A `sending` row whose attempt began longer ago than this was abandoned (its sender died). */
const DEFAULT_LEASE_MS = 60_000;
/** A send with no answer after this is given up (retryable); adapters' own timeouts are shorter. */
const DEFAULT_SEND_TIMEOUT_MS = 30_000;
/** Outbox rows without a job this old were left by a crash (or a use-case's sweep that failed). */
const ORPHAN_AGE_MS = 30_000;
const SWEEP_BATCH = 2_000;
/** queue() writes the first messages alone, then in chunks growing up to QUEUE_CHUNK. */
const FIRST_QUEUE_CHUNK = 50;
const QUEUE_CHUNK = 250;

export interface DeliveryOptions {
  store: Store;
  adapters: ReadonlyMap<ChatPlatform, ChatAdapter>;
  log: Log;
  now?: () => Date;
  /** Attempts before a message is dead (default 8). */
  maxAttempts?: number;
  backoff?: Backoff;
  leaseMs?: number;
  /** Jobs fetched at once (default 100). */
  batchSize?: number;
  /** Messages waiting for their send slot or being sent in this process, at most (default 1000). */
  maxWaiting?: number;
  /** How often an idle replica looks for jobs (default 0.5 s); queueing wakes its own at once. */
  pollingIntervalSeconds?: number;
  /** A send with no answer after this fails and is retried (default 30 s). */
  sendTimeoutMs?: number;
  /** Send slots are spaced this share further apart than the platforms' limits (default 0.05). */
  paceHeadroom?: number;
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
   * younger rows alone (a `queue` call may be about to queue them); `keyPrefix` queues only the
   * rows whose key starts with it (the console shows a start's digests before its nudges). How
   * many were queued.
   */
  sweep(options?: { minAgeMs?: number; keyPrefix?: string }): Promise<number>;
  /** Stops fetching; resolves once the sends under way are finished and recorded. */
  stop(): Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startDelivery(options: DeliveryOptions): Promise<Delivery> {
  const { store, adapters, log } = options;
  const db = store.db;
  const now = options.now ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? 8;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const sendTimeoutMs = options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  if (leaseMs < MAX_SLOT_WAIT_MS + sendTimeoutMs + 10_000) {
    throw new Error("delivery: the lease must outlast a slot's wait and a send's time limit");
  }
  // A job outlives the lease of its row (claimed as soon as the job is fetched), so a job pg-boss
  // hands out again after its sender died finds the row abandoned. The lease itself outlasts a
  // live attempt: a slot at most MAX_SLOT_WAIT_MS away, then the send's own time limit.
  // Every sender is in the group while it runs. One that finds itself alone knows that rows left
  // `sending` were left by senders that died (kill -9, a lost container): it sends them again now
  // rather than after their lease and their jobs' expiry, which a `start --once` would not wait for.
  const senders = await enterGroup(db, SENDERS);
  let jobs: DeliveryJobs;
  try {
    jobs = await startJobQueue(store, db, {
      expireInSeconds: Math.ceil((leaseMs + MAX_SLOT_WAIT_MS) / 1000) + 30,
      log,
    });
    if (senders.alone) {
      const requeued = await requeueAbandoned(db, now(), randomUUID);
      await jobs.insert(
        requeued.map((r) => ({
          jobId: r.jobId,
          rowId: r.rowId,
          at: now(),
          ...(r.attemptedAt ? { lookSince: r.attemptedAt } : {}),
        })),
      );
      if (requeued.length > 0)
        log.warn(
          { messages: requeued.length },
          "sending the messages stopped senders left queued or half-sent",
        );
    }
  } catch (error) {
    await senders.leave();
    throw error;
  }

  const alertAdmins = async (row: ClaimedRow, error: string) => {
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

  const failed = async (row: ClaimedRow, scopes: readonly SendScope[], error: unknown, lookSince?: Date) => {
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
      // The scopes wait as long as the platform said, here and on every replica; this message
      // waits its back-off besides (the scopes' other messages need not).
      const until = new Date(now().getTime() + retryAfterMs);
      sender.hold(scopes, until);
      await holdScopes(db, scopes, until);
    }
    // A failure that does not say the platform refused the call (a timeout, the network, a 5xx)
    // may have come after the platform took it: the retry looks for it first.
    const unclear = retryAfterMs === undefined;
    const look = lookSince ?? (unclear ? (row.attemptedAt ?? undefined) : undefined);
    const jobId = randomUUID();
    await markRetry(db, row.id, at, message, jobId);
    await jobs.insert([{ jobId, rowId: row.id, at, ...(look ? { lookSince: look } : {}) }]);
    log.warn(
      { outboxKey: row.key, attempt: row.attempts, retryAt: at, error: message },
      "send failed; will retry",
    );
  };

  const sender = startSender({
    db,
    jobs,
    adapters,
    log,
    now,
    sleep: options.sleep ?? realSleep,
    leaseMs,
    batchSize: options.batchSize ?? 100,
    maxWaiting: options.maxWaiting ?? 1_000,
    pollingIntervalMs: (options.pollingIntervalSeconds ?? 0.5) * 1000,
    sendTimeoutMs,
    paceHeadroom: options.paceHeadroom ?? DEFAULT_PACE_HEADROOM,
    failed,
  });

  // queue() and sweep() take turns in this process, so neither queues rows the other is queueing.
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work);
    turn = result.catch(() => {});
    return result;
  };

  async function queue(messages: readonly OutgoingMessage[]): Promise<number> {
    return inTurn(async () => {
      // In growing chunks, so the first messages are on their way while the rest are written.
      let added = 0;
      for (let from = 0, size = FIRST_QUEUE_CHUNK; from < messages.length; from += size) {
        if (from > 0) size = Math.min(size * 2, QUEUE_CHUNK);
        const rows = await addToOutbox(db, messages.slice(from, from + size), now());
        await jobs.queueRows(rows.map((r) => ({ id: r.id, at: r.dueAt })));
        if (rows.length > 0) sender.wake();
        added += rows.length;
        // Writing a chunk keeps this process busy for a while: let the sends due meanwhile go.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return added;
    });
  }

  const sweep = ({ minAgeMs = 0, keyPrefix }: { minAgeMs?: number; keyPrefix?: string } = {}) =>
    inTurn(async () => {
      let queued = 0;
      for (;;) {
        const rows = await unqueuedRows(db, new Date(now().getTime() - minAgeMs), SWEEP_BATCH, keyPrefix);
        await jobs.queueRows(rows.map((r) => ({ id: r.id, at: r.dueAt })));
        queued += rows.length;
        if (rows.length < SWEEP_BATCH) break;
      }
      if (queued > 0) sender.wake();
      return queued;
    });

  // Rows a crash left without a job are picked up while the bot runs, not only at the next start.
  const sweeping = setInterval(() => {
    sweep({ minAgeMs: ORPHAN_AGE_MS }).catch((error: unknown) =>
      log.warn({ err: error }, "outbox sweep failed"),
    );
  }, ORPHAN_AGE_MS);
  sweeping.unref();

  return {
    queue,
    sweep,
    async stop() {
      clearInterval(sweeping);
      try {
        await sender.stop();
        await jobs.stop();
      } finally {
        await senders.leave();
      }
    },
  };
}

function splitAdmin(admin: string): [ChatPlatform, string] {
  const at = admin.indexOf(":");
  return [admin.slice(0, at) as ChatPlatform, admin.slice(at + 1)];
}

function deadLetterAlert(row: ClaimedRow, error: string): Reply {
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
