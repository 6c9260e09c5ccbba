import { InvalidInput } from "../engine/index.ts";
import { createLog, LOG_FORMATS, type Log, type LogFormat } from "../log.ts";
import { choice } from "./options.ts";

/**
 * How a command that runs the bot logs. On a terminal the log is for a person: human lines on
 * stderr, and only warnings and errors unless --verbose, so the console's story reads on its own.
 * Anywhere else (a pipe, a file, a container) it is for machines: JSON lines on stderr, info and
 * up. --log-format (or KPI_LOG_FORMAT) json|pretty chooses either way; KPI_LOG_LEVEL sets the level.
 */

/** For parseArgs: the options every command with a log takes. */
export const LOG_OPTIONS = {
  verbose: { type: "boolean", default: false },
  "log-format": { type: "string" },
} as const;

export interface LogSettings {
  format: LogFormat;
  level: string;
}

export function logSettings(
  values: { verbose?: boolean | undefined; "log-format"?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
  terminal: boolean = process.stdout.isTTY === true,
): LogSettings {
  const format = formatOf(values["log-format"], env.KPI_LOG_FORMAT, terminal);
  // A terminal's person reads the story; the info lines are for --verbose (or a JSON log).
  const quiet = terminal && format === "pretty" && !values.verbose;
  return { format, level: env.KPI_LOG_LEVEL || (quiet ? "warn" : "info") };
}

/** The bot's log as the settings say, on stderr: stdout is the console's. */
export function logFor(settings: LogSettings, destination: NodeJS.WritableStream = process.stderr): Log {
  return createLog({ format: settings.format, level: settings.level, destination });
}

function formatOf(option: string | undefined, variable: string | undefined, terminal: boolean): LogFormat {
  if (option !== undefined) return choice("--log-format", option, LOG_FORMATS);
  if (variable !== undefined && variable !== "") {
    if (!(LOG_FORMATS as readonly string[]).includes(variable))
      throw new InvalidInput("KPI_LOG_FORMAT", `"${variable}" is not one of ${LOG_FORMATS.join(", ")}`);
    return variable as LogFormat;
  }
  return terminal ? "pretty" : "json";
}
