import { afterAll, describe, expect, it } from "vitest";
import { freshPostgresDatabase, STORE_KINDS, type StoreKind } from "../support/stores.ts";
import { planKills, runWorkload, type WorkloadRun } from "./crash-run.ts";
import { type CrashWorkspace, crashClock, crashWorkspace, WORKLOAD } from "./crash-workspace.ts";
import { digestAttempts, type FinalState, readFinalState, stateDifferences } from "./final-state.ts";
import { runKpiChild } from "./kpi-child.ts";
import { crashSeed, seededRandom } from "./seeded-random.ts";

/**
 * Issue 16's acceptance: imports, the demo load and the bot's daily cycle, run as `kpi` commands,
 * `kill -9`ed at random moments and run again, end exactly where the same commands end without
 * kills: the same figures and scorecards, every digest queued once and sent, nothing owed, and
 * `kpi db check` exits 0. On PGlite and on PostgreSQL. The moments come from a seed printed below:
 * KPI_CRASH_SEED=<seed> draws them again; KPI_CRASH_KILLS sets how many (default 10 per database,
 * 20 in all, which fits the five minutes CI allows; bench/crash/soak.ts runs hundreds). Both runs
 * see the same clock at the start of each step (crash-run.ts, shifted-clock.mjs).
 */

const KILLS = Number(process.env.KPI_CRASH_KILLS ?? 10);
const seed = crashSeed();
const clock = crashClock();
console.log(
  `crash test: seed ${seed}, ${KILLS} kills per database, clock ${clock.toISOString()} ` +
    `(replay: KPI_CRASH_SEED=${seed} KPI_CRASH_KILLS=${KILLS} npx vitest run tests/crash/random-kill.test.ts)`,
);

const workspaces: CrashWorkspace[] = [];
afterAll(async () => {
  for (const w of workspaces) await w.remove();
});

async function workspaceOn(kind: StoreKind): Promise<CrashWorkspace> {
  const workspace = crashWorkspace(kind === "postgres" ? await freshPostgresDatabase() : undefined);
  workspaces.push(workspace);
  return workspace;
}

/** The digests the console printed over all runs (a team's channel is where they go), per team. */
function printedDigests(run: WorkloadRun): Map<string, number> {
  const printed = new Map<string, number>();
  for (const { stdout } of run.runs)
    for (const [, team] of stdout.matchAll(/^── # (\S+) ──$/gm))
      printed.set(team!, (printed.get(team!) ?? 0) + 1);
  return printed;
}

const digestRows = (state: FinalState) => state.outbox!.filter((row) => row.startsWith("digest"));

describe.each(STORE_KINDS)("kill -9 at random moments on %s", (kind) => {
  let reference: { run: WorkloadRun; state: FinalState };

  it("runs the workload without kills: digests and nudges sent once, nothing owed", async () => {
    const workspace = await workspaceOn(kind);
    const run = await runWorkload(workspace, WORKLOAD, { clock });
    const state = await readFinalState(workspace.store);
    reference = { run, state };
    console.log(
      `${kind}, without kills: ${WORKLOAD.map((s, i) => `${s.name} ${(run.stepMs[i]! / 1000).toFixed(1)} s`).join(", ")}`,
    );
    expect(run.runs.at(-1)!.stdout).toContain("outbox: every message due has been sent");
    const check = await runKpiChild(["db", "check"], {
      cwd: workspace.dir,
      env: { ...workspace.env, KPI_CRASH_CLOCK: run.clockEnd.toISOString() },
    });
    expect(check.code, check.stdout).toBe(0);
    expect(state.owedScoring).toEqual([]);
    expect(digestRows(state).length).toBeGreaterThanOrEqual(4);
    expect(state.outbox!.every((row) => row.includes(" | sent | "))).toBe(true);
    const attempts = await digestAttempts(workspace.store);
    expect(Object.fromEntries(printedDigests(run))).toEqual(
      Object.fromEntries([...attempts].map(([team, a]) => [team, a.messages])),
    );
    expect(state.scorecards!.length).toBeGreaterThan(1000);
  }, 480_000);

  it(`ends where the run without kills ends after ${KILLS} kills, each step run again`, async () => {
    const workspace = await workspaceOn(kind);
    const random = seededRandom(seed + (kind === "postgres" ? 1 : 0));
    const plan = planKills(random, reference.run.stepMs, KILLS);
    const run = await runWorkload(workspace, WORKLOAD, {
      clock,
      plan,
      random,
      referenceMs: reference.run.stepMs,
    });
    console.log(
      `${kind}, with kills (seed ${seed}): ${run.kills.length} kills, ` +
        `${WORKLOAD.map((s, i) => `${s.name} ${(run.stepMs[i]! / 1000).toFixed(1)} s`).join(", ")}\n` +
        run.kills.map((k) => `  ${k.step} #${k.attempt} at ${k.afterMs} ms: ${k.lastLine}`).join("\n"),
    );
    expect(run.kills.length).toBe(KILLS);

    const check = await runKpiChild(["db", "check"], {
      cwd: workspace.dir,
      env: { ...workspace.env, KPI_CRASH_CLOCK: run.clockEnd.toISOString() },
    });
    expect(check.stdout).toContain("owed re-scores: none");
    expect(check.code, check.stdout).toBe(0);

    const state = await readFinalState(workspace.store);
    expect(stateDifferences(reference.state, state)).toEqual([]);
    // Every digest in the outbox once (its key is unique) and sent, printed once: again only if a
    // kill cut its sending short (the console cannot look whether it got there; Slack can).
    expect(digestRows(state)).toEqual(digestRows(reference.state));
    const attempts = await digestAttempts(workspace.store);
    for (const [team, times] of printedDigests(run)) {
      const { messages, attempts: tried } = attempts.get(team) ?? { messages: 0, attempts: 0 };
      expect(times, `digests printed to # ${team}`).toBeGreaterThanOrEqual(messages);
      expect(times, `digests printed to # ${team}`).toBeLessThanOrEqual(tried);
    }
    expect([...printedDigests(run).keys()].sort()).toEqual([...attempts.keys()].sort());
  }, 480_000);
});
