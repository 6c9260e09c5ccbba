/**
 * The bot's footprint (issue 20): `kpi start` run as `npm start` runs it (its node flags, the built bin/kpi.js in a
 * child process) on the demo shop, on the embedded database (PGlite) and on PostgreSQL. For each:
 * seconds from spawn to the first digest on the console, resident memory once start-up is over
 * (the first look's digests and nudges sent), the peak, and the most it holds over an idle period.
 * Beside them the floor, PGlite opened alone on the same directory in the same run, and a few CLI
 * commands on the embedded database measured against that floor. Median of 3 with the range.
 *
 *   npm run bench:bot -- [--runs 3] [--idle-minutes 60] [--no-postgres]
 *
 * Stages: prepare (the demo loaded once into PGlite and once into PostgreSQL, not measured), then
 * per run: floor (pglite-alone.mjs on a fresh copy of the demo directory), bot-pglite (kpi start
 * on that copy), bot-postgres (kpi start on a fresh copy of the demo database), cli (each command
 * on the copy, the bot stopped). The bots of every run stay up after their start-up, side by side,
 * for one shared idle period: an idle hour costs an hour, not six.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { startPostgres, withDatabase } from "../../tests/support/postgres.ts";
import { type Figure, figureLine, median } from "./figures.ts";
import { type Watched, watchProcess } from "./watch-process.ts";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    "idle-minutes": { type: "string", default: "60" },
    "no-postgres": { type: "boolean", default: false },
  },
});
const runs = Number(args.runs);
const idleMinutes = Number(args["idle-minutes"]);
const KPI = join(import.meta.dirname, "../../bin/kpi.js");
const FLOOR = join(import.meta.dirname, "pglite-alone.mjs");
const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), "kpi-bench-bot-"));
const SAMPLE_MS = 250;
/**
 * Node's flags from `npm start` (package.json: `node <flags> bin/kpi.js start`), so the bot runs
 * as a user starts it, without npm's own process in the measured tree.
 */
const START_FLAGS = (() => {
  const script: string = JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8"))
    .scripts.start;
  const flags = /^node((?: --\S+)*) bin\/kpi\.js start$/.exec(script);
  if (!flags) throw new Error(`npm start is not "node [flags] bin/kpi.js start": ${script}`);
  return flags[1]!.trim().split(" ").filter(Boolean);
})();
/** A team digest's heading on the console (console/render.ts): the digest itself is printed. */
const DIGEST = /^── # \S+ ──$/;
/** The story's last line before the wait (start-messages.ts): start-up is over. */
const WAITING = /Ctrl\+C stops/;
const STARTUP_MS = 180_000;

function botEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _, KPI_CONFIG: __, ...rest } = process.env;
  return { ...rest, KPI_LANG: "en", KPI_PORT: "0", ...extra };
}

function stage(name: string) {
  console.error(`[${new Date().toISOString().slice(11, 19)}] ${name}`);
}

interface BotRun {
  firstDigest: number;
  afterStartup: number;
  startupPeak: number;
  watched: Watched;
}

async function startBotWatched(env: NodeJS.ProcessEnv): Promise<BotRun> {
  const watched = watchProcess(process.execPath, [...START_FLAGS, KPI, "start"], {
    env,
    cwd: work,
    everyMs: SAMPLE_MS,
  });
  const firstDigest = await watched.lineAt(DIGEST, STARTUP_MS);
  await watched.lineAt(WAITING, STARTUP_MS);
  const memory = watched.sample();
  if (!memory) throw new Error(`the bot went away after start-up:\n${watched.stderr()}`);
  return { firstDigest, afterStartup: memory.rssMB, startupPeak: memory.peakMB, watched };
}

/** A CLI command's peak (bin/kpi.js reports its own with KPI_REPORT_RESOURCES=1), and its time. */
async function cliPeak(argv: string[], env: NodeJS.ProcessEnv): Promise<{ peakMB: number; seconds: number }> {
  const started = performance.now();
  const { stderr } = await run(process.execPath, [KPI, ...argv], {
    env: { ...env, KPI_REPORT_RESOURCES: "1" },
    cwd: work,
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  const report = JSON.parse(stderr.trim().split("\n").at(-1)!) as { maxRssKiB: number };
  return { peakMB: (report.maxRssKiB * 1024) / 1e6, seconds };
}

const CLI = [
  { label: "kpi --help", argv: ["--help"] },
  { label: "kpi score --period last-month", argv: ["score", "--period", "last-month"] },
  { label: "kpi chat --as 小张 me", argv: ["chat", "--as", "小张", "me"] },
];

stage("prepare: the demo into PGlite");
const demoDir = join(work, "demo");
await run(process.execPath, [KPI, "demo"], { env: botEnv({ KPI_DATA_DIR: demoDir }), cwd: work });
const postgres = args["no-postgres"] ? undefined : await startPostgres();
if (postgres) {
  stage("prepare: the demo into PostgreSQL");
  await run(process.execPath, [KPI, "demo"], { env: botEnv({ DATABASE_URL: postgres.url }), cwd: work });
}

const floor = { rss: [] as number[], peak: [] as number[], open: [] as number[] };
const bots: Record<"pglite" | "postgres", BotRun[]> = { pglite: [], postgres: [] };
const cli = new Map<string, { peak: number[]; seconds: number[] }>(
  CLI.map((c) => [c.label, { peak: [], seconds: [] }]),
);
try {
  for (let i = 1; i <= runs; i++) {
    const dir = join(work, `run-${i}`);
    cpSync(demoDir, dir, { recursive: true });
    stage(`run ${i}: floor (PGlite alone)`);
    const alone = JSON.parse((await run(process.execPath, [FLOOR, dir])).stdout) as {
      openSeconds: number;
      rssMB: number;
      peakMB: number;
    };
    floor.rss.push(alone.rssMB);
    floor.peak.push(alone.peakMB);
    floor.open.push(alone.openSeconds);
    stage(`run ${i}: cli (existing embedded database)`);
    for (const command of CLI) {
      const { peakMB, seconds } = await cliPeak(command.argv, botEnv({ KPI_DATA_DIR: dir }));
      cli.get(command.label)!.peak.push(peakMB);
      cli.get(command.label)!.seconds.push(seconds);
    }
    stage(`run ${i}: bot-pglite`);
    bots.pglite.push(await startBotWatched(botEnv({ KPI_DATA_DIR: dir })));
    if (postgres) {
      stage(`run ${i}: bot-postgres`);
      const database = `bot_run_${i}`;
      await withDatabase(postgres.url, (sql) => sql.unsafe(`CREATE DATABASE ${database} TEMPLATE kpi_test`));
      const url = postgres.url.replace(/\/kpi_test$/, `/${database}`);
      bots.postgres.push(await startBotWatched(botEnv({ DATABASE_URL: url })));
    }
  }
  stage(`idle: ${idleMinutes} min, every bot side by side`);
  const idleFrom = Object.values(bots)
    .flat()
    .map((b) => b.watched.samples.length);
  await new Promise((resolve) => setTimeout(resolve, idleMinutes * 60_000));
  const all = Object.values(bots).flat();
  const idleMax = all.map((b, k) => Math.max(...b.watched.samples.slice(idleFrom[k]).map((s) => s.rssMB)));
  // What the bot holds through most of the wait: the bursts of its scheduled jobs aside.
  const idleTypical = all.map((b, k) => median(b.watched.samples.slice(idleFrom[k]).map((s) => s.rssMB)));
  const idleEnd = all.map((b) => b.watched.sample()?.rssMB ?? Number.NaN);
  const peaks = all.map((b) => b.watched.sample()?.peakMB ?? Number.NaN);
  await Promise.all(all.map((b) => b.watched.stop()));

  const of = (kind: "pglite" | "postgres", values: number[]) =>
    values.filter((_, k) => all[k] !== undefined && bots[kind].includes(all[k]!));
  const floorMid = median(floor.rss);
  const report: (Figure | string)[] = [
    `Bot footprint on the demo shop, ${runs} runs, idle ${idleMinutes} min (median, range)`,
    "PGlite opened alone on the demo's directory (the floor)",
    { label: "open and one query", values: floor.open, unit: "s" },
    { label: "resident after opening", values: floor.rss, unit: "MB" },
    { label: "peak", values: floor.peak, unit: "MB" },
    "kpi start on PGlite",
    {
      label: "first digest after start",
      values: bots.pglite.map((b) => b.firstDigest),
      unit: "s",
      target: 5,
    },
    {
      label: "resident after start-up, above the floor",
      values: bots.pglite.map((b) => b.afterStartup - floorMid),
      unit: "MB",
      target: 100,
    },
    {
      label: "most resident while idle, above the floor",
      values: of("pglite", idleMax).map((v) => v - floorMid),
      unit: "MB",
      target: 100,
    },
    {
      label: "median resident while idle, above the floor",
      values: of("pglite", idleTypical).map((v) => v - floorMid),
      unit: "MB",
    },
    { label: "resident after start-up", values: bots.pglite.map((b) => b.afterStartup), unit: "MB" },
    { label: "most resident while idle", values: of("pglite", idleMax), unit: "MB" },
    { label: "median resident while idle", values: of("pglite", idleTypical), unit: "MB" },
    { label: "resident at the end of the idle period", values: of("pglite", idleEnd), unit: "MB" },
    { label: "peak", values: of("pglite", peaks), unit: "MB" },
  ];
  if (postgres)
    report.push(
      "kpi start on PostgreSQL",
      {
        label: "first digest after start",
        values: bots.postgres.map((b) => b.firstDigest),
        unit: "s",
        target: 5,
      },
      {
        label: "resident after start-up",
        values: bots.postgres.map((b) => b.afterStartup),
        unit: "MB",
        target: 150,
      },
      { label: "most resident while idle", values: of("postgres", idleMax), unit: "MB", target: 150 },
      { label: "median resident while idle", values: of("postgres", idleTypical), unit: "MB" },
      { label: "resident at the end of the idle period", values: of("postgres", idleEnd), unit: "MB" },
      { label: "peak", values: of("postgres", peaks), unit: "MB" },
    );
  report.push("CLI on the existing embedded database: peak above the floor's resident memory");
  for (const [label, { peak, seconds }] of cli) {
    report.push({
      label: `${label}: peak above the floor`,
      values: peak.map((p) => p - floorMid),
      unit: "MB",
      target: 100,
    });
    report.push(
      { label: `${label}: peak`, values: peak, unit: "MB" },
      { label: `${label}: wall time`, values: seconds, unit: "s" },
    );
  }
  for (const line of report) console.log(typeof line === "string" ? line : figureLine(line));
} finally {
  await Promise.all(
    Object.values(bots)
      .flat()
      .map((b) => b.watched.stop()),
  );
  await postgres?.stop();
  rmSync(work, { recursive: true, force: true });
}
