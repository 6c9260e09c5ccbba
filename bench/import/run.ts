/**
 * The import benchmark: a big shop's Chitu export (by default 10,000 agents × 155 days, 1.55
 * million agent-days, a 200 MB CSV with a 日期 column) imported the way `kpi import` does it
 * (hash, then importBatch: the records read once, in one transaction, for their problems, agents
 * and days and copied into a staging table as read; the file read a piece at a time), on
 * PostgreSQL (a throwaway server it starts itself) and on PGlite (a temp data directory), with
 * rows per second for one reading of the records alone (timed apart), storing (the reading and
 * the writes) and end to end, then the re-scoring of every period the import touched, timed
 * apart, and the process's peak memory after each stage.
 *
 *   npm run bench:import -- [--agents 10000] [--days 155] [--encoding utf-8|gbk]
 *                           [--db postgres|pglite|both] [--runs 1] [--dir <data dir>] [--skip-scoring]
 *
 * Scoring grows with periods × agents (a day period of 3,000 agents takes about 1.2 s on two
 * cores), so for the 155-day file it takes many minutes: measure scoring with `--agents 3000
 * --days 31` (12 MB), the big file with `--skip-scoring`.
 *
 * The file and its configuration are generated once per size and kept in the data directory
 * (default: the system temp dir). Each run is a fresh database and a process of its own (so its
 * peak memory is its own); the roster (the configuration's 10,000 agents and their accounts) is
 * synced before the clock starts. Figures are the median of `--runs` runs, stage by stage.
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
    days: { type: "string", default: "155" },
    encoding: { type: "string", default: "utf-8" },
    db: { type: "string", default: "postgres" },
    runs: { type: "string", default: "1" },
    dir: { type: "string" },
    "skip-scoring": { type: "boolean", default: false },
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

function measure(target: string[]): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const extra = args["skip-scoring"] ? ["--skip-scoring"] : [];
    const child = spawn(
      process.execPath,
      ["--import", "tsx", measureScript, "--file", files.file, "--config", files.config, ...target, ...extra],
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

function report(database: string, runs: Measurement[]): void {
  const rows = runs[0]!.rows;
  const stage = (key: keyof Measurement) => median(runs.map((r) => r[key] as number));
  const range = (key: keyof Measurement) =>
    runs.length > 1 ? ` (${runs.map((r) => (r[key] as number).toFixed(2)).join(", ")})` : "";
  console.log(`\n${database}`);
  const line = (name: string, key: keyof Measurement, withRate = true) =>
    console.log(
      `  ${name.padEnd(34)} ${stage(key).toFixed(2).padStart(7)} s${withRate ? `${rate(rows, stage(key)).padStart(11)} rows/s` : "".padEnd(18)}${range(key)}`,
    );
  line("roster sync (before timing)", "sync", false);
  line("read file (SHA-256)", "read", false);
  line("parse (one reading, apart)", "parse");
  line("store (importBatch, one reading)", "store");
  line("end to end (hash + importBatch)", "endToEnd");
  const peak = (key: keyof Measurement) => `${median(runs.map((r) => r[key] as number)).toFixed(0)} MiB`;
  console.log(
    `  peak RSS after reading ${peak("peakMiBRead")}, after storing ${peak("peakMiBImport")} (the import's peak), after the reading apart ${peak("peakMiBParse")}`,
  );
  const byKind = runs[0]!.scoringByKind;
  if (byKind !== undefined) {
    const periods = Object.values(byKind).reduce((sum, k) => sum + k.periods, 0);
    line(`re-scoring the ${periods} periods touched`, "scoring", false);
    for (const [kind, { periods, cards }] of Object.entries(byKind)) {
      const secs = median(runs.map((r) => r.scoringByKind?.[kind]?.seconds ?? 0));
      const label = `  ${periods} ${kind} period${periods === 1 ? "" : "s"}, ${cards.toLocaleString("en-US")} cards`;
      console.log(`  ${label.padEnd(34)} ${secs.toFixed(2).padStart(7)} s`);
    }
    console.log(`  peak RSS after scoring: ${peak("peakMiB")}`);
    const whole = median(runs.map((r) => r.endToEnd + (r.scoring ?? 0)));
    console.log(`  as kpi import runs it (import + scoring): ${whole.toFixed(2)} s`);
  }
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
