import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

/** The real `kpi` binary in a child process, as a user runs it (dist/ when built). */
export const KPI_BIN = join(import.meta.dirname, "../../bin/kpi.js");

/**
 * The environment of a child on the embedded default: no DATABASE_URL or KPI_CONFIG from the test
 * run itself, English messages, any free port, plus `extra`.
 */
export function embeddedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _, KPI_CONFIG: __, ...rest } = process.env;
  // Port 0: a bot started by a test listens on a free port, never on another test's.
  return { ...rest, KPI_LANG: "en", KPI_PORT: "0", ...extra };
}

export function runKpi(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KPI_BIN, ...args], options);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Resolves with what a running child printed on stdout once it has printed `text`. */
export function waitFor(child: ChildProcess, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    child.stdout!.on("data", (d) => {
      seen += d;
      if (seen.includes(text)) resolve(seen);
    });
    child.on("close", () => reject(new Error(`exited before printing "${text}":\n${seen}`)));
  });
}
