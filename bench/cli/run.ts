/**
 * The CLI benchmark: whole `kpi` processes as a user starts them from a shell, on the demo shop
 * in the embedded database (PGlite). Targets (issue 18): help, version and any argument error
 * answer in ≤ 0.3 s, before the database or a command's modules load; a read command on the demo
 * (one agent's scorecard, `/kpi me` through `kpi chat`) in ≤ 1.5 s.
 *
 *   npm run bench:cli -- [--runs 5] [--data-dir <dir with the demo loaded>] [--alongside]
 *
 * Without --data-dir it loads the demo into a temporary directory first (`kpi demo`, not timed).
 * With --alongside, `kpi start` runs on that database meanwhile and the commands reach it through
 * the socket it serves, as in a second terminal next to `npm start`.
 * Each command runs --runs times one after another; the figures are wall time from spawn to exit
 * and the child's peak RSS (bin/kpi.js reports it with KPI_REPORT_RESOURCES=1).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    "data-dir": { type: "string" },
    alongside: { type: "boolean", default: false },
  },
});
const runs = Number(args.runs);
const KPI = join(import.meta.dirname, "../../bin/kpi.js");

interface Case {
  label: string;
  argv: string[];
  targetSeconds: number;
  /** The exit code a correct answer has (argument errors exit 2). */
  code: number;
}

const FAST = 0.3;
const READ = 1.5;
const cases: Case[] = [
  { label: "kpi --help", argv: ["--help"], targetSeconds: FAST, code: 0 },
  { label: "kpi --version", argv: ["--version"], targetSeconds: FAST, code: 0 },
  { label: "kpi scroe (did you mean)", argv: ["scroe"], targetSeconds: FAST, code: 2 },
  { label: "kpi score --perod week", argv: ["score", "--perod", "week"], targetSeconds: FAST, code: 2 },
  { label: "kpi score --period wat", argv: ["score", "--period", "wat"], targetSeconds: FAST, code: 2 },
  { label: "kpi import missing.csv", argv: ["import", "missing.csv"], targetSeconds: FAST, code: 2 },
  {
    label: "kpi score --agent 小张 --period last-week",
    argv: ["score", "--agent", "小张", "--period", "last-week"],
    targetSeconds: READ,
    code: 0,
  },
  {
    label: "kpi chat --as 小张 me month",
    argv: ["chat", "--as", "小张", "me", "month"],
    targetSeconds: READ,
    code: 0,
  },
];

interface Run {
  seconds: number;
  maxRssMiB: number;
}

function runOnce(argv: string[], cwd: string, env: NodeJS.ProcessEnv, code: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [KPI, ...argv], { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (exit) => {
      const seconds = (performance.now() - started) / 1000;
      if (exit !== code)
        return reject(new Error(`kpi ${argv.join(" ")} exited ${exit}, not ${code}:\n${stderr}`));
      const report = stderr.trim().split("\n").at(-1) ?? "{}";
      const { maxRssKiB = 0 } = JSON.parse(report) as { maxRssKiB?: number };
      resolve({ seconds, maxRssMiB: maxRssKiB / 1024 });
    });
  });
}

/** `kpi start` on the scratch database, once it says it waits for the next schedule. */
function startBot(cwd: string, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KPI, "start"], {
      cwd,
      env: { ...env, KPI_LANG: "en", KPI_PORT: "0", KPI_REPORT_RESOURCES: "0" },
      stdio: ["ignore", "pipe", "ignore"],
    });
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("scheduler running")) resolve(child);
    });
    child.on("error", reject);
    child.on("close", (code) => reject(new Error(`kpi start exited ${code} before it was running`)));
  });
}

function stopBot(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners("close");
    child.on("close", () => resolve());
    child.kill("SIGTERM");
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), "kpi-bench-cli-"));
  const dataDir = args["data-dir"] ?? join(scratch, "data");
  const { DATABASE_URL: _, KPI_CONFIG: __, ...rest } = process.env;
  const env = { ...rest, KPI_DATA_DIR: dataDir, KPI_REPORT_RESOURCES: "1", KPI_LANG: "zh" };
  try {
    if (args["data-dir"] === undefined) {
      process.stderr.write("loading the demo into a temporary database (not timed) …\n");
      await runOnce(["demo"], scratch, env, 0);
      // The first command after a load syncs the configuration and scores once; a user's second does not.
      await runOnce(["score", "--agent", "小张", "--period", "last-week"], scratch, env, 0);
    }
    const bot = args.alongside ? await startBot(scratch, env) : undefined;
    const where = bot ? "PGlite held by a running kpi start, reached through its socket" : "PGlite";
    console.log(
      `kpi CLI on the demo (${where}), ${runs} runs each; seconds and peak RSS as min / median / max`,
    );
    console.log("| command | wall s | peak MiB | target | met |");
    console.log("|---|---|---|---|---|");
    for (const c of cases) {
      const results: Run[] = [];
      for (let i = 0; i < runs; i++) results.push(await runOnce(c.argv, scratch, env, c.code));
      const s = results.map((r) => r.seconds);
      const m = results.map((r) => r.maxRssMiB);
      const f = (xs: number[], digits: number) =>
        `${Math.min(...xs).toFixed(digits)} / ${median(xs).toFixed(digits)} / ${Math.max(...xs).toFixed(digits)}`;
      const met = median(s) <= c.targetSeconds ? "met" : "NOT met";
      console.log(`| \`${c.label}\` | ${f(s, 2)} | ${f(m, 0)} | ≤ ${c.targetSeconds} s | ${met} |`);
    }
    if (bot) await stopBot(bot);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

await main();
