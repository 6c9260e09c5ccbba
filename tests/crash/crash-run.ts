import type { CrashWorkspace, Step } from "./crash-workspace.ts";
import { type KpiRun, runKpiChild } from "./kpi-child.ts";

/**
 * Runs the workload's steps as an operator would: each `kpi` command to its end; one killed with
 * SIGKILL is simply run again (and may be killed again). The kills are planned from a seed over
 * the steps' durations in a run without kills.
 *
 * The clock (shifted-clock.mjs): step i starts at `clock` + i × STEP_CLOCK_GAP_MS in every run,
 * so a run with kills sees the same "now" as the run without at the start of each step; a run
 * after a kill starts where the killed one's clock stopped, so time never goes back (figures
 * written by a killed run must stay older than the cards the next run computes, as on a real
 * machine: `kpi db check` compares the two).
 */

/** Steps this far apart on the clock: longer than a step with its restarts takes. */
export const STEP_CLOCK_GAP_MS = 5 * 60_000;

export interface Kill {
  step: string;
  /** The attempt of the step that was killed (1 = its first run). */
  attempt: number;
  afterMs: number;
  /** The last thing the process had printed, to say where in the step it was. */
  lastLine: string;
}

export interface WorkloadRun {
  runs: KpiRun[];
  kills: Kill[];
  /** Wall time of each step's runs together, in step order. */
  stepMs: number[];
  /** Where the clock stopped: what a command run after the workload should start at. */
  clockEnd: Date;
}

/** A kill planned `afterMs` into the first runs of step `step`. */
export interface PlannedKill {
  step: number;
  afterMs: number;
}

/**
 * `count` moments drawn uniformly over the whole run without kills (so a longer step gets more of
 * them), each as an offset into its step.
 */
export function planKills(random: () => number, stepMs: readonly number[], count: number): PlannedKill[] {
  const total = stepMs.reduce((a, b) => a + b, 0);
  const kills: PlannedKill[] = [];
  for (let i = 0; i < count; i++) {
    let at = random() * total;
    let step = 0;
    while (step < stepMs.length - 1 && at >= stepMs[step]!) at -= stepMs[step++]!;
    kills.push({ step, afterMs: Math.round(at) });
  }
  return kills;
}

export interface RunOptions {
  /** When the first step starts, on the children's clock. */
  clock: Date;
  plan?: readonly PlannedKill[];
  /** Draws the moment of a kill that could not land where planned (its run ended first). */
  random?: () => number;
  /** Durations of the run without kills, to draw those moments from. */
  referenceMs?: readonly number[];
  onKill?: (kill: Kill) => void;
}

export async function runWorkload(
  workspace: CrashWorkspace,
  steps: readonly Step[],
  options: RunOptions,
): Promise<WorkloadRun> {
  const runs: KpiRun[] = [];
  const kills: Kill[] = [];
  const stepMs: number[] = [];
  const random = options.random ?? Math.random;
  let clock = options.clock.getTime();
  // The machine may run this slower or faster than it ran the run without kills (a loaded CI
  // runner, other tests beside it): planned moments are scaled by how fast the steps finished so
  // far, and a step's own last finished run, once there is one, bounds the moments drawn for it.
  const finishedMs: number[] = [];
  const speed = () => {
    let [ran, reference] = [0, 0];
    for (const [step, ms] of finishedMs.entries()) {
      if (ms === undefined || options.referenceMs?.[step] === undefined) continue;
      ran += ms;
      reference += options.referenceMs[step]!;
    }
    return ran > 0 && reference > 0 ? ran / reference : 1;
  };
  // Kills whose run ended before their moment: they move on to the next step, drawn afresh.
  let carried = 0;
  const redraw = (step: number) =>
    Math.round(random() * (finishedMs[step] ?? (options.referenceMs?.[step] ?? 1000) * speed()));
  const runStep = async (index: number, pending: number[]) => {
    const step = steps[index]!;
    let ms = 0;
    for (let attempt = 1; ; attempt++) {
      const killAfterMs = pending.shift();
      const run = await runKpiChild(step.args, {
        cwd: workspace.dir,
        env: { ...workspace.env, KPI_CRASH_CLOCK: new Date(clock).toISOString() },
        ...(killAfterMs === undefined ? {} : { killAfterMs }),
      });
      runs.push(run);
      ms += run.ms;
      clock += Math.ceil(run.ms) + 1000;
      if (run.killed) {
        const kill = { step: step.name, attempt, afterMs: killAfterMs ?? 0, lastLine: lastLine(run.stdout) };
        kills.push(kill);
        options.onKill?.(kill);
        continue;
      }
      if (run.code !== 0) {
        throw new Error(
          `kpi ${step.args.join(" ")} (attempt ${attempt}, after ${kills.length} kills) exited ${run.code}:\n` +
            `${run.stdout.slice(-2000)}\n${run.stderr.slice(-4000)}`,
        );
      }
      carried += (killAfterMs === undefined ? 0 : 1) + pending.length;
      finishedMs[index] = run.ms;
      return ms;
    }
  };
  for (const [index] of steps.entries()) {
    clock = Math.max(clock, options.clock.getTime() + index * STEP_CLOCK_GAP_MS);
    const scale = speed();
    const pending = (options.plan ?? [])
      .filter((k) => k.step === index)
      .map((k) => Math.round(k.afterMs * scale));
    for (; carried > 0; carried--) pending.push(redraw(index));
    stepMs.push(await runStep(index, pending));
  }
  // Kills left over at the end: the last step (the daily cycle) again, as often as it takes.
  const last = steps.length - 1;
  for (let rounds = 0; carried > 0 && rounds < 20; rounds++) {
    const pending: number[] = [];
    for (; carried > 0; carried--) pending.push(redraw(last));
    stepMs[last]! += await runStep(last, pending);
  }
  clock = Math.max(clock, options.clock.getTime() + steps.length * STEP_CLOCK_GAP_MS);
  return { runs, kills, stepMs, clockEnd: new Date(clock) };
}

function lastLine(text: string): string {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return (lines.at(-1) ?? "(nothing printed yet)").slice(0, 160);
}
