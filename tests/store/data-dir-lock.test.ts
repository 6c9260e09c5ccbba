import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { link, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DataDirLocked, lockDataDir } from "../../src/store/data-dir-lock.ts";

/**
 * The lock of the embedded database's directory, on real files: a restarted container (pid 1
 * again, or a new host name on the same volume) takes over a lock whose owner is gone, and a live
 * owner, here or on another host, still refuses.
 */

const LEASE = 300;
const RACES = 16;
const OTHER_HOST = "kpi-bot-7f9c2d"; // the previous container on the same volume
const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const LOCK_MODULE = fileURLToPath(new URL("../../src/store/data-dir-lock.ts", import.meta.url));

/**
 * A bot process: says "ready", locks the directory on "go", says how it went, then holds the lock
 * until "release" — or, with HOLD=none, lets its script end without releasing.
 */
const HOLDER = `
import { createInterface } from "node:readline";
const { lockDataDir } = await import(process.env.LOCK_MODULE);
const input = createInterface({ input: process.stdin });
const lines = input[Symbol.asyncIterator]();
const say = (event) => console.log(JSON.stringify(event));
say({ event: "ready" });
await lines.next();
let lock;
try {
  lock = await lockDataDir(process.env.LOCK_DIR, { leaseMs: Number(process.env.LOCK_LEASE_MS) });
  say({ event: "locked" });
} catch (error) {
  say({ event: "refused", name: error.name, message: error.message });
  process.exit(0);
}
if (process.env.HOLD === "none") {
  input.close();
  process.stdin.destroy();
} else {
  await lines.next();
  await lock.release();
  say({ event: "released" });
  process.exit(0);
}
`;

/**
 * A bot racing the others: says "ready", waits for a start time, spins until it (so that all racers
 * leave together), locks every directory of LOCK_DIRS at once, says which it got, and holds them
 * until it is killed.
 */
const RACER = `
import { createInterface } from "node:readline";
const { lockDataDir } = await import(process.env.LOCK_MODULE);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
console.log(JSON.stringify({ event: "ready" }));
const startAt = Number((await lines.next()).value);
while (Date.now() < startAt) {}
const dirs = JSON.parse(process.env.LOCK_DIRS);
const leaseMs = Number(process.env.LOCK_LEASE_MS);
// Each lock a few turns of the event loop after the last, so the racers overlap at many offsets.
const turns = (i) => (Number(process.env.RACER) * 3 + i) % 7;
const results = await Promise.allSettled(
  dirs.map(async (dir, i) => {
    for (let t = 0; t < turns(i); t++) await new Promise((resolve) => setImmediate(resolve));
    return lockDataDir(dir, { leaseMs });
  }),
);
const outcomes = results.map((r) => (r.status === "fulfilled" ? "locked" : r.reason.name));
console.log(JSON.stringify({ event: "raced", outcomes }));
`;

interface Event {
  event: string;
  name?: string;
  message?: string;
  outcomes?: string[];
}

interface Holder {
  child: ChildProcess;
  /** Resolves with the first of these events the process prints; rejects if it exits first. */
  reached(...events: string[]): Promise<Event>;
  send(line: string): void;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

const holders: Holder[] = [];
let dir: string;
let lockPath: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "kpi-lock-"));
  lockPath = join(dir, "kpi-bot.lock");
});

afterEach(async () => {
  for (const holder of holders.splice(0)) {
    if (holder.child.exitCode === null && holder.child.signalCode === null) holder.child.kill("SIGKILL");
    await holder.exited;
  }
  await rm(dir, { recursive: true, force: true });
});

function startHolder(env: Record<string, string> = {}, script = HOLDER): Holder {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LOCK_MODULE, LOCK_DIR: dir, LOCK_LEASE_MS: String(LEASE), ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const seen: Event[] = [];
  const waiting: { events: string[]; resolve: (e: Event) => void }[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout! }).on("line", (line) => {
    if (!line.startsWith("{")) return;
    const event = JSON.parse(line) as Event;
    seen.push(event);
    for (const w of waiting.filter((w) => w.events.includes(event.event))) w.resolve(event);
  });
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const holder: Holder = {
    child,
    exited,
    send: (line) => child.stdin?.write(`${line}\n`),
    reached: (...events) =>
      new Promise((resolve, reject) => {
        const already = seen.find((e) => events.includes(e.event));
        if (already) return resolve(already);
        waiting.push({ events, resolve });
        exited.then(() => reject(new Error(`the holder exited before ${events.join("/")}: ${stderr}`)));
      }),
  };
  holders.push(holder);
  return holder;
}

async function writeLock(owner: object, ageMs = 0, path = lockPath): Promise<void> {
  await writeFile(path, JSON.stringify(owner));
  const when = new Date(Date.now() - ageMs);
  await utimes(path, when, when);
}

async function lockOwner(): Promise<unknown> {
  return JSON.parse(await readFile(lockPath, "utf8"));
}

describe("a restarted container on the same volume", () => {
  it("takes over a lock naming our own pid on our host that this process does not hold (pid 1 after a restart)", async () => {
    await writeLock({ pid: process.pid, host: hostname() });
    const lock = await lockDataDir(dir);
    // Our own file now (it records its lease), and held: a second open in this process is refused.
    expect(await lockOwner()).toEqual({ pid: process.pid, host: hostname(), leaseMs: 30_000 });
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirLocked);
    await lock.release();
    await expect(stat(lockPath)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("takes over at once a lock of another host in the old format whose mtime is older than one lease", async () => {
    await writeLock({ pid: 1, host: OTHER_HOST }, 3_600_000);
    const lock = await lockDataDir(dir);
    expect(await lockOwner()).toEqual({ pid: process.pid, host: hostname(), leaseMs: 30_000 });
    await lock.release();
  });

  it("takes over a fresh lock of another host once it goes one lease without renewal", async () => {
    await writeLock({ pid: 1, host: OTHER_HOST, leaseMs: LEASE });
    const lock = await lockDataDir(dir, { leaseMs: LEASE });
    expect(await lockOwner()).toMatchObject({ pid: process.pid, host: hostname() });
    await lock.release();
  });

  it("lets a bot that never released exit on its own, and takes over the lock its dead pid left", async () => {
    const holder = startHolder({ HOLD: "none" });
    await holder.reached("ready");
    holder.send("go");
    expect(await holder.reached("locked", "refused")).toEqual({ event: "locked" });
    // The renewal timer is unref()ed: the process ends by itself, its lock file left behind.
    expect(await holder.exited).toEqual([0, null]);
    expect(await lockOwner()).toMatchObject({ pid: holder.child.pid, host: hostname() });
    const lock = await lockDataDir(dir, { leaseMs: LEASE });
    expect(await lockOwner()).toMatchObject({ pid: process.pid });
    await lock.release();
  });
});

describe("a live owner", () => {
  it("on another host, renewing its lease, is refused by name and host", async () => {
    const leaseMs = 2_000; // a loaded machine must not delay the renewer past the watch
    await writeLock({ pid: 4242, host: OTHER_HOST, leaseMs });
    const renewer = setInterval(() => {
      const now = new Date();
      utimes(lockPath, now, now).catch(() => {});
    }, 100);
    try {
      const refusal = lockDataDir(dir, { leaseMs });
      await expect(refusal).rejects.toBeInstanceOf(DataDirLocked);
      await expect(refusal).rejects.toThrow(
        /in use by process 4242 on host kpi-bot-7f9c2d \(it renewed its lease while we watched it for up to 2 s\).*DATABASE_URL/s,
      );
    } finally {
      clearInterval(renewer);
    }
    expect(await lockOwner()).toMatchObject({ pid: 4242, host: OTHER_HOST });
  });

  it("on this host, a running bot process, is refused, and the lock is had once it releases", async () => {
    const holder = startHolder();
    await holder.reached("ready");
    holder.send("go");
    await holder.reached("locked");
    const refusal = lockDataDir(dir, { leaseMs: LEASE });
    await expect(refusal).rejects.toBeInstanceOf(DataDirLocked);
    await expect(refusal).rejects.toThrow(`in use by process ${holder.child.pid} on host ${hostname()}.`);
    holder.send("release");
    await holder.reached("released");
    const lock = await lockDataDir(dir, { leaseMs: LEASE });
    await lock.release();
  });

  it("in this very process is refused: one process does not open the directory twice", async () => {
    const lock = await lockDataDir(dir, { leaseMs: LEASE });
    await expect(lockDataDir(dir, { leaseMs: LEASE })).rejects.toThrow(
      /this very process holds or is taking it/,
    );
    await lock.release();
    const again = await lockDataDir(dir, { leaseMs: LEASE });
    await again.release();
  });
});

describe("taking over", () => {
  it(`lets exactly one of four bots racing for a stale lock win, the others finding it live, in each of ${RACES} races`, async () => {
    const dirs = await Promise.all(
      Array.from({ length: RACES }, async (_, i) => {
        const raceDir = join(dir, `race-${i}`);
        await mkdir(raceDir);
        await writeLock({ pid: 1, host: OTHER_HOST }, 3_600_000, join(raceDir, "kpi-bot.lock"));
        return raceDir;
      }),
    );
    const racers = Array.from({ length: 4 }, (_, r) =>
      startHolder({ LOCK_DIRS: JSON.stringify(dirs), RACER: String(r) }, RACER),
    );
    await Promise.all(racers.map((r) => r.reached("ready")));
    const startAt = Date.now() + 200;
    for (const racer of racers) racer.send(String(startAt));
    const outcomes = await Promise.all(racers.map(async (r) => (await r.reached("raced")).outcomes ?? []));
    for (const [i, raceDir] of dirs.entries()) {
      const race = outcomes.map((o) => o[i]);
      expect(
        race.filter((o) => o === "locked"),
        `race ${i}: ${race.join(", ")}`,
      ).toHaveLength(1);
      expect(race.filter((o) => o !== "locked")).toEqual(["DataDirLocked", "DataDirLocked", "DataDirLocked"]);
      const winner = racers[race.indexOf("locked")];
      const owner = JSON.parse(await readFile(join(raceDir, "kpi-bot.lock"), "utf8"));
      expect(owner).toMatchObject({ pid: winner?.child.pid, host: hostname() });
      // No claim or half-made lock file left behind.
      expect(await readdir(raceDir)).toEqual(["kpi-bot.lock"]);
    }
  });

  it("renews the lease while held and leaves the file alone once released", async () => {
    const lock = await lockDataDir(dir, { leaseMs: LEASE });
    // A second name for the lock file's inode, to watch it after release has removed the first.
    const witness = join(dir, "witness");
    await link(lockPath, witness);
    const written = (await stat(witness)).mtimeMs;
    await vi.waitFor(async () => expect((await stat(witness)).mtimeMs).not.toBe(written), {
      timeout: 10_000,
    });
    await lock.release();
    const released = (await stat(witness)).mtimeMs;
    await sleep(3 * LEASE);
    expect((await stat(witness)).mtimeMs).toBe(released);
    await expect(stat(lockPath)).rejects.toMatchObject({ code: "ENOENT" });
  });
});
