/**
 * A child process watched as it runs: its stdout line by line with the time since spawn, and its
 * resident memory sampled from /proc/<pid>/status on a timer: VmRSS of the process and of every
 * process it started (the bot draws charts in a short-lived child), the peak being the higher of
 * the process's own VmHWM and the most the tree held at a sample. Linux only, like the machine
 * the figures are taken on.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export interface Sample {
  /** Seconds since spawn. */
  at: number;
  rssMB: number;
  peakMB: number;
}

export interface Watched {
  child: ChildProcess;
  samples: Sample[];
  /** Seconds since spawn of the first stdout line matching `pattern` (resolves when it comes). */
  lineAt(pattern: RegExp, timeoutMs: number): Promise<number>;
  /** Reads the memory now (also sampled on the timer). */
  sample(): Sample | undefined;
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** /proc reports kB (KiB); the targets are in MB. */
const KIB_IN_MB = 1024 / 1e6;

/** VmRSS and VmHWM of a live process, in MB (10⁶ bytes, as the targets are); undefined once it has gone. */
export function memoryOf(pid: number): { rssMB: number; peakMB: number } | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { rssMB: kib("VmRSS") * KIB_IN_MB, peakMB: kib("VmHWM") * KIB_IN_MB };
}

/** The process ids below `pid`, children first found through /proc/<pid>/task/<tid>/children. */
function descendantsOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children = tasks.flatMap((tid) => {
    try {
      return readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ").filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

/** Resident memory of a process and its descendants, and the peak as described above. */
function treeMemoryOf(pid: number, mostSoFar: number): { rssMB: number; peakMB: number } | undefined {
  const own = memoryOf(pid);
  if (!own) return undefined;
  const rssMB = descendantsOf(pid).reduce((sum, child) => sum + (memoryOf(child)?.rssMB ?? 0), own.rssMB);
  return { rssMB, peakMB: Math.max(own.peakMB, rssMB, mostSoFar) };
}

export function watchProcess(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; everyMs: number },
): Watched {
  const started = performance.now();
  const since = () => (performance.now() - started) / 1000;
  const child = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const samples: Sample[] = [];
  const lines: { at: number; text: string }[] = [];
  const waiters: { pattern: RegExp; resolve: (at: number) => void }[] = [];
  let partial = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    const at = since();
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() ?? "";
    for (const text of parts) {
      lines.push({ at, text });
      for (const waiter of waiters.filter((w) => w.pattern.test(text))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(at);
      }
    }
  });
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    // Keep the tail only: the log of an idle hour is long.
    stderr = (stderr + chunk).slice(-20_000);
  });
  const sample = () => {
    const mostSoFar = samples.at(-1)?.peakMB ?? 0;
    const memory = child.pid === undefined ? undefined : treeMemoryOf(child.pid, mostSoFar);
    if (!memory) return undefined;
    const taken = { at: since(), ...memory };
    samples.push(taken);
    return taken;
  };
  const timer = setInterval(sample, options.everyMs);
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      clearInterval(timer);
      resolve(code);
    }),
  );
  return {
    child,
    samples,
    sample,
    stderr: () => stderr,
    lineAt(pattern, timeoutMs) {
      const seen = lines.find((line) => pattern.test(line.text));
      if (seen) return Promise.resolve(seen.at);
      return new Promise((resolve, reject) => {
        const timeout = setTimeout(() => {
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stderr:\n${stderr}`));
        }, timeoutMs);
        waiters.push({
          pattern,
          resolve: (at) => {
            clearTimeout(timeout);
            resolve(at);
          },
        });
        exited.then((code) => {
          clearTimeout(timeout);
          reject(new Error(`exited ${code} before a line matching ${pattern}; stderr:\n${stderr}`));
        });
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
