import { InvalidInput, RollupError } from "../engine/index.ts";
import { DataDirLocked } from "../store/data-dir-lock.ts";
import type { Output } from "./options.ts";
import * as usages from "./usage.ts";

/** The `kpi` command: one file per sub-command, this one only dispatches and reports errors. */

/** A command resolves to nothing when it did its job (exit 0), or to the exit code it chose. */
type Command = (args: string[], out: Output) => Promise<unknown>;

/**
 * Each command's module is loaded when it runs, not before: `kpi import` has no use for the chat
 * SDKs or the chart renderer, and loading every command took seconds before any work began.
 */
const commands: Record<string, { load: () => Promise<Command>; usage: string }> = {
  score: { load: async () => (await import("./score.ts")).scoreCommand, usage: usages.scoreUsage },
  metrics: { load: async () => (await import("./metrics.ts")).metricsCommand, usage: usages.metricsUsage },
  db: { load: async () => (await import("./db.ts")).dbCommand, usage: usages.dbUsage },
  demo: { load: async () => (await import("./demo.ts")).demoCommand, usage: usages.demoUsage },
  chat: { load: async () => (await import("./chat.ts")).chatCommand, usage: usages.chatUsage },
  digest: { load: async () => (await import("./digest.ts")).digestCommand, usage: usages.digestUsage },
  import: { load: async () => (await import("./import.ts")).importCommand, usage: usages.importUsage },
  pull: { load: async () => (await import("./pull.ts")).pullCommand, usage: usages.pullUsage },
  start: { load: async () => (await import("./start.ts")).startCommand, usage: usages.startUsage },
  init: { load: async () => (await import("./init.ts")).initCommand, usage: usages.initUsage },
  roster: { load: async () => (await import("./roster.ts")).rosterCommand, usage: usages.rosterUsage },
};

function usage(): string {
  return ["usage:", ...Object.values(commands).map((c) => `  ${c.usage.replace(/\n/g, "\n  ")}`)].join("\n");
}

export const consoleOutput: Output = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
};

/**
 * Runs the CLI; returns the exit code: 0 done, 2 the user's input was wrong, 1 our fault (or,
 * for a check, what it found wrong).
 */
export async function main(argv: string[], out: Output = consoleOutput): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    out.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    out.stderr(`kpi: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  if (args.includes("--help") || args.includes("-h")) {
    out.stdout(command.usage);
    return 0;
  }
  try {
    const run = await command.load();
    const code = await run(args, out);
    return typeof code === "number" ? code : 0;
  } catch (error) {
    if (error instanceof InvalidInput || error instanceof RollupError || error instanceof DataDirLocked) {
      out.stderr(`kpi ${name}: ${error.message}`);
      return 2;
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      out.stderr(`kpi ${name}: ${error.message}\n${command.usage}`);
      return 2;
    }
    throw error;
  }
}
