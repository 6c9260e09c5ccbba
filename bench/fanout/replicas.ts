import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";

/** What a replica (replica.ts) tells its parent. */
export interface ReplicaMessage {
  ready?: true;
  queued?: number;
  ms?: number;
  stopped?: true;
  cpuMs?: number;
  lagP99Ms?: number;
  lagMaxMs?: number;
}

export interface Replica {
  child: ChildProcess;
  /** The replica's next message. */
  next(): Promise<ReplicaMessage>;
  /** Waits up to 5 s for it to exit on its own (a --cpu-prof profile is written at exit), then kills it. */
  end(): Promise<void>;
}

/** A bot replica in a process of its own; BENCH_PROF=dir writes its CPU profile there. */
export function startReplica(env: Record<string, string>): Replica {
  const child = fork(join(import.meta.dirname, "replica.ts"), [], {
    execArgv: [
      ...(process.env.BENCH_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
      "--import",
      "tsx",
    ],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const inbox: ReplicaMessage[] = [];
  const waiting: ((m: ReplicaMessage) => void)[] = [];
  child.on("message", (m: ReplicaMessage) => {
    const waiter = waiting.shift();
    if (waiter) waiter(m);
    else inbox.push(m);
  });
  return {
    child,
    next: () =>
      new Promise((resolve, reject) => {
        const m = inbox.shift();
        if (m) return resolve(m);
        waiting.push(resolve);
        child.once("exit", (code) => reject(new Error(`a replica exited (${code})`)));
      }),
    async end() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
