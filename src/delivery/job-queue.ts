import { randomUUID } from "node:crypto";
import PgBoss from "pg-boss";
import type { Log } from "../log.ts";
import type { Queryable, Store } from "../store/database.ts";
import { setJobs } from "./outbox-repo.ts";

/**
 * The pg-boss side of delivery: one job per outbox row (its data is the row's id), inserted many
 * at a time, fetched in batches by any replica (SKIP LOCKED), completed in batches. Jobs get our
 * own ids, so the row can name its job before the job exists: a row whose job was never inserted
 * (a crash in between) still has its previous job active, which pg-boss hands out again after its
 * expiry.
 */

const QUEUE = "kpi-deliver";
/** Completions are written together, at most this long after the first of them. */
const COMPLETE_EVERY_MS = 50;
const COMPLETE_BATCH = 500;

export interface RowJob {
  jobId: string;
  rowId: number;
  /**
   * An earlier attempt, begun at this time, may have reached the platform (it timed out, or failed
   * in a way that does not say): look for the message before sending it again.
   */
  lookSince?: Date;
}

export interface DeliveryJobs {
  /**
   * Queues fresh rows (no job yet) to start at `at`, and records each job on its row. A row some
   * other sweep queued meanwhile keeps that job; ours for it is deleted.
   */
  queueRows(rows: readonly { id: number; at: Date }[]): Promise<void>;
  /** Inserts jobs whose ids the rows already name (a deferral, a retry). */
  insert(jobs: readonly (RowJob & { at: Date })[]): Promise<void>;
  fetch(max: number): Promise<RowJob[]>;
  /** Marks a fetched job done; written with others within COMPLETE_EVERY_MS. */
  complete(jobId: string): void;
  /** Gives fetched jobs back: pg-boss hands them out again after its retry delay. */
  retry(jobIds: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startJobQueue(
  store: Store,
  db: Queryable,
  options: { expireInSeconds: number; log: Log },
): Promise<DeliveryJobs> {
  const boss = new PgBoss({
    ...("connectionString" in store.jobQueue
      ? { connectionString: store.jobQueue.connectionString, max: 4 }
      : { db: { executeSql: store.jobQueue.executeSql } }),
    schema: "pgboss",
    schedule: false,
  });
  boss.on("error", (error) => options.log.warn({ err: error }, "job queue error"));
  await boss.start();
  await boss.createQueue(QUEUE, {
    name: QUEUE,
    // pg-boss's retries only cover a worker that died or threw unexpectedly (the database went
    // away): failed sends are retried by queueing a new job, with the platform's Retry-After.
    retryLimit: 20,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: options.expireInSeconds,
  });

  const insert = async (jobs: readonly (RowJob & { at: Date })[]) => {
    if (jobs.length === 0) return;
    await boss.insert(
      jobs.map((j) => ({
        id: j.jobId,
        name: QUEUE,
        data: { id: j.rowId, ...(j.lookSince ? { lookSince: j.lookSince.toISOString() } : {}) },
        startAfter: j.at,
      })),
    );
  };

  let done: string[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const ids = done;
    done = [];
    if (ids.length === 0) return flushing;
    // A completion that fails leaves its job active: pg-boss hands it out again after its expiry,
    // and its row, sent or held by then, is not sent again.
    flushing = flushing
      .then(() => boss.complete(QUEUE, ids))
      .then(
        () => {},
        (error: unknown) => options.log.warn({ err: error }, "could not complete delivery jobs"),
      );
    return flushing;
  };

  return {
    async queueRows(rows) {
      if (rows.length === 0) return;
      const jobs = rows.map((r) => ({ jobId: randomUUID(), rowId: r.id, at: r.at }));
      await insert(jobs);
      const recorded = new Set(
        await setJobs(
          db,
          jobs.map((j) => ({ id: j.rowId, jobId: j.jobId })),
        ),
      );
      const extra = jobs.filter((j) => !recorded.has(j.rowId)).map((j) => j.jobId);
      if (extra.length > 0) await boss.deleteJob(QUEUE, extra);
    },
    insert,
    async fetch(max) {
      const jobs = await boss.fetch<{ id: number; lookSince?: string }>(QUEUE, { batchSize: max });
      return jobs.map((j) => ({
        jobId: j.id,
        rowId: j.data.id,
        ...(j.data.lookSince ? { lookSince: new Date(j.data.lookSince) } : {}),
      }));
    },
    async retry(jobIds) {
      if (jobIds.length > 0) await boss.fail(QUEUE, [...jobIds]);
    },
    complete(jobId) {
      done.push(jobId);
      if (done.length >= COMPLETE_BATCH) void flush();
      else timer ??= setTimeout(() => void flush(), COMPLETE_EVERY_MS);
    },
    async stop() {
      await flush();
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}
