import { readFileSync } from "node:fs";
import { InvalidInput, RollupError } from "../engine/errors.ts";
import { DataDirLocked } from "../store/data-dir-lock.ts";
import { checkArgs, didYouMean, UsageError } from "./arg-check.ts";
import type { CommandSpec } from "./command-options.ts";
import * as specs from "./command-options.ts";
import { boundHeapGrowth } from "./heap-growth.ts";
import type { Output } from "./options.ts";
import * as usages from "./usage.ts";

/** The `kpi` command: one file per sub-command, this one only dispatches and reports errors. */

/** A command resolves to nothing when it did its job (exit 0), or to the exit code it chose. */
type Command = (args: string[], out: Output) => Promise<unknown>;

interface CommandEntry {
  load: () => Promise<Command>;
  usage: string;
  /** Checked before `load`: a wrong flag or value is answered without loading the command. */
  spec?: CommandSpec;
}

/**
 * Each command's module is loaded when it runs, not before: `kpi import` has no use for the chat
 * SDKs or the chart renderer, and loading every command took seconds before any work began.
 */
const commands: Record<string, CommandEntry> = {
  score: {
    load: async () => (await import("./score.ts")).scoreCommand,
    usage: usages.scoreUsage,
    spec: specs.scoreSpec,
  },
  metrics: {
    load: async () => (await import("./metrics.ts")).metricsCommand,
    usage: usages.metricsUsage,
    spec: specs.metricsSpec,
  },
  db: { load: async () => (await import("./db.ts")).dbCommand, usage: usages.dbUsage, spec: specs.dbSpec },
  demo: {
    load: async () => (await import("./demo.ts")).demoCommand,
    usage: usages.demoUsage,
    spec: specs.demoSpec,
  },
  chat: {
    load: async () => (await import("./chat.ts")).chatCommand,
    usage: usages.chatUsage,
    spec: specs.chatSpec,
  },
  digest: {
    load: async () => (await import("./digest.ts")).digestCommand,
    usage: usages.digestUsage,
    spec: specs.digestSpec,
  },
  qa: {
    load: async () => (await import("./qa.ts")).qaCommand,
    usage: usages.qaUsage,
    spec: specs.qaSpec,
  },
  import: {
    load: async () => (await import("./import.ts")).importCommand,
    usage: usages.importUsage,
    spec: specs.importSpec,
  },
  pull: {
    load: async () => (await import("./pull.ts")).pullCommand,
    usage: usages.pullUsage,
    spec: specs.pullSpec,
  },
  start: { load: async () => (await import("./start.ts")).startCommand, usage: usages.startUsage },
  setup: {
    load: async () => (await import("./setup.ts")).setupCommand,
    usage: usages.setupUsage,
    spec: specs.setupSpec,
  },
  doctor: {
    load: async () => (await import("./doctor.ts")).doctorCommand,
    usage: usages.doctorUsage,
    spec: specs.doctorSpec,
  },
  init: {
    load: async () => (await import("./init.ts")).initCommand,
    usage: usages.initUsage,
    spec: specs.initSpec,
  },
  roster: {
    load: async () => (await import("./roster.ts")).rosterCommand,
    usage: usages.rosterUsage,
    spec: specs.rosterSpec,
  },
};

function usage(): string {
  return ["usage:", ...Object.values(commands).map((c) => `  ${c.usage.replace(/\n/g, "\n  ")}`)].join("\n");
}

/** A command's usage line(s): its usage text up to the first blank line. */
function synopsis(name: string, entry: CommandEntry): string {
  return `usage: ${entry.usage.split("\n\n")[0]!.replace(/\n/g, "\n       ")}\n(kpi ${name} --help for every flag)`;
}

function version(): string {
  // dist/cli/ and src/cli/ are both two folders below package.json.
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    name: string;
    version: string;
  };
  return `${pkg.name} ${pkg.version}`;
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
  if (name === "--version" || name === "-V" || name === "version") {
    out.stdout(version());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    out.stderr(unknownCommand(name));
    return 2;
  }
  if (args.includes("--help") || args.includes("-h")) {
    out.stdout(command.usage);
    return 0;
  }
  try {
    if (command.spec) checkArgs(command.spec, args);
    boundHeapGrowth();
    const run = await command.load();
    const code = await run(args, out);
    return typeof code === "number" ? code : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      out.stderr(`kpi ${name}: ${error.message}\n${synopsis(name, command)}`);
      return 2;
    }
    if (error instanceof InvalidInput || error instanceof RollupError || error instanceof DataDirLocked) {
      out.stderr(`kpi ${name}: ${error.message}`);
      return 2;
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      out.stderr(`kpi ${name}: ${error.message}\n${synopsis(name, command)}`);
      return 2;
    }
    throw error;
  }
}

function unknownCommand(name: string): string {
  const names = Object.keys(commands);
  const meant = didYouMean(name.replace(/^-+/, ""), names);
  if (meant)
    return `kpi: unknown command "${name}": did you mean "${meant}"?\n${synopsis(meant, commands[meant]!)}`;
  return `kpi: unknown command "${name}"; the commands are ${names.join(", ")} (kpi help for their usage)`;
}
