/**
 * The floor: PGlite opened alone on a data directory, as the bot opens it, and one query run,
 * in a plain Node process (no tsx, no project module). Prints one JSON line: seconds to open,
 * resident memory after the query and the process's peak, in MB (10⁶ bytes).
 *
 *   node bench/bot/pglite-alone.mjs <data dir>
 */
import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";

const started = performance.now();
const client = new PGlite(process.argv[2]);
await client.waitReady;
await client.query("SELECT count(*) FROM agents");
const openSeconds = (performance.now() - started) / 1000;
const status = readFileSync("/proc/self/status", "utf8");
const mib = (field) =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * (1024 / 1e6);
await client.close();
process.stdout.write(`${JSON.stringify({ openSeconds, rssMB: mib("VmRSS"), peakMB: mib("VmHWM") })}\n`);
