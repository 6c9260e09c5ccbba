import { spawn } from "node:child_process";
import { join } from "node:path";
import { KPI_BIN } from "../support/kpi-process.ts";

/**
 * One run of the built `kpi` in a child process, on the crash tests' clock (shifted-clock.mjs),
 * which the test may `kill -9` after a delay, as an operator's machine would lose it.
 */

const SHIFTED_CLOCK = join(import.meta.dirname, "shifted-clock.mjs");

export interface KpiRun {
  args: string[];
  /** Null when the process was killed. */
  code: number | null;
  killed: boolean;
  /** From spawn to exit. */
  ms: number;
  stdout: string;
  stderr: string;
}

export interface KpiRunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** SIGKILL after this many milliseconds, unless the process has exited by then. */
  killAfterMs?: number;
  /**
   * SIGKILL as soon as this resolves true (a test watching the database); the watcher should
   * give up (resolve false) once `exited()` says the process is gone.
   */
  killWhen?: (child: { stdout: () => string; exited: () => boolean }) => Promise<boolean>;
}

export function runKpiChild(args: string[], options: KpiRunOptions): Promise<KpiRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", SHIFTED_CLOCK, KPI_BIN, ...args], {
      cwd: options.cwd,
      env: options.env,
    });
    let stdout = "";
    let stderr = "";
    let exited = false;
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const kill = () => {
      if (!exited) child.kill("SIGKILL");
    };
    const timer = options.killAfterMs === undefined ? undefined : setTimeout(kill, options.killAfterMs);
    options.killWhen?.({ stdout: () => stdout, exited: () => exited }).then(
      (now) => {
        if (now) kill();
      },
      (error: unknown) => {
        kill();
        reject(error);
      },
    );
    child.on("error", reject);
    child.on("exit", () => {
      exited = true;
      clearTimeout(timer);
    });
    child.on("close", (code, signal) => {
      resolve({
        args,
        code,
        killed: signal === "SIGKILL",
        ms: performance.now() - started,
        stdout,
        stderr,
      });
    });
  });
}
