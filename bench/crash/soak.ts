/**
 * The random-kill test at length (tests/crash/random-kill.test.ts runs 10 kills per database in
 * CI): the same workload (imports, the demo load, a corrected export, `kpi start --once`), once
 * without kills as the reference, then in rounds of `--per-round` kills, each round on a fresh
 * database, until `--kills` kills are spent; each round's final state is compared with the
 * reference's and `kpi db check` must exit 0. Prints every kill with what the process had printed
 * last, and a summary: rounds equal, rounds that differ (by table), the time per round.
 *
 *   npm run build && npx tsx bench/crash/soak.ts [--kills 200] [--per-round 20] [--db pglite|postgres|both] [--seed N]
 *
 * Needs the build (dist/): the kills hit the `kpi` command a user runs.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { planKills, runWorkload, type WorkloadRun } from "../../tests/crash/crash-run.ts";
import {
  type CrashWorkspace,
  crashClock,
  crashWorkspace,
  WORKLOAD,
} from "../../tests/crash/crash-workspace.ts";
import { type FinalState, readFinalState, stateDifferences } from "../../tests/crash/final-state.ts";
import { runKpiChild } from "../../tests/crash/kpi-child.ts";
import { crashSeed, seededRandom } from "../../tests/crash/seeded-random.ts";
import { type PostgresServer, startPostgres, withDatabase } from "../../tests/support/postgres.ts";

const { values: args } = parseArgs({
  options: {
    kills: { type: "string", default: "200" },
    "per-round": { type: "string", default: "20" },
    db: { type: "string", default: "both" },
    seed: { type: "string" },
  },
});
const totalKills = Number(args.kills);
const perRound = Math.max(1, Number(args["per-round"]));
if (!["pglite", "postgres", "both"].includes(args.db)) throw new Error("--db is pglite, postgres or both");
const kinds = args.db === "both" ? (["pglite", "postgres"] as const) : [args.db as "pglite" | "postgres"];
const seed = crashSeed({ KPI_CRASH_SEED: args.seed });
const clock = crashClock();

interface Round {
  kind: string;
  seed: number;
  kills: number;
  seconds: number;
  checkCode: number | null;
  differences: string[];
}

async function workspaceOn(kind: "pglite" | "postgres", server: PostgresServer | undefined) {
  if (kind === "pglite" || !server) return crashWorkspace();
  const name = `kpi_soak_${randomBytes(4).toString("hex")}`;
  await withDatabase(server.url, (sql) => sql.unsafe(`CREATE DATABASE ${name}`));
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return crashWorkspace({
    url: url.toString(),
    drop: () =>
      withDatabase(server.url, (sql) => sql.unsafe(`DROP DATABASE ${name} WITH (FORCE)`)).then(() => {}),
  });
}

async function dbCheck(workspace: CrashWorkspace, run: WorkloadRun) {
  return runKpiChild(["db", "check"], {
    cwd: workspace.dir,
    env: { ...workspace.env, KPI_CRASH_CLOCK: run.clockEnd.toISOString() },
  });
}

const seconds = (run: WorkloadRun) => run.runs.reduce((s, r) => s + r.ms, 0) / 1000;

async function soak(kind: "pglite" | "postgres", server: PostgresServer | undefined): Promise<Round[]> {
  const reference = await workspaceOn(kind, server);
  let expected: FinalState;
  let referenceMs: number[];
  try {
    const run = await runWorkload(reference, WORKLOAD, { clock });
    referenceMs = run.stepMs;
    expected = await readFinalState(reference.store);
    console.log(
      `\n${kind}: without kills ${seconds(run).toFixed(1)} s (${WORKLOAD.map((s, i) => `${s.name} ${(run.stepMs[i]! / 1000).toFixed(1)} s`).join(", ")})`,
    );
  } finally {
    await reference.remove();
  }
  const rounds: Round[] = [];
  for (let spent = 0, round = 1; spent < totalKills; round++) {
    const kills = Math.min(perRound, totalKills - spent);
    const roundSeed = seed + round;
    const random = seededRandom(roundSeed);
    const workspace = await workspaceOn(kind, server);
    try {
      const run = await runWorkload(workspace, WORKLOAD, {
        clock,
        plan: planKills(random, referenceMs, kills),
        random,
        referenceMs,
        onKill: (k) =>
          console.log(`  ${kind} round ${round}: ${k.step} #${k.attempt} at ${k.afterMs} ms: ${k.lastLine}`),
      });
      const check = await dbCheck(workspace, run);
      const differences = stateDifferences(expected, await readFinalState(workspace.store));
      rounds.push({
        kind,
        seed: roundSeed,
        kills: run.kills.length,
        seconds: seconds(run),
        checkCode: check.code,
        differences,
      });
      console.log(
        `${kind} round ${round} (seed ${roundSeed}): ${run.kills.length} kills, ${seconds(run).toFixed(1)} s, ` +
          `db check ${check.code}, ${differences.length === 0 ? "same final state" : `DIFFERS:\n${differences.join("\n")}`}`,
      );
      spent += run.kills.length;
    } finally {
      await workspace.remove();
    }
  }
  return rounds;
}

console.log(
  `crash soak: ${totalKills} kills per database in rounds of ${perRound}, seed ${seed}, clock ${clock.toISOString()}\n` +
    `  (npx tsx bench/crash/soak.ts --kills ${totalKills} --per-round ${perRound} --db ${args.db} --seed ${seed})`,
);
const server = kinds.includes("postgres") ? await startPostgres() : undefined;
const all: Round[] = [];
try {
  for (const kind of kinds) all.push(...(await soak(kind, server)));
} finally {
  await server?.stop();
}
console.log("\nsummary");
for (const kind of kinds) {
  const rounds = all.filter((r) => r.kind === kind);
  const bad = rounds.filter((r) => r.differences.length > 0 || r.checkCode !== 0);
  const kills = rounds.reduce((n, r) => n + r.kills, 0);
  const secs = rounds.map((r) => r.seconds).sort((a, b) => a - b);
  console.log(
    `  ${kind}: ${kills} kills in ${rounds.length} rounds; ${rounds.length - bad.length} ended as the run without kills, ` +
      `${bad.length} did not; a round took ${secs[0]?.toFixed(0)}–${secs.at(-1)?.toFixed(0)} s ` +
      `(median ${secs[Math.floor((secs.length - 1) / 2)]?.toFixed(0)} s)`,
  );
  for (const r of bad)
    console.log(
      `    seed ${r.seed}: db check ${r.checkCode}; ${r.differences.map((d) => d.split("\n")[0]).join("; ") || "state equal"}` +
        ` (again: --db ${kind} --seed ${r.seed - 1} --kills ${r.kills} --per-round ${r.kills})`,
    );
}
process.exitCode = all.some((r) => r.differences.length > 0 || r.checkCode !== 0) ? 1 : 0;
