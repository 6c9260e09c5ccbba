/**
 * The chat-log benchmark: the same FRT, ART, 30 s rate, reply rate and Q/A ratio computed three
 * ways on one generated file — our engine (`kpi metrics`, in a child process so its memory is
 * its own), DuckDB SQL (one thread, then both cores) and PostgreSQL SQL (COPY included) — checked
 * to agree exactly per agent-day, with messages per second for each.
 *
 *   npm run bench:chatlog -- [--messages 10000000] [--dir <data dir>] [--threads 2] [--runs 3]
 *                            [--skip-postgres] [--skip-jsonl]
 *
 * Data is generated once per size and kept in the data directory (default: the system temp dir).
 * The file is read once first (so every engine finds it in the page cache); ours, DuckDB and the
 * scan limit (scan-limit.ts: the fields of each line found, nothing computed) are repeated
 * `--runs` times and their median reported with the range; the issue's targets are printed
 * beside the figures they judge (targets.ts).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startPostgres, withDatabase } from "../../tests/support/postgres.ts";
import { responseMetricsDuckDB } from "./duckdb.ts";
import { generateChatlog } from "./generate.ts";
import { differences, parseFiguresCsv, responseRows } from "./ours.ts";
import { responseMetricsPostgres } from "./postgres.ts";
import type { ResponseRow } from "./response-sql.ts";
import { scanLimit } from "./scan-limit.ts";
import { printTargets, type Run } from "./targets.ts";

const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "10000000" },
    dir: { type: "string" },
    threads: { type: "string" },
    "skip-postgres": { type: "boolean", default: false },
    "skip-jsonl": { type: "boolean", default: false },
    runs: { type: "string", default: "3" },
  },
});
const repeat = Math.max(1, Number(args.runs));
const messages = Number(args.messages);
const threads = Number(args.threads ?? Math.min(availableParallelism(), 8));
const dir = args.dir ?? join(tmpdir(), `kpi-chatlog-${messages}`);
const root = join(import.meta.dirname, "../..");

async function data(): Promise<{ csv: string; jsonl: string; lines: number; bytes: number }> {
  const marker = join(dir, "summary.json");
  const wanted = { messages, format: args["skip-jsonl"] ? "csv" : "both" };
  if (existsSync(marker)) {
    const kept = JSON.parse(await readFile(marker, "utf8"));
    if (kept.messages === wanted.messages && (kept.format === "both" || wanted.format === "csv"))
      return kept.files;
  }
  await mkdir(dir, { recursive: true });
  console.log(`generating ${messages.toLocaleString("en-US")} messages into ${dir} …`);
  const summary = await generateChatlog({ out: dir, messages, format: wanted.format as "csv" | "both" });
  const files = {
    csv: summary.files["messages.csv"]!,
    jsonl: summary.files["messages.jsonl"] ?? "",
    lines: summary.messages,
    bytes: (await stat(summary.files["messages.csv"]!)).size,
  };
  await writeFile(marker, JSON.stringify({ ...wanted, files }));
  return files;
}

/** Runs `kpi metrics` in its own process; returns its figures, time and peak memory. */
function ours(engine: string, file: string, extra: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(
      process.execPath,
      [join(root, "bin/kpi.js"), "metrics", "--messages", file, "--format", "csv", ...extra],
      {
        env: { ...process.env, KPI_REPORT_RESOURCES: "1" },
      },
    );
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("close", (code) => {
      const seconds = (performance.now() - start) / 1000;
      if (code !== 0) return reject(new Error(`${engine} failed (${code}): ${err}`));
      const usage = JSON.parse(err.trim().split("\n").pop()!);
      resolve({
        engine,
        seconds,
        peakMiB: usage.maxRssKiB / 1024,
        rows: responseRows(parseFiguresCsv(Buffer.concat(out).toString())),
      });
    });
  });
}

async function timed(engine: string, fn: () => Promise<ResponseRow[]>): Promise<Run> {
  const start = performance.now();
  const rows = await fn();
  return { engine, seconds: (performance.now() - start) / 1000, rows };
}

/** The run of median time of `repeat` runs, with the range of times and of peaks. */
async function median(run: () => Promise<Run>): Promise<Run> {
  await warm(files.csv);
  const runs: Run[] = [];
  for (let i = 0; i < repeat; i++) runs.push(await run());
  runs.sort((a, b) => a.seconds - b.seconds);
  const middle = runs[Math.floor((runs.length - 1) / 2)]!;
  const peaks = runs.flatMap((r) => (r.peakMiB === undefined ? [] : [r.peakMiB]));
  return {
    ...middle,
    range: [runs[0]!.seconds, runs[runs.length - 1]!.seconds],
    ...(peaks.length ? { peakRange: [Math.min(...peaks), Math.max(...peaks)] as [number, number] } : {}),
  };
}

async function scanned(threads: number): Promise<Run> {
  const limit = await scanLimit(files.csv, threads);
  if (limit.lines !== files.lines)
    throw new Error(`the scan limit found ${limit.lines} lines, the file has ${files.lines}`);
  return {
    engine: `scan limit, ${threads === 1 ? "1 thread" : `${threads} threads`}`,
    seconds: limit.seconds,
  };
}

/** Reads the file once, so that no engine pays for the disk. */
async function warm(path: string): Promise<void> {
  const { chunksOf } = await import("../../src/sources/chatlog-files.ts");
  const { open } = await import("node:fs/promises");
  const file = await open(path, "r");
  try {
    for await (const _ of chunksOf(file, 0, (await file.stat()).size));
  } finally {
    await file.close();
  }
}

const files = await data();
console.log(
  `chat-log benchmark: ${files.lines.toLocaleString("en-US")} messages, ${(files.bytes / 1e9).toFixed(2)} GB CSV; ` +
    `Node ${process.version}, ${availableParallelism()} cores; median of ${repeat} runs for ours and DuckDB`,
);
await warm(files.csv);
const runs: Run[] = [];
const report = (run: Run) => {
  runs.push(run);
  const rate = Math.round(files.lines / run.seconds).toLocaleString("en-US");
  const range = run.range ? ` (${run.range.map((s) => s.toFixed(2)).join("–")})` : "";
  const peakRange = run.peakRange ? ` (${run.peakRange.map((m) => m.toFixed(0)).join("–")})` : "";
  const memory = run.peakMiB === undefined ? "" : `, peak ${run.peakMiB.toFixed(0)} MiB${peakRange}`;
  console.log(
    `  ${run.engine.padEnd(36)} ${run.seconds.toFixed(2).padStart(7)} s${range.padEnd(14)} ${rate.padStart(11)} msgs/s${memory}`,
  );
};
const only = (n: number) => ["--only", "response", "--threads", String(n)];
report(await median(() => scanned(threads)));
if (threads !== 1) report(await median(() => scanned(1)));
report(await median(() => ours(`ours, CSV, ${threads} threads`, files.csv, only(threads))));
report(await median(() => ours("ours, CSV, 1 thread", files.csv, only(1))));
if (files.jsonl && !args["skip-jsonl"])
  report(await ours("ours, JSON Lines, 1 thread", files.jsonl, ["--only", "response"]));
report(
  await median(() =>
    ours(`ours, CSV, all figures, ${threads} threads`, files.csv, ["--threads", String(threads)]),
  ),
);
report(await median(() => timed("DuckDB, 1 thread", () => responseMetricsDuckDB(files.csv, { threads: 1 }))));
report(
  await median(() =>
    timed(`DuckDB, ${threads} threads`, () => responseMetricsDuckDB(files.csv, { threads })),
  ),
);
if (!args["skip-postgres"]) {
  const server = await startPostgres();
  try {
    report(
      await timed("PostgreSQL (COPY + query)", () =>
        withDatabase(server.url, (sql) => responseMetricsPostgres(sql, files.csv)),
      ),
    );
  } finally {
    await server.stop();
  }
}

const compared = runs.filter((r) => r.rows !== undefined);
const reference = compared[0]!;
let agree = true;
for (const run of compared.slice(1)) {
  const diff = differences(reference.rows!, run.rows!);
  if (diff.length) {
    agree = false;
    console.log(
      `✗ ${run.engine} differs from ${reference.engine} on ${diff.length} agent-days, e.g. ${diff.slice(0, 3).join("; ")}`,
    );
  }
}
if (agree)
  console.log(
    `✓ all ${compared.length} runs agree exactly on ${reference.rows!.length.toLocaleString("en-US")} agent-days`,
  );
const ratio = (name: string) => {
  const other = runs.find((r) => r.engine === name);
  return other ? `${(other.seconds / reference.seconds).toFixed(2)}× ${name}` : "";
};
console.log(
  `ours (${threads} threads) is ${[ratio("DuckDB, 1 thread"), ratio(`DuckDB, ${threads} threads`), ratio("PostgreSQL (COPY + query)")].filter(Boolean).join(", ")}`,
);
printTargets(runs, files.lines, threads);
process.exitCode = agree ? 0 : 1;
