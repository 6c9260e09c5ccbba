import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataDirLocked } from "../../src/store/data-dir-lock.ts";
import { openStore } from "../../src/store/database.ts";
import { answers } from "../../src/store/holder-socket.ts";
import { importBatch } from "../../src/store/import-repo.ts";
import { shops } from "../../src/store/schema.ts";
import {
  AWKWARD_ACCOUNTS,
  awkwardBatch,
  awkwardOptions,
  expectStoredAsGiven,
} from "../support/awkward-batch.ts";
import { freshPostgresDatabase } from "../support/stores.ts";

/**
 * A `kpi` command finding the embedded database held by another live process: through that
 * process's socket when it serves one, the clear "in use" error when it does not. The holder is a
 * real second process (tests/support/hold-store.ts).
 */

const HOLDER = join(import.meta.dirname, "../support/hold-store.ts");
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

let shared: Promise<string> | undefined;

/** One directory for the tests of a holder, one after another: creating a database takes seconds. */
function dataDir(): Promise<string> {
  shared ??= mkdtemp(join(tmpdir(), "kpi-attach-")).then((dir) => {
    dirs.push(dir);
    return dir;
  });
  return shared;
}

/** Starts a holder of `dir`; resolves once it has opened the store (and serves, if asked). */
function hold(
  dir: string,
  mode: "serve" | "no-serve",
): Promise<{ child: ChildProcess; socket: string | null }> {
  const child = spawn(process.execPath, ["--import", "tsx", HOLDER, dir, mode], {
    cwd: join(import.meta.dirname, "../.."),
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let seen = "";
    child.stdout!.on("data", (d) => {
      seen += d;
      const ready = /ready (.*)\n/.exec(seen);
      if (ready)
        resolve({ child, socket: (JSON.parse(ready[1]!) as { path?: string } | null)?.path ?? null });
    });
    child.stderr!.on("data", (d) => {
      seen += d;
    });
    child.on("close", () => reject(new Error(`holder exited:\n${seen}`)));
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    child.once("close", () => resolve());
    child.kill(signal);
  });
}

describe("a command on an embedded database another process holds", () => {
  it("works through the holder's socket, and its writes are the holder's", async () => {
    const dir = await dataDir();
    const holder = await hold(dir, "serve");
    expect(holder.socket).toBe(join(dir, "socket", ".s.PGSQL.5432"));
    const attached = await openStore({ dataDir: dir, serve: true, attach: true });
    try {
      expect(attached.kind).toBe("pglite");
      expect(attached.location).toBe(`${dir}, through the socket of process ${holder.child.pid}`);
      await attached.db.insert(shops).values({ id: "s1", name: "旗舰店", platform: "taobao" });
      expect(await attached.db.select().from(shops)).toMatchObject([{ id: "s1", name: "旗舰店" }]);
      // A big import's agent-days cannot COPY through the socket: they go as JSON, text intact.
      expect(await importBatch(attached.db, awkwardBatch(), awkwardOptions())).toMatchObject({
        status: "done",
        agentDays: { new: AWKWARD_ACCOUNTS.length },
      });
      await expectStoredAsGiven(attached);
    } finally {
      await attached.close();
    }
    await stop(holder.child, "SIGTERM");
    // The holder wrote it to its directory, and took its socket away on the way out.
    expect(await readdir(join(dir, "socket"))).toEqual([]);
    const after = await openStore({ dataDir: dir });
    try {
      expect(await after.db.select().from(shops)).toMatchObject([{ id: "s1" }]);
    } finally {
      await after.close();
    }
  }, 90_000);

  it("keeps the clear error when the holder serves no socket", async () => {
    const dir = await dataDir();
    const holder = await hold(dir, "no-serve");
    const opening = openStore({ dataDir: dir, serve: true, attach: true });
    await expect(opening).rejects.toThrow(DataDirLocked);
    await expect(opening).rejects.toThrow(/in use by process \d+ on host .*DATABASE_URL/s);
    await stop(holder.child, "SIGTERM");
  }, 90_000);

  it("is not confused by the socket of a holder killed with SIGKILL: it takes the directory over and serves afresh", async () => {
    const dir = await dataDir();
    const holder = await hold(dir, "serve");
    await stop(holder.child, "SIGKILL");
    const left = join(dir, "socket", ".s.PGSQL.5432");
    expect(existsSync(left)).toBe(true);
    expect(await answers(left)).toBe(false);
    const next = await openStore({ dataDir: dir, serve: true, attach: true });
    try {
      expect(next.location).toBe(dir);
      expect(next.socket).toEqual({ path: left });
      expect(await answers(left)).toBe(true);
    } finally {
      await next.close();
    }
    expect(existsSync(left)).toBe(false);
  }, 90_000);
});

describe("with DATABASE_URL", () => {
  it("changes nothing: PostgreSQL, no socket, the data directory untouched", async () => {
    const database = await freshPostgresDatabase();
    const dir = await mkdtemp(join(tmpdir(), "kpi-attach-"));
    dirs.push(dir);
    const store = await openStore({ databaseUrl: database.url, dataDir: dir, serve: true, attach: true });
    try {
      expect(store.kind).toBe("postgres");
      expect(store.socket).toBeUndefined();
      expect(await readdir(dir)).toEqual([]);
      await store.db.insert(shops).values({ id: "s1", name: "店", platform: "jd" });
      expect(await store.db.select().from(shops)).toHaveLength(1);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
