import type { Sql } from "postgres";
import type { Db } from "./database.ts";

/**
 * One process at a time does a piece of work named by a key (scoring a period, running a
 * scheduled slot). On PostgreSQL the claim is a session advisory lock held on a reserved
 * connection: the server drops it the moment the holder's connection goes, so a process killed
 * mid-work leaves nothing for the next one to wait out (a lease would), and a free lock on work
 * recorded as under way says its worker died. PGlite serves one process (data-dir-lock.ts), so
 * there an in-process lock is the whole story, and a restart starts with none held.
 */

export type Claimed<T> = { claimed: true; value: T } | { claimed: false };

/** The first key of the two-int advisory lock: ours, apart from the migration lock's. */
const WORK_LOCKS = 7_240_452;

/** Per database: tests open several in-memory ones in one process. */
const heldInProcess = new WeakMap<Db, Map<string, Promise<unknown>>>();

/**
 * Runs `work` holding the claim on `key`. With `wait`, waits for another holder to finish;
 * without, returns `{ claimed: false }` at once when someone else holds it.
 */
export async function withClaim<T>(
  db: Db,
  key: string,
  wait: boolean,
  work: () => Promise<T>,
): Promise<Claimed<T>> {
  const client = postgresClient(db);
  if (client) return withAdvisoryLock(client, key, wait, work);
  const held = heldInProcess.get(db) ?? new Map<string, Promise<unknown>>();
  heldInProcess.set(db, held);
  return withProcessLock(held, key, wait, work);
}

function postgresClient(db: Db): Sql | undefined {
  const client = (db as unknown as { $client?: unknown }).$client;
  return typeof client === "function" && typeof (client as Partial<Sql>).reserve === "function"
    ? (client as Sql)
    : undefined;
}

async function withAdvisoryLock<T>(client: Sql, key: string, wait: boolean, work: () => Promise<T>) {
  const connection = await client.reserve();
  try {
    // hashtext folds the key into the lock's int4; two keys sharing a hash only take turns.
    if (wait) await connection`SELECT pg_advisory_lock(${WORK_LOCKS}, hashtext(${key}))`;
    else {
      const [row] = await connection`SELECT pg_try_advisory_lock(${WORK_LOCKS}, hashtext(${key})) AS ok`;
      if (!row?.ok) return { claimed: false } as const;
    }
    try {
      return { claimed: true, value: await work() } as const;
    } finally {
      await connection`SELECT pg_advisory_unlock(${WORK_LOCKS}, hashtext(${key}))`;
    }
  } finally {
    connection.release();
  }
}

async function withProcessLock<T>(
  held: Map<string, Promise<unknown>>,
  key: string,
  wait: boolean,
  work: () => Promise<T>,
): Promise<Claimed<T>> {
  for (;;) {
    const holder = held.get(key);
    if (!holder) break;
    if (!wait) return { claimed: false };
    await holder.catch(() => {});
  }
  const running = work();
  held.set(key, running);
  try {
    return { claimed: true, value: await running };
  } finally {
    held.delete(key);
  }
}

/** Presence under a key, held until `leave`; `alone` says no one else was present on entry. */
export interface Presence {
  alone: boolean;
  leave(): Promise<void>;
}

/** Per database, how many are present under each key in this process (PGlite, tests). */
const presentInProcess = new WeakMap<Db, Map<string, number>>();

/**
 * Enters a group named by `key` (the processes sending messages) and says whether anyone else is
 * in it: what a starting process needs to know before it takes work left half-done as its dead
 * owner's. On PostgreSQL each member holds a shared advisory lock on its own reserved connection,
 * so a member killed leaves the group the moment its connection goes; the entrant is alone when it
 * can take the lock exclusively first. PGlite serves one process, so only this process counts.
 */
export async function enterGroup(db: Db, key: string): Promise<Presence> {
  const client = postgresClient(db);
  if (!client) {
    const present = presentInProcess.get(db) ?? new Map<string, number>();
    presentInProcess.set(db, present);
    const before = present.get(key) ?? 0;
    present.set(key, before + 1);
    let left = false;
    return {
      alone: before === 0,
      leave: async () => {
        if (left) return;
        left = true;
        present.set(key, (present.get(key) ?? 1) - 1);
      },
    };
  }
  const connection = await client.reserve();
  try {
    const [row] = await connection`SELECT pg_try_advisory_lock(${WORK_LOCKS}, hashtext(${key})) AS ok`;
    const alone = row?.ok === true;
    await connection`SELECT pg_advisory_lock_shared(${WORK_LOCKS}, hashtext(${key}))`;
    if (alone) await connection`SELECT pg_advisory_unlock(${WORK_LOCKS}, hashtext(${key}))`;
    let left = false;
    return {
      alone,
      leave: async () => {
        if (left) return;
        left = true;
        try {
          await connection`SELECT pg_advisory_unlock_shared(${WORK_LOCKS}, hashtext(${key}))`;
        } finally {
          connection.release();
        }
      },
    };
  } catch (error) {
    connection.release();
    throw error;
  }
}
