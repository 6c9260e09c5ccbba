import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChartAnswer, ChartRequest } from "./chart-worker.ts";
import type { TrendChart } from "./trend-chart.ts";

/** Draws a digest's trend chart as PNG bytes. */
export type ChartRenderer = (chart: TrendChart) => Uint8Array | Promise<Uint8Array>;

/**
 * The trend chart renderer, loaded on the first chart drawn: ECharts, resvg and the CJK font
 * cost the process about 50 MB and over half a second, which a command that draws no chart never
 * needs. For a one-off command (`kpi digest`).
 */
export function lazyChartRenderer(): ChartRenderer {
  let loading: Promise<(chart: TrendChart) => Uint8Array> | undefined;
  return async (chart) => {
    loading ??= import("./trend-chart.ts").then((module) => module.renderTrendChart);
    return (await loading)(chart);
  };
}

/** The worker's entry: the compiled one in dist/, or a tsx bootstrap when running from sources. */
const workerEntry = fileURLToPath(
  import.meta.url.endsWith(".ts")
    ? new URL("./chart-worker-tsx.mjs", import.meta.url)
    : new URL("./chart-worker.js", import.meta.url),
);

/**
 * For the running bot: charts are drawn in a child process (chart-worker.ts) started on the first
 * chart and ended once no chart has been asked for `idleMs`. The weekly and monthly digests draw
 * a few charts at a time, days apart; in between the bot does not keep ECharts, resvg and the
 * font resident (about 50 MB), as it would once it had imported them itself.
 */
export interface ChartProcess {
  /**
   * Starts the process now, so that it loads ECharts and resvg on the other core while this one
   * opens the database; it ends `idleMs` after its last chart, or at `release`.
   */
  warm(): void;
  /** Ends the process if no chart is being drawn (the next chart starts another). */
  release(): Promise<void>;
  close(): Promise<void>;
}

export function chartWorkerRenderer(idleMs = 3_000): ChartRenderer & ChartProcess {
  let worker: ChildProcess | undefined;
  let nextId = 0;
  let idle: NodeJS.Timeout | undefined;
  const pending = new Map<number, { resolve: (png: Uint8Array) => void; reject: (error: Error) => void }>();
  const end = async () => {
    clearTimeout(idle);
    const ending = worker;
    worker = undefined;
    if (!ending || ending.exitCode !== null || ending.signalCode !== null) return;
    const exited = new Promise((resolve) => ending.once("exit", resolve));
    // Waiting for it to exit keeps this process alive even if it was unreferenced.
    ending.ref();
    ending.kill();
    await exited;
  };
  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  const started = (): ChildProcess => {
    if (worker) return worker;
    // Advanced serialisation: the PNG comes back as bytes, not as JSON.
    const fresh = fork(workerEntry, [], {
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    fresh.on("message", (answer: ChartAnswer) => {
      const waiting = pending.get(answer.id);
      pending.delete(answer.id);
      if ("png" in answer) waiting?.resolve(answer.png);
      else waiting?.reject(new Error(`drawing a trend chart failed: ${answer.error}`));
      if (pending.size === 0) {
        // Waiting for the next chart keeps no process alive.
        fresh.unref();
        fresh.channel?.unref();
        idle = setTimeout(() => void end(), idleMs);
        idle.unref();
      }
    });
    fresh.on("error", (error) => {
      if (worker === fresh) worker = undefined;
      failAll(error);
    });
    fresh.on("exit", (code) => {
      clearTimeout(idle);
      if (worker === fresh) worker = undefined;
      if (pending.size > 0) failAll(new Error(`the chart worker stopped (exit code ${code})`));
    });
    worker = fresh;
    return fresh;
  };
  const render = (chart: TrendChart) =>
    new Promise<Uint8Array>((resolve, reject) => {
      clearTimeout(idle);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const drawing = started();
      drawing.ref();
      drawing.channel?.ref();
      drawing.send({ id, chart } satisfies ChartRequest);
    });
  return Object.assign(render, {
    warm: () => {
      const warming = started();
      warming.unref();
      warming.channel?.unref();
    },
    release: async () => {
      if (pending.size === 0) await end();
    },
    close: end,
  });
}
