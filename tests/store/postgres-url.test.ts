import { type AddressInfo, createServer, type Server } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/database.ts";
import { describeUrl, postgresTarget } from "../../src/store/postgres-url.ts";
import { shops } from "../../src/store/schema.ts";
import { tcpNoDelay } from "../../src/store/tcp-socket.ts";
import { type PostgresServer, startPostgres } from "../support/postgres.ts";
import { freshPostgresDatabase } from "../support/stores.ts";

describe("DATABASE_URL read as libpq reads it", () => {
  it("takes a host parameter holding a directory as the server's Unix socket", () => {
    const target = postgresTarget(
      "postgres://kpi:secret@localhost:6543/kpi?host=/var/run/postgresql/&sslmode=disable",
    );
    expect(target.options).toEqual({ path: "/var/run/postgresql/.s.PGSQL.6543" });
    expect(target.url).toBe("postgres://kpi:secret@localhost:6543/kpi?sslmode=disable");
    expect(postgresTarget("postgres://kpi@localhost/kpi?host=/tmp").options).toEqual({
      path: "/tmp/.s.PGSQL.5432",
    });
  });

  it("leaves TCP URLs and host names alone, their connections opened with Nagle off", () => {
    for (const url of [
      "postgres://kpi@db.internal:5432/kpi",
      "postgres://kpi@localhost/kpi?host=db.internal",
      "not a url",
    ]) {
      expect(postgresTarget(url)).toEqual({ url, options: { socket: tcpNoDelay } });
    }
  });

  it("describes where the database is without the password", () => {
    expect(describeUrl("postgres://kpi:secret@db.internal:6543/kpi")).toBe("db.internal:6543/kpi");
    expect(describeUrl("postgres://kpi:secret@localhost/kpi?host=/run/pg")).toBe("/run/pg:5432/kpi");
    expect(describeUrl("::")).toBe("(a PostgreSQL URL)");
  });
});

describe("a store opened over the server's Unix socket", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.stop());

  it("migrates, writes and reads through the socket", async () => {
    const store = await openStore({ databaseUrl: server.socketUrl });
    try {
      expect(store.location).toMatch(/^\/.*kpi-pg-.*:\d+\/kpi_test$/);
      await store.db.insert(shops).values({ id: "s1", name: "旗舰店", platform: "taobao" });
      expect(await store.db.select({ id: shops.id }).from(shops)).toEqual([{ id: "s1" }]);
      // The server's address is null on a Unix socket, 127.0.0.1 over TCP.
      const where = await store.db.execute(sql`SELECT inet_server_addr() AS addr`);
      expect([...(where as unknown as Iterable<unknown>)]).toEqual([{ addr: null }]);
    } finally {
      await store.close();
    }
  });
});

describe("postgres.js's TCP sockets (Nagle off)", () => {
  /** Two listeners on loopback: which one a socket reached tells which host it took. */
  let listeners: Server[] = [];
  beforeAll(async () => {
    listeners = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<Server>((resolve) => {
            const server = createServer((socket) => socket.destroy());
            server.listen(0, "127.0.0.1", () => resolve(server));
          }),
      ),
    );
  });
  afterAll(() => Promise.all(listeners.map((l) => new Promise((resolve) => l.close(resolve)))));
  const portOf = (l: Server) => (l.address() as AddressInfo).port;

  it("tries the hosts in order, as postgres.js does, and works through the one that answers", async () => {
    const port = portOf(listeners[0]!);
    const socket = await tcpNoDelay({ host: ["127.0.0.1", "127.0.0.1"], port: [1, port] });
    try {
      expect(socket.remotePort).toBe(port);
      expect((socket as unknown as { host: string }).host).toBe("127.0.0.1");
    } finally {
      socket.destroy();
    }
    // A URL of two hosts, the first refusing: the store opens on the second and answers.
    const database = await freshPostgresDatabase();
    const url = new URL(database.url);
    const store = await openStore({ databaseUrl: database.url.replace(url.host, `127.0.0.1:1,${url.host}`) });
    try {
      await store.db.insert(shops).values({ id: "s1", name: "旗舰店", platform: "taobao" });
      expect(await store.db.select({ id: shops.id }).from(shops)).toEqual([{ id: "s1" }]);
    } finally {
      await store.close();
      await database.drop();
    }
  });

  it("starts each next connection of a client at its next host, as postgres.js does", async () => {
    const options = { host: ["127.0.0.1", "localhost"], port: listeners.map(portOf) };
    const reached: number[] = [];
    for (let i = 0; i < 3; i++) {
      const socket = await tcpNoDelay(options);
      reached.push(socket.remotePort!);
      socket.destroy();
    }
    expect(reached).toEqual([portOf(listeners[0]!), portOf(listeners[1]!), portOf(listeners[0]!)]);
  });

  it("fails with the last host's error when none answers", async () => {
    await expect(tcpNoDelay({ host: ["127.0.0.1"], port: [1] })).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });
  });
});
