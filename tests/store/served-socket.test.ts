import { spawn } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServedSocket, serveSocket } from "../../src/store/served-socket.ts";
import { socketPlaceFor } from "../../src/store/socket-path.ts";

/**
 * PGlite is one session: the bot's statements and a socket client's must never land in each
 * other's transactions. The "bot" here is PGlite used in-process through drizzle, as the bot uses
 * it; the client is postgres.js on the socket, as an attached `kpi` command uses it.
 */

let dir: string;
let pglite: PGlite;
let served: ServedSocket;
const bot = () => drizzle(pglite);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kpi-socket-"));
  pglite = new PGlite();
  await pglite.waitReady;
  await pglite.exec("CREATE TABLE marks (who text NOT NULL, n int NOT NULL)");
  served = await serveSocket(pglite, await socketPlaceFor(dir), { idleMs: 300, graceMs: 1_000 });
});

afterAll(async () => {
  await served.close();
  await pglite.close();
  await rm(dir, { recursive: true, force: true });
});

function client(max = 4) {
  return postgres({ path: served.path, prepare: false, max, onnotice: () => {} });
}

async function count(who: string, q = bot()): Promise<number> {
  const result = await q.execute(sql`SELECT count(*)::int AS n FROM marks WHERE who = ${who}`);
  return (result.rows[0] as { n: number }).n;
}

async function clear(): Promise<void> {
  await bot().execute(sql`DELETE FROM marks`);
}

describe("the embedded database served on a socket", () => {
  it("is a socket only its user can open: 0600 in a 0700 directory", async () => {
    const socket = await stat(served.path);
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    expect((await stat(join(served.path, ".."))).mode & 0o777).toBe(0o700);
    if (process.getuid?.() === 0) {
      // As root the modes do not stop us: ask as another user (nobody) whether it can connect.
      const code = await new Promise<string>((resolve, reject) => {
        const probe = spawn(
          process.execPath,
          [
            "-e",
            `require("node:net").connect(process.argv[1]).on("connect", () => { console.log("connected"); process.exit(0) }).on("error", (e) => { console.log(e.code); process.exit(0) })`,
            served.path,
          ],
          { uid: 65534, gid: 65534 },
        );
        let out = "";
        probe.stdout.on("data", (d) => {
          out += d;
        });
        probe.on("error", reject);
        probe.on("close", () => resolve(out.trim()));
      });
      expect(code).toBe("EACCES");
    }
  });

  it("moves to a private temporary directory when the data directory is too deep for a socket path", async () => {
    const deep = join(dir, "a-data-directory-nested-deeper-than-a-unix-socket-path-may-reach", "data");
    const place = await socketPlaceFor(deep);
    expect(place.temporary).toBe(true);
    expect(Buffer.byteLength(place.path)).toBeLessThanOrEqual(107);
    const second = await serveSocket(pglite, place);
    try {
      expect((await stat(place.dir)).mode & 0o777).toBe(0o700);
      expect((await stat(place.path)).mode & 0o777).toBe(0o600);
      const sqlClient = postgres({ path: second.path, prepare: false, max: 1, onnotice: () => {} });
      const [row] = await sqlClient`SELECT 41 + 1 AS n`;
      await sqlClient.end();
      expect(row?.n).toBe(42);
    } finally {
      await second.close();
    }
    await expect(stat(place.dir)).rejects.toThrow(/ENOENT/);
  });

  it("answers a client's queries and sees the bot's writes", async () => {
    await clear();
    await bot().execute(sql`INSERT INTO marks VALUES ('bot', 1)`);
    const sqlClient = client();
    try {
      const [row] = await sqlClient`SELECT count(*)::int AS n, ${"小谢"}::text AS name FROM marks`;
      expect(row).toEqual({ n: 1, name: "小谢" });
      await sqlClient`INSERT INTO marks VALUES ('client', 1)`;
      expect(await count("client")).toBe(1);
    } finally {
      await sqlClient.end();
    }
  });

  it("never runs the bot's statements inside a client's transaction, nor the client's inside the bot's", async () => {
    await clear();
    const sqlClient = client();
    try {
      // Each transaction counts the other side's rows at its start and its end: no statement of the
      // other side may come in between. The client's transactions roll back: a bot row written inside
      // one would be lost. The sleeps only leave room for the other side to try.
      const clientRounds = Array.from({ length: 6 }, (_, i) =>
        sqlClient
          .begin(async (tx) => {
            const [before] = await tx`SELECT count(*)::int AS n FROM marks WHERE who = 'bot'`;
            await tx`INSERT INTO marks VALUES ('client', ${i})`;
            await sleep(15);
            await tx`INSERT INTO marks VALUES ('client', ${i})`;
            const [after] = await tx`SELECT count(*)::int AS n FROM marks WHERE who = 'bot'`;
            if (i % 2 === 0) throw new RolledBack(before!.n, after!.n);
            return [before!.n, after!.n];
          })
          .catch((e: unknown) => {
            if (e instanceof RolledBack) return [e.before, e.after];
            throw e;
          }),
      );
      const botRounds = Array.from({ length: 6 }, (_, i) =>
        bot().transaction(async (tx) => {
          const before = await count("client", tx as never);
          await tx.execute(sql`INSERT INTO marks VALUES ('bot', ${i})`);
          await sleep(15);
          const after = await count("client", tx as never);
          return [before, after];
        }),
      );
      // The bot's plain statements, outside any transaction of its own, between all of those.
      const botPlain = Array.from({ length: 12 }, async (_, i) => {
        await sleep(i * 5);
        await bot().execute(sql`INSERT INTO marks VALUES ('bot-plain', ${i})`);
      });
      const [clientSeen, botSeen] = await Promise.all([
        Promise.all(clientRounds),
        Promise.all(botRounds),
        Promise.all(botPlain),
      ]);
      for (const [before, after] of [...clientSeen, ...botSeen]) expect(after).toBe(before);
      // Every plain statement of the bot kept: none ran in a client's transaction rolled back.
      expect(await count("bot-plain")).toBe(12);
      expect(await count("bot")).toBe(6);
      // The three committed client rounds, two rows each; the three rolled back left nothing.
      expect(await count("client")).toBe(6);
    } finally {
      await sqlClient.end();
    }
  });

  it("rolls back a client's open transaction when its connection goes, and the bot goes on", async () => {
    await clear();
    const sqlClient = client();
    const reserved = await sqlClient.reserve();
    await reserved`BEGIN`;
    await reserved`INSERT INTO marks VALUES ('gone', 1)`;
    // The bot asks while the client's transaction is open: it waits for its end.
    const botInsert = bot().execute(sql`INSERT INTO marks VALUES ('bot', 1)`);
    await sqlClient.end({ timeout: 0 });
    await botInsert;
    expect(await count("gone")).toBe(0);
    expect(await count("bot")).toBe(1);
  });

  it("cuts off a client that holds a transaction open without a word, so the bot is not stopped for good", async () => {
    await clear();
    const sqlClient = client();
    try {
      const reserved = await sqlClient.reserve();
      await reserved`BEGIN`;
      await reserved`INSERT INTO marks VALUES ('stuck', 1)`;
      // Not a word more from the client: the bot's statement runs once the client is cut off.
      await bot().execute(sql`INSERT INTO marks VALUES ('bot', 1)`);
      expect(await count("stuck")).toBe(0);
      expect(await count("bot")).toBe(1);
      await expect(reserved`SELECT 1`).rejects.toThrow();
      // The client's next connection works.
      const [row] = await sqlClient`SELECT count(*)::int AS n FROM marks`;
      expect(row?.n).toBe(1);
    } finally {
      await sqlClient.end({ timeout: 0 });
    }
  });
});

class RolledBack extends Error {
  constructor(
    readonly before: number,
    readonly after: number,
  ) {
    super("rolled back on purpose");
  }
}
