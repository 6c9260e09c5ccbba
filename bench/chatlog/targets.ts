/**
 * The chat-log targets of issue 20, each printed beside the figure it judges with met / not met:
 * `--only response` at ≥ 50% of the scan limit on the same threads, ≥ 4 M msgs/s on two threads,
 * ≥ 3× DuckDB thread for thread, peak RSS ≤ 200 MB on two threads; every figure ≥ 2 M msgs/s and
 * ≤ 400 MB.
 */
import type { ResponseRow } from "./response-sql.ts";

export interface Run {
  engine: string;
  /** Median seconds when repeated (range holds the fastest and slowest). */
  seconds: number;
  range?: [number, number];
  peakMiB?: number;
  peakRange?: [number, number];
  /** Per-agent-day figures (none for the scan limit, which computes nothing). */
  rows?: ResponseRow[];
}

const MB = 1e6 / 2 ** 20; // MiB per MB

function line(what: string, figure: string, target: string, met: boolean): void {
  console.log(
    `  ${what.padEnd(44)} ${figure.padStart(18)}   target ${target.padEnd(16)} ${met ? "met" : "NOT MET"}`,
  );
}

export function printTargets(runs: readonly Run[], lines: number, threads: number): void {
  const find = (engine: string) => runs.find((r) => r.engine === engine);
  const label = (n: number) => (n === 1 ? "1 thread" : `${n} threads`);
  const rate = (run: Run) => lines / run.seconds;
  console.log("targets (issue 20):");
  for (const n of threads === 1 ? [1] : [threads, 1]) {
    const ours = find(`ours, CSV, ${label(n)}`);
    const limit = find(`scan limit, ${label(n)}`);
    const duck = find(`DuckDB, ${label(n)}`);
    if (!ours) continue;
    if (limit) {
      const share = limit.seconds / ours.seconds;
      line(
        `--only response, ${label(n)}, of the scan limit`,
        `${(share * 100).toFixed(0)}%`,
        "≥ 50%",
        share >= 0.5,
      );
    }
    if (duck) {
      const times = duck.seconds / ours.seconds;
      line(`--only response, ${label(n)}, vs DuckDB ${label(n)}`, `${times.toFixed(2)}×`, "≥ 3×", times >= 3);
    }
    if (n === 2) {
      line(
        `--only response, 2 threads`,
        `${(rate(ours) / 1e6).toFixed(2)} M msgs/s`,
        "≥ 4 M msgs/s",
        rate(ours) >= 4e6,
      );
      if (ours.peakMiB !== undefined)
        line(
          `--only response, 2 threads, peak RSS`,
          `${(ours.peakMiB / MB).toFixed(0)} MB`,
          "≤ 200 MB",
          ours.peakMiB <= 200 * MB,
        );
    }
  }
  const every = find(`ours, CSV, all figures, ${label(threads)}`);
  if (every) {
    line(
      `every figure, ${label(threads)}`,
      `${(rate(every) / 1e6).toFixed(2)} M msgs/s`,
      "≥ 2 M msgs/s",
      rate(every) >= 2e6,
    );
    if (every.peakMiB !== undefined)
      line(
        `every figure, ${label(threads)}, peak RSS`,
        `${(every.peakMiB / MB).toFixed(0)} MB`,
        "≤ 400 MB",
        every.peakMiB <= 400 * MB,
      );
  }
}
