import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** The bot of bench/commands/bot-process.ts in a child process, and the figures of its /metrics. */
export interface BotChild {
  url: string;
  stop(): Promise<void>;
}

export function startBot(env: Record<string, string>): Promise<BotChild> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_BOT_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_BOT_PROF}`] : []),
      "--import",
      "tsx",
      join(import.meta.dirname, "bot-process.ts"),
    ],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (!line) return;
      child.stdout.removeAllListeners("data");
      resolve({
        url: (JSON.parse(line) as { url: string }).url,
        async stop() {
          child.kill("SIGTERM");
          await exited;
        },
      });
    });
    child.once("exit", (code) => reject(new Error(`the bot process exited (${code}) before listening`)));
  });
}

/** What the bench reads of the bot's Prometheus text: CPU, event-loop lag, command times. */
export interface BotFigures {
  cpuSeconds: number;
  lagP99Seconds: number;
  commandSecondsSum: number;
  commands: number;
}

export async function botFigures(url: string): Promise<BotFigures> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sum = (name: string) =>
    text
      .split("\n")
      .filter((line) => line.startsWith(name) && (line[name.length] === " " || line[name.length] === "{"))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
  return {
    cpuSeconds: sum("process_cpu_seconds_total"),
    lagP99Seconds: sum("nodejs_eventloop_lag_p99_seconds"),
    commandSecondsSum: sum("kpi_command_seconds_sum"),
    commands: sum("kpi_command_seconds_count"),
  };
}

/** The machine's busy CPU seconds so far (all cores, from /proc/stat): bot, PostgreSQL and load together. */
export async function machineBusySeconds(): Promise<number> {
  const cpu = (await readFile("/proc/stat", "utf8")).split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …: idle and iowait are not busy.
  const busy = cpu.reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + v), 0);
  return busy / 100;
}
