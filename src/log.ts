import { type Logger, pino } from "pino";
import pinoPretty from "pino-pretty";

/**
 * Structured logs (pino): JSON lines for machines, or the same records as human lines (pino-pretty)
 * for a person at a terminal. Tokens, secrets and signatures never reach a log line: the paths
 * below are censored wherever they appear in a logged object, and code logs ids, not bodies.
 */

export type Log = Logger;

/** `json`: one JSON object a line; `pretty`: a human line (time, level, message, fields). */
export type LogFormat = "json" | "pretty";
export const LOG_FORMATS: readonly LogFormat[] = ["json", "pretty"];

const SECRET_PATHS = [
  "token",
  "*.token",
  "secret",
  "*.secret",
  "authorization",
  "*.authorization",
  "headers.authorization",
  'headers["x-slack-signature"]',
  'headers["x-lark-signature"]',
  "*.appSecret",
  "*.signingSecret",
  "*.encryptKey",
  "*.clientSecret",
  "*.accessToken",
];

export interface LogOptions {
  level?: string;
  /** Where lines go (default stdout, as pino's). */
  destination?: NodeJS.WritableStream;
  /** Default json. */
  format?: LogFormat;
  /** Colours in pretty lines (default: whether the destination is a terminal). */
  colorize?: boolean;
}

export function createLog(options: LogOptions = {}): Log {
  const settings = {
    level: options.level ?? process.env.KPI_LOG_LEVEL ?? "info",
    redact: { paths: SECRET_PATHS, censor: "[redacted]" },
    serializers: { err: errorSummary },
    base: { pid: process.pid },
  };
  if (options.format === "pretty") return pino(settings, prettyLines(options));
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/**
 * pino-pretty as a plain stream behind pino, not a transport: pino censors and serializes each
 * record first, so the pretty lines are made from the very JSON a json log would write, secrets
 * already redacted, errors already summarized.
 */
function prettyLines(options: LogOptions): NodeJS.WritableStream {
  const destination = options.destination ?? process.stdout;
  return pinoPretty({
    destination,
    sync: true,
    colorize: options.colorize ?? (destination as { isTTY?: boolean }).isTTY === true,
    translateTime: "SYS:HH:MM:ss",
    ignore: "pid,hostname,replicaId",
    singleLine: true,
  });
}

/** For tests and one-shot commands: drops everything. */
export const silentLog: Log = pino({ level: "silent" });

/**
 * What a logged error may say. Users' words must not reach a log line, and a database error
 * carries them: a failed query's `params`, PostgreSQL's `detail` ("Key (name)=(…)") and some
 * messages (`invalid input syntax for type integer: "…"`). So a database error is logged by its
 * SQLSTATE code, constraint and the query's text (placeholders only), any other error by the first
 * line of its message; the stack keeps its frames, without the message it starts with.
 */
export function errorSummary(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const fields = error as Error & { code?: unknown; constraint?: unknown; query?: unknown; cause?: unknown };
  const fromDatabase = typeof fields.code === "string" && /^[0-9A-Z]{5}$/.test(fields.code);
  const summary: Record<string, unknown> = { type: error.name };
  if (fromDatabase) {
    summary.code = fields.code;
    if (typeof fields.constraint === "string") summary.constraint = fields.constraint;
  } else if (typeof fields.query === "string") {
    // drizzle's "Failed query: <sql>\nparams: <the values>": the SQL only.
    summary.query = fields.query;
  } else {
    summary.message = error.message.split("\n")[0];
  }
  if (error.stack)
    summary.stack = error.stack
      .split("\n")
      .filter((line) => /^\s+at /.test(line))
      .join("\n");
  if (fields.cause !== undefined) summary.cause = errorSummary(fields.cause);
  return summary;
}
