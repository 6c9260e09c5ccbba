/**
 * The import benchmark: `kpi import` of a big shop's Chitu export as a user runs it, scoring
 * included. By default the month of issue 20's targets: 10,000 agents × 31 days, 310,000
 * agent-days (a 40 MB CSV with a 日期 column), on PostgreSQL (a throwaway server it starts
 * itself) and on PGlite (a temp data directory), three runs each. Stages as the import runs them
 * (import-file.ts): read (the file through SHA-256), store (importBatch: the records read once
 * for their problems, agents and days, keeping their COPY text, then copied into one transaction;
 * the file read a piece at a time, never whole), score (every period the import touched, with how many
 * periods and cards, by kind); the whole, and the process's peak memory, each beside its target.
 * One reading of the records alone (parse) is timed apart, after the rest.
 *
 *   npm run bench:import -- [--agents 10000] [--days 31] [--encoding utf-8|gbk]
 *                           [--db postgres|pglite|both] [--runs 3] [--dir <data dir>] [--skip-scoring]
 *                           [--cpu-prof-dir <dir>]
 *
 * `--days 155 --skip-scoring` is the bounded-memory run of a 200 MB file (docs/benchmarks.md).
 *
 * The file and its configuration are generated once per size and kept in the data directory
 * (default: the system temp dir). Each run is a fresh database and a process of its own (so its
 * peak memory is its own); the roster (the configuration's 10,000 agents and their accounts) is
 * synced before the clock starts. Figures are the median of `--runs` runs, stage by stage, with
 * the lowest and highest in brackets.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startPostgres, withDatabase } from "../../tests/support/postgres.ts";
import { generateConfig, generateExport } from "./generate.ts";
import type { Measurement } from "./measure.ts";

const { values: args } = parseArgs({
  options: {
    agents: { type: "string", default: "10000" },
    days: { type: "string", default: "31" },
    encoding: { type: "string", default: "utf-8" },
    db: { type: "string", default: "both" },
    runs: { type: "string", default: "3" },
    dir: { type: "string" },
    "skip-scoring": { type: "boolean", default: false },
    "cpu-prof-dir": { type: "string" },
  },
});
const agents = Number(args.agents);
const days = Number(args.days);
if (args.encoding !== "utf-8" && args.encoding !== "gbk") throw new Error("--encoding is utf-8 or gbk");
const encoding = args.encoding;
const repeat = Math.max(1, Number(args.runs));
if (!["pglite", "postgres", "both"].includes(args.db)) throw new Error("--db is pglite, postgres or both");
const databases = args.db === "both" ? (["postgres", "pglite"] as const) : [args.db as "pglite" | "postgres"];
const dir = args.dir ?? join(tmpdir(), `kpi-import-${agents}x${days}-${encoding}`);
const root = join(import.meta.dirname, "../..");
const measureScript = join(import.meta.dirname, "measure.ts");

async function data(): Promise<{ file: string; config: string; bytes: number }> {
  const file = join(dir, "chitu-export.csv");
  const config = join(dir, "kpi.config.yaml");
  const marker = join(dir, "summary.json");
  if (existsSync(marker)) {
    const kept = JSON.parse(await readFile(marker, "utf8"));
    if (kept.agents === agents && kept.days === days && kept.encoding === encoding)
      return { file, config, bytes: kept.bytes };
  }
  await mkdir(dir, { recursive: true });
  console.log(`generating ${agents.toLocaleString("en-US")} agents × ${days} days into ${dir} …`);
  const bytes = generateExport({ agents, days, encoding });
  await writeFile(file, bytes);
  await writeFile(config, generateConfig({ agents, days }));
  await writeFile(marker, JSON.stringify({ agents, days, encoding, bytes: bytes.length }));
  return { file, config, bytes: bytes.length };
}

// Each measuring process writes a V8 CPU profile there (open it in Chrome's DevTools).
const profiling = args["cpu-prof-dir"] ? ["--cpu-prof", `--cpu-prof-dir=${args["cpu-prof-dir"]}`] : [];

function measure(target: string[]): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const extra = args["skip-scoring"] ? ["--skip-scoring"] : [];
    const child = spawn(
      process.execPath,
      [
        ...profiling,
        "--import",
        "tsx",
        measureScript,
        "--file",
        files.file,
        "--config",
        files.config,
        ...target,
        ...extra,
      ],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`the measuring process failed (${code}): ${err}`));
      resolve(JSON.parse(out.trim().split("\n").pop()!) as Measurement);
    });
  });
}

async function runsOn(database: "pglite" | "postgres"): Promise<Measurement[]> {
  const runs: Measurement[] = [];
  if (database === "postgres") {
    const server = await startPostgres();
    try {
      for (let i = 0; i < repeat; i++) {
        const name = `kpi_bench_${randomBytes(4).toString("hex")}`;
        await withDatabase(server.url, (sql) => sql.unsafe(`CREATE DATABASE ${name}`));
        const url = new URL(server.url);
        url.pathname = `/${name}`;
        runs.push(await measure(["--url", url.toString()]));
        await withDatabase(server.url, (sql) => sql.unsafe(`DROP DATABASE ${name} WITH (FORCE)`));
      }
    } finally {
      await server.stop();
    }
  } else {
    for (let i = 0; i < repeat; i++) {
      const dataDir = await mkdtemp(join(tmpdir(), "kpi-bench-pglite-"));
      try {
        runs.push(await measure(["--data-dir", dataDir]));
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    }
  }
  return runs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const rate = (rows: number, secs: number) => Math.round(rows / secs).toLocaleString("en-US");

/** The targets (issue 20), for the month of a 10,000-agent shop. */
const TARGETS = {
  wholeSeconds: { postgres: 15, pglite: 25 },
  storeRowsPerSecond: 50_000,
  peakMiB: 400,
};
const atTargetSize = agents === 10_000 && days === 31;
const verdict = (met: boolean) =>
  atTargetSize ? (met ? "met" : "NOT met") : "(the target is for 10,000 agents × 31 days)";

function report(database: "pglite" | "postgres", runs: Measurement[]): void {
  const rows = runs[0]!.rows;
  const values = (get: (r: Measurement) => number) => runs.map(get);
  const mid = (get: (r: Measurement) => number) => median(values(get));
  const range = (get: (r: Measurement) => number, digits = 2) => {
    if (runs.length === 1) return "";
    const sorted = values(get).sort((a, b) => a - b);
    return ` (${sorted[0]!.toFixed(digits)}–${sorted.at(-1)!.toFixed(digits)})`;
  };
  const seconds = (name: string, get: (r: Measurement) => number, tail = "") =>
    console.log(`  ${name.padEnd(40)} ${mid(get).toFixed(2).padStart(7)} s${range(get)}${tail}`);
  console.log(`\n${database}`);
  seconds("roster sync (before timing)", (r) => r.sync);
  seconds("read file (SHA-256)", (r) => r.read);
  const parseRate = rate(
    rows,
    mid((r) => r.parse),
  );
  seconds("parse (one reading alone, apart)", (r) => r.parse, `  ${parseRate} rows/s`);
  const storeRate = rows / mid((r) => r.store);
  const storeTarget = TARGETS.storeRowsPerSecond;
  seconds(
    "store (importBatch: census, COPY)",
    (r) => r.store,
    `  ${rate(storeRate, 1)} rows/s; target ≥ ${storeTarget.toLocaleString("en-US")}: ${verdict(storeRate >= storeTarget)}`,
  );
  const byKind = runs[0]!.scoringByKind;
  let peak = (r: Measurement) => r.peakMiBImport;
  if (byKind !== undefined) {
    const periods = Object.values(byKind).reduce((sum, k) => sum + k.periods, 0);
    const cards = Object.values(byKind).reduce((sum, k) => sum + k.cards, 0);
    const scoring = (r: Measurement) => r.scoring ?? Number.NaN;
    seconds(
      `score (${periods} periods, ${cards.toLocaleString("en-US")} cards)`,
      scoring,
      `  ${rate(cards, mid(scoring))} cards/s`,
    );
    for (const [kind, { periods, cards }] of Object.entries(byKind)) {
      const label = `  ${periods} ${kind} period${periods === 1 ? "" : "s"}, ${cards.toLocaleString("en-US")} cards`;
      seconds(label, (r) => r.scoringByKind?.[kind]?.seconds ?? Number.NaN);
    }
    const whole = (r: Measurement) => r.endToEnd + (r.scoring ?? 0);
    const target = TARGETS.wholeSeconds[database];
    seconds(
      "kpi import: read + store + score",
      whole,
      `  target ≤ ${target} s: ${verdict(mid(whole) <= target)}`,
    );
    peak = (r) => r.peakMiB;
  } else {
    seconds("kpi import without scoring: read + store", (r) => r.endToEnd);
  }
  const peakLine = `peak RSS of the process${byKind ? "" : " (scoring skipped)"}`;
  console.log(
    `  ${peakLine.padEnd(40)} ${mid(peak).toFixed(0).padStart(7)} MiB${range(peak, 0)}  target ≤ ${TARGETS.peakMiB} MiB: ${verdict(mid(peak) <= TARGETS.peakMiB)}`,
  );
  console.log(
    `  (peak after reading ${mid((r) => r.peakMiBRead).toFixed(0)} MiB, after storing ${mid((r) => r.peakMiBImport).toFixed(0)} MiB)`,
  );
}

const files = await data();
const size = (await stat(files.file)).size;
console.log(
  `import benchmark: ${(agents * days).toLocaleString("en-US")} agent-days (${agents.toLocaleString("en-US")} agents × ${days} days), ` +
    `${(size / 1e6).toFixed(1)} MB Chitu CSV (${encoding}); Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? "?"}); ` +
    `median of ${repeat} run${repeat === 1 ? "" : "s"}`,
);
console.log(
  `  (npm run bench:import -- --agents ${agents} --days ${days} --encoding ${encoding} --db ${args.db} --runs ${repeat}` +
    `${args["skip-scoring"] ? " --skip-scoring" : ""})`,
);
for (const database of databases) report(database, await runsOn(database));
