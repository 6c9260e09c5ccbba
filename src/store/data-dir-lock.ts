import { randomUUID } from "node:crypto";
import type { BigIntStats } from "node:fs";
import { type FileHandle, link, open, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * PGlite has no lock of its own: two processes on one data directory corrupt it. We keep a lock
 * file holding the owner's pid and host, and the owner renews a lease on it (the file's mtime) every
 * third of the lease. A lock is taken over once its owner is provably gone:
 * - on this host, by its pid: dead, or our own pid in a lock this process does not hold (pid 1 again
 *   after a container restart). A pid answers at once, where a lease would refuse a restart for
 *   its whole period;
 * - on another host (a new container on the same volume), whose pid we cannot ask, by its lease:
 *   older than one lease, or not renewed while we watch it for one lease.
 *
 * The lease is the mtime, touched through the owner's open descriptor, rather than a field rewritten
 * in the file: the file is written once and never replaced, so it is never seen half-written, a
 * renewal can only touch the owner's own inode (never a file a taker has put in its place), and lock
 * files of the old format (pid and host only) carry a lease the same way.
 */

export class DataDirLocked extends Error {
  readonly ownerPid: number | undefined;
  readonly ownerHost: string | undefined;
  /** Where the owner serves the database (served-socket.ts), if it does. */
  readonly ownerSocket: string | undefined;

  constructor(
    readonly dataDir: string,
    owner: { pid: number; host: string; socket?: string } | null,
    detail = "",
  ) {
    const who = owner ? `process ${owner.pid} on host ${owner.host}` : "another process";
    super(
      `the embedded database in ${dataDir} is in use by ${who}${detail}. ` +
        "PGlite serves one process only: stop that process, or set DATABASE_URL to a PostgreSQL server " +
        "to run several bot processes.",
    );
    this.name = "DataDirLocked";
    this.ownerPid = owner?.pid;
    this.ownerHost = owner?.host;
    this.ownerSocket = owner?.socket;
  }
}

export interface DataDirLock {
  release(): Promise<void>;
}

export interface DataDirLockOptions {
  /** How long a lock stands without renewal; its owner renews it every third of this. Default 30 s. */
  leaseMs?: number;
  /** The Unix socket this process will serve the database on: written in the lock file for clients. */
  socket?: string;
}

const LOCK_FILE = "kpi-bot.lock";
const DEFAULT_LEASE_MS = 30_000;
/** A lease recorded in a lock file is believed up to this: it bounds how long we watch one. */
const LONGEST_LEASE_MS = 600_000;
const ATTEMPTS = 5;

interface LockOwner {
  pid: number;
  host: string;
  leaseMs?: number;
  socket?: string;
}

interface LockFile {
  owner: LockOwner | null;
  stats: BigIntStats;
}

/**
 * Lock files this process holds or is taking. Per process by nature (it tells "our pid, held by us"
 * from "our pid, left by a previous life of it"), so a module-level set is the honest place for it.
 */
const lockedHere = new Set<string>();

export async function lockDataDir(dataDir: string, options: DataDirLockOptions = {}): Promise<DataDirLock> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  if (!(leaseMs > 0 && leaseMs <= LONGEST_LEASE_MS)) throw new RangeError(`leaseMs ${leaseMs} out of range`);
  const path = resolve(dataDir, LOCK_FILE);
  const me = {
    pid: process.pid,
    host: hostname(),
    leaseMs,
    ...(options.socket === undefined ? {} : { socket: options.socket }),
  };
  // Checked and marked in one synchronous step: within this process only one call takes a lock at a
  // time, so a lock file naming our pid and host is ours only if marked here.
  if (lockedHere.has(path)) {
    throw new DataDirLocked(dataDir, me, " (this very process holds or is taking it)");
  }
  lockedHere.add(path);
  try {
    return await acquire(dataDir, path, me);
  } catch (error) {
    lockedHere.delete(path);
    throw error;
  }
}

async function acquire(dataDir: string, path: string, me: LockOwner & { leaseMs: number }) {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const handle = await create(path, me);
    if (handle) return hold(path, handle, me.leaseMs);
    const found = await inspect(path);
    if (!found) continue; // released meanwhile
    if ((await judge(dataDir, path, found, me)) === "changed") continue;
    if ((await takeOver(path, found, me.leaseMs)) === "busy") await sleep(pollMs(me.leaseMs));
  }
  throw new Error(`could not lock ${dataDir}: other processes kept taking or releasing ${LOCK_FILE}`);
}

/** Links a new lock file into place; null if one is there already. */
async function create(path: string, me: LockOwner): Promise<FileHandle | null> {
  // Written aside and linked into place: the lock file never exists half-written. The aside name is
  // unique, not the pid: two containers on one volume are both pid 1.
  const aside = `${path}.${randomUUID()}`;
  const handle = await open(aside, "wx");
  try {
    await handle.writeFile(JSON.stringify(me));
    await link(aside, path);
    return handle;
  } catch (error) {
    await handle.close();
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return null;
    throw error;
  } finally {
    await rm(aside, { force: true });
  }
}

/** Throws DataDirLocked if the owner lives; "stale" if it is gone; "changed" if the file was replaced. */
async function judge(dataDir: string, path: string, found: LockFile, me: LockOwner & { leaseMs: number }) {
  const owner = found.owner;
  if (owner?.host === me.host) {
    // Our pid, yet not held here (lockDataDir checked): a previous life of it, pid 1 again after a
    // container restart.
    if (owner.pid === me.pid) return "stale";
    if (isAlive(owner.pid)) throw new DataDirLocked(dataDir, owner);
    return "stale";
  }
  // Another host's pid cannot be asked: its lease answers, as long as the owner recorded it (older
  // files: ours). Its mtime against our clock: hosts sharing a volume agree far closer than a lease.
  const leaseMs = owner?.leaseMs ?? me.leaseMs;
  if (Date.now() - Number(found.stats.mtimeMs) > leaseMs) return "stale";
  return watchLease(dataDir, path, found, leaseMs);
}

/**
 * Watches a fresh lease of another host for one lease period. A live owner renews it every third of
 * that, so an unchanged mtime means the owner is gone. Only a change is compared, never our clock
 * against theirs, so clock skew between hosts does not matter here.
 */
async function watchLease(dataDir: string, path: string, found: LockFile, leaseMs: number) {
  const until = Date.now() + leaseMs;
  while (Date.now() < until) {
    await sleep(pollMs(leaseMs));
    const now = await inspect(path);
    if (!now || !sameInode(now.stats, found.stats)) return "changed";
    if (now.stats.mtimeNs !== found.stats.mtimeNs) {
      const waited = `${Math.ceil(leaseMs / 1000)} s`;
      throw new DataDirLocked(
        dataDir,
        found.owner,
        ` (it renewed its lease while we watched it for up to ${waited})`,
      );
    }
  }
  return "stale";
}

/**
 * Removes the stale lock file `found`, so that the next link may take its place. Removing it by path
 * would let two takers both win: A removes the stale file and links its own, then B, acting on the
 * same judgement, removes A's. So a taker first claims the stale file by hard-linking it to a name
 * made of its inode: link is exclusive, only one taker gets the claim. The claim is then checked to
 * hold the very inode and lease that were judged stale: if so, the path held that file at the moment
 * of the claim, and no one else may remove it (removers need the claim), so removing it is safe. Who
 * links next, this taker or a process starting afresh, wins; the rest find a live owner. A taker that
 * died holding a claim leaves it behind: a claim older than one lease (by ctime, set by the link) is
 * removed so the takeover can go on.
 */
async function takeOver(path: string, found: LockFile, leaseMs: number): Promise<"retry" | "busy"> {
  const claim = `${path}.takeover-${found.stats.dev}-${found.stats.ino}`;
  try {
    await link(path, claim);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "retry"; // gone already
    if (code !== "EEXIST") throw error;
    const claimed = await stat(claim, { bigint: true }).catch(() => null);
    if (claimed && Date.now() - Number(claimed.ctimeMs) > leaseMs) await rm(claim, { force: true });
    return "busy";
  }
  try {
    const claimed = await stat(claim, { bigint: true });
    if (sameInode(claimed, found.stats) && claimed.mtimeNs === found.stats.mtimeNs) {
      await rm(path, { force: true });
    }
    return "retry";
  } finally {
    await rm(claim, { force: true });
  }
}

function hold(path: string, handle: FileHandle, leaseMs: number): DataDirLock {
  let renewal = Promise.resolve();
  const timer = setInterval(() => {
    const now = new Date();
    // A failed renewal is not fatal: the next tick tries again, and the lease spans three of them.
    renewal = handle.utimes(now, now).catch(() => {});
  }, leaseMs / 3);
  timer.unref(); // the lease must not keep a finished process alive
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      try {
        await renewal;
        const mine = await handle.stat({ bigint: true });
        await handle.close();
        // Remove the file only if it is still ours: had our lease lapsed, a taker's file stands there.
        const there = await stat(path, { bigint: true }).catch(() => null);
        if (there && sameInode(there, mine)) await rm(path, { force: true });
      } finally {
        lockedHere.delete(path);
      }
    },
  };
}

/** The lock file's owner and stats, read through one descriptor (so both are of the same file). */
async function inspect(path: string): Promise<LockFile | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    const stats = await handle.stat({ bigint: true });
    return { owner: parseOwner(await handle.readFile("utf8")), stats };
  } finally {
    await handle.close();
  }
}

function parseOwner(text: string): LockOwner | null {
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (typeof parsed.pid !== "number" || typeof parsed.host !== "string") return null;
    const lease = parsed.leaseMs;
    return {
      pid: parsed.pid,
      host: parsed.host,
      ...(typeof lease === "number" && lease > 0 && lease <= LONGEST_LEASE_MS ? { leaseMs: lease } : {}),
      ...(typeof parsed.socket === "string" ? { socket: parsed.socket } : {}),
    };
  } catch {
    return null;
  }
}

function sameInode(a: BigIntStats, b: BigIntStats): boolean {
  return a.ino === b.ino && a.dev === b.dev;
}

function pollMs(leaseMs: number): number {
  return Math.max(10, Math.round(leaseMs / 10));
}

/** Whether a process of this host lives (one of another user answers EPERM: alive). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
