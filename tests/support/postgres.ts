/**
 * A throwaway PostgreSQL server for the test run: initdb into a fresh temp dir, start it on
 * loopback on a free port, create a database, and stop and remove it all afterwards. Tests reach
 * it through the URL that tests/support/global-setup.ts provides.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { appendFile, chown, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";

const run = promisify(execFile);

/** The OS user the Debian package creates; the server refuses to run as root. */
const SERVER_OS_USER = "postgres";
const SUPERUSER = "postgres";
const DATABASE = "kpi_test";

export interface PostgresServer {
  /** postgres://… URL of the test database. */
  url: string;
  /** The same database over the server's Unix socket (libpq's `?host=/dir` form). */
  socketUrl: string;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** Runs `fn` with a client for `url` and closes the client afterwards. */
export async function withDatabase<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The directory holding initdb, pg_ctl and postgres: the newest /usr/lib/postgresql/N/bin, else PATH. */
export function findPostgresBinDir(): string {
  const debianRoot = "/usr/lib/postgresql";
  const debianVersions = existsSync(debianRoot)
    ? readdirSync(debianRoot)
        .filter((version) => existsSync(join(debianRoot, version, "bin", "pg_ctl")))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  const newest = debianVersions[0];
  if (newest !== undefined) return join(debianRoot, newest, "bin");
  const onPath = (process.env.PATH ?? "")
    .split(delimiter)
    .find((dir) => dir !== "" && existsSync(join(dir, "pg_ctl")) && existsSync(join(dir, "initdb")));
  if (onPath !== undefined) return onPath;
  throw new Error(
    "The tests need a PostgreSQL server, but no initdb/pg_ctl was found in /usr/lib/postgresql/*/bin or on PATH. " +
      "Install the Debian package: apt-get install postgresql (or set KPI_TEST_DATABASE_URL to an existing server).",
  );
}

/** Starts a fresh server on 127.0.0.1 and creates the test database in it. */
export async function startPostgres(): Promise<PostgresServer> {
  const binDir = findPostgresBinDir();
  const owner = await serverOwner();
  const baseDir = await mkdtemp(join(tmpdir(), "kpi-pg-"));
  const cluster: Cluster = {
    binDir,
    owner,
    baseDir,
    dataDir: join(baseDir, "data"),
    logFile: join(baseDir, "server.log"),
  };
  try {
    if (owner) await chown(baseDir, owner.uid, owner.gid);
    await initCluster(cluster);
    const port = await startOnFreePort(cluster);
    const adminUrl = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
    await withDatabase(adminUrl, (sql) => sql.unsafe(`CREATE DATABASE ${DATABASE}`));
    return {
      url: `postgres://${SUPERUSER}@127.0.0.1:${port}/${DATABASE}`,
      socketUrl: `postgres://${SUPERUSER}@localhost:${port}/${DATABASE}?host=${baseDir}`,
      stop: () => stopCluster(cluster),
    };
  } catch (error) {
    await stopCluster(cluster).catch(() => {});
    throw error;
  }
}

interface Cluster {
  binDir: string;
  /** Who runs the server binaries: null when we are not root and run them as ourselves. */
  owner: { uid: number; gid: number } | null;
  baseDir: string;
  dataDir: string;
  logFile: string;
}

/** When running as root, the server must run as the `postgres` OS user. */
async function serverOwner(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number((await run("id", ["-u", SERVER_OS_USER])).stdout.trim());
    const gid = Number((await run("id", ["-g", SERVER_OS_USER])).stdout.trim());
    return { uid, gid };
  } catch {
    throw new Error(
      `Running as root, the tests start PostgreSQL as the OS user "${SERVER_OS_USER}", which does not exist. ` +
        "Install the Debian package postgresql (it creates the user).",
    );
  }
}

/** Runs a server binary, as the `postgres` user when we are root. */
async function runServerBinary(cluster: Cluster, binary: string, args: string[]): Promise<void> {
  const path = join(cluster.binDir, binary);
  const [command, commandArgs] = cluster.owner
    ? ["runuser", ["-u", SERVER_OS_USER, "--", path, ...args]]
    : [path, args];
  // cwd: the postgres user may not be allowed into the project directory.
  await run(command, commandArgs, { cwd: cluster.baseDir, env: { ...process.env, LC_ALL: "C" } });
}

async function initCluster(cluster: Cluster): Promise<void> {
  await runServerBinary(cluster, "initdb", [
    "--pgdata",
    cluster.dataDir,
    "--username",
    SUPERUSER,
    "--auth",
    "trust",
    "--encoding",
    "UTF8",
    "--no-locale",
    "--no-sync",
  ]);
}

/** Loopback only, a socket dir of our own, and durability off: the data is thrown away. */
async function configureCluster(cluster: Cluster, port: number): Promise<void> {
  const settings = [
    "listen_addresses = '127.0.0.1'",
    `port = ${port}`,
    `unix_socket_directories = '${cluster.baseDir}'`,
    "fsync = off",
    "synchronous_commit = off",
    "full_page_writes = off",
    "max_connections = 50",
  ];
  // Appending keeps the file's owner (the postgres user) even when we are root; on a retry the
  // later lines win.
  await appendFile(join(cluster.dataDir, "postgresql.conf"), `\n${settings.join("\n")}\n`);
}

/** Starts the server on a free port; tries again with another if someone took it meanwhile. */
async function startOnFreePort(cluster: Cluster, attempts = 3): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    await configureCluster(cluster, port);
    try {
      await startCluster(cluster);
      return port;
    } catch (error) {
      const portTaken = (await logTail(cluster.logFile)).includes("could not bind");
      if (!portTaken || attempt >= attempts) throw error;
    }
  }
}

async function startCluster(cluster: Cluster): Promise<void> {
  try {
    await runServerBinary(cluster, "pg_ctl", [
      "start",
      "--pgdata",
      cluster.dataDir,
      "--log",
      cluster.logFile,
      "--wait",
      "--timeout",
      "60",
    ]);
  } catch (error) {
    const tail = await logTail(cluster.logFile);
    throw new Error(
      `PostgreSQL did not start: ${(error as Error).message}\nserver log (${cluster.logFile}):\n${tail}`,
    );
  }
}

async function stopCluster(cluster: Cluster): Promise<void> {
  if (existsSync(join(cluster.dataDir, "postmaster.pid"))) {
    await runServerBinary(cluster, "pg_ctl", [
      "stop",
      "--pgdata",
      cluster.dataDir,
      "--mode",
      "fast",
      "--wait",
    ]);
  }
  await rm(cluster.baseDir, { recursive: true, force: true });
}

async function logTail(logFile: string, lines = 30): Promise<string> {
  try {
    return (await readFile(logFile, "utf8")).split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log file)";
  }
}

/** A port nobody listens on now: bind port 0 on loopback, note the port, close. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === "object") resolve(address.port);
        else reject(new Error("could not find a free port"));
      });
    });
  });
}
