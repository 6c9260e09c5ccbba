import { InvalidInput, RollupError } from "../engine/index.ts";
import { DataDirLocked } from "../store/data-dir-lock.ts";
import { chatCommand, chatUsage } from "./chat.ts";
import { dbCommand, dbUsage } from "./db.ts";
import { demoCommand, demoUsage } from "./demo.ts";
import { digestCommand, digestUsage } from "./digest.ts";
import { importCommand, importUsage } from "./import.ts";
import { metricsCommand, metricsUsage } from "./metrics.ts";
import type { Output } from "./options.ts";
import { pullCommand, pullUsage } from "./pull.ts";
import { scoreCommand, scoreUsage } from "./score.ts";
import { startCommand, startUsage } from "./start.ts";

/** The `kpi` command: one file per sub-command, this one only dispatches and reports errors. */

/** A command resolves to nothing when it did its job (exit 0), or to the exit code it chose. */
type Command = (args: string[], out: Output) => Promise<unknown>;

const commands: Record<string, { run: Command; usage: string }> = {
  score: { run: scoreCommand, usage: scoreUsage },
  metrics: { run: metricsCommand, usage: metricsUsage },
  db: { run: dbCommand, usage: dbUsage },
  demo: { run: demoCommand, usage: demoUsage },
  chat: { run: chatCommand, usage: chatUsage },
  digest: { run: digestCommand, usage: digestUsage },
  import: { run: importCommand, usage: importUsage },
  pull: { run: pullCommand, usage: pullUsage },
  start: { run: startCommand, usage: startUsage },
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
    const code = await command.run(args, out);
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
