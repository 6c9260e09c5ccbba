import type { Options } from "postgres";
import { tcpNoDelay } from "./tcp-socket.ts";

/**
 * DATABASE_URL as libpq reads it, for what postgres.js reads differently: a Unix socket is named by
 * a `host` parameter holding a directory (`postgres://kpi@localhost:5432/kpi?host=/var/run/postgresql`).
 * postgres.js would send that parameter to the server as a setting and connect over TCP instead.
 * On one host a Unix socket saves the TCP stack on every query (see docs/benchmarks.md, Commands).
 */

export interface PostgresTarget {
  /** The URL postgres.js is given: without a socket `host` parameter. */
  url: string;
  /** Client options the URL alone cannot give postgres.js: a Unix socket's path, else TCP without Nagle. */
  options: Pick<Options<Record<string, never>>, "path" | "prepare"> & {
    /** postgres.js's option (its types leave it out): how to open its connection's socket. */
    socket?: typeof tcpNoDelay;
  };
}

export function postgresTarget(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, options: { socket: tcpNoDelay } };
  }
  const socketDir = parsed.searchParams.get("host");
  if (socketDir === null || !socketDir.startsWith("/")) return { url, options: { socket: tcpNoDelay } };
  parsed.searchParams.delete("host");
  const port = parsed.port || "5432";
  return { url: parsed.toString(), options: { path: `${socketDir.replace(/\/+$/, "")}/.s.PGSQL.${port}` } };
}

/** host:port/database of a URL, or the socket's directory: never its password. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const socketDir = parsed.searchParams.get("host");
    const where = socketDir?.startsWith("/") ? socketDir : parsed.hostname;
    return `${where}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    return "(a PostgreSQL URL)";
  }
}
