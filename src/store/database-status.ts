import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { MIGRATIONS_DIR, openStore, rowsOf } from "./database.ts";
import { describeUrl } from "./postgres-url.ts";

/**
 * Where the database is and how far its migrations are, without changing anything: no
 * migration is applied, and an embedded database that does not exist yet is not created.
 */

export type DatabaseStatus =
  | { kind: "pglite" | "postgres"; location: string; state: "absent" }
  | { kind: "pglite" | "postgres"; location: string; state: "unreachable"; error: string }
  | {
      kind: "pglite" | "postgres";
      location: string;
      state: "reachable";
      /** Migrations this code knows (migrations/meta/_journal.json). */
      known: number;
      applied: number;
      /** Applied in the database but unknown here: the database is newer than this code. */
      newer: boolean;
    };

/** The `when` of each migration this code ships, oldest first: drizzle records it as created_at. */
function knownMigrations(): number[] {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, "meta", "_journal.json"), "utf8")) as {
    entries: { when: number }[];
  };
  return journal.entries.map((entry) => entry.when);
}

/** The error's message without the URL's password, should a driver ever quote the URL. */
function messageOf(error: unknown, url: string | undefined): string {
  // drizzle wraps the driver's error ("Failed query: …", the cause says why).
  let cause = error;
  while (cause instanceof Error && cause.cause !== undefined) cause = cause.cause;
  error = cause;
  let message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ");
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && !message.includes(code)) message = `${code}: ${message}`;
  const password = url ? safePassword(url) : "";
  return password ? message.replaceAll(password, "***") : message;
}

function safePassword(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return "";
  }
}

export async function databaseStatus(options: {
  databaseUrl?: string;
  dataDir: string;
}): Promise<DatabaseStatus> {
  const url = options.databaseUrl || undefined;
  const kind = url ? "postgres" : "pglite";
  const location = url ? describeUrl(url) : options.dataDir;
  // PGlite writes PG_VERSION when it creates a database; without it there is nothing to open.
  if (!url && !existsSync(join(options.dataDir, "PG_VERSION"))) return { kind, location, state: "absent" };
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore({
      ...(url ? { databaseUrl: url } : {}),
      dataDir: options.dataDir,
      migrate: false,
    });
  } catch (error) {
    return { kind, location, state: "unreachable", error: messageOf(error, url) };
  }
  try {
    const table = await store.db.execute(sql`SELECT to_regclass('drizzle.__drizzle_migrations') AS name`);
    const exists = rowsOf<{ name: string | null }>(table)[0]?.name != null;
    const last = exists
      ? rowsOf<{ at: string | null }>(
          await store.db.execute(sql`SELECT max(created_at)::text AS at FROM drizzle.__drizzle_migrations`),
        )[0]?.at
      : null;
    const known = knownMigrations();
    const lastAt = last == null ? Number.NEGATIVE_INFINITY : Number(last);
    const applied = known.filter((when) => when <= lastAt).length;
    return {
      kind,
      location,
      state: "reachable",
      known: known.length,
      applied,
      newer: lastAt > (known.at(-1) ?? 0),
    };
  } catch (error) {
    return { kind, location, state: "unreachable", error: messageOf(error, url) };
  } finally {
    await store.close();
  }
}
