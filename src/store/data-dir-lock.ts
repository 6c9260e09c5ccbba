import { link, readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";

/**
 * PGlite has no lock of its own: two processes on one data directory corrupt it. We keep a lock
 * file holding the owner's pid and host. A lock whose process is gone (killed, crashed) is taken
 * over, so a restart after SIGKILL opens the directory again. (proper-lockfile judges staleness by
 * mtime, which would refuse a restart for its whole stale period; a pid answers at once.)
 */

export class DataDirLocked extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by process ${ownerPid}. ` +
        "PGlite serves one process only: stop that process, or set DATABASE_URL to a PostgreSQL server " +
        "to run several bot processes.",
    );
    this.name = "DataDirLocked";
  }
}

export interface DataDirLock {
  release(): Promise<void>;
}

const LOCK_FILE = "kpi-bot.lock";

interface LockOwner {
  pid: number;
  host: string;
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // Written aside and linked into place: the lock file never exists half-written.
      const aside = `${path}.${process.pid}`;
      await writeFile(aside, JSON.stringify(me));
      try {
        await link(aside, path);
      } finally {
        await rm(aside, { force: true });
      }
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = await readOwner(path);
    if (owner && owner.host === me.host && isAlive(owner.pid)) throw new DataDirLocked(dataDir, owner.pid);
    if (owner && owner.host !== me.host) throw new DataDirLocked(dataDir, owner.pid);
    // The owner is gone: take the lock over.
    await rm(path, { force: true });
  }
  throw new Error(`could not lock ${dataDir}: another process keeps taking ${LOCK_FILE}`);
}

async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as Partial<LockOwner>;
    return typeof parsed.pid === "number" && typeof parsed.host === "string"
      ? { pid: parsed.pid, host: parsed.host }
      : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
