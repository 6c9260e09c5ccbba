import { type Logger, pino } from "pino";

/**
 * Structured JSON logs (pino). Tokens, secrets and signatures never reach a log line: the paths
 * below are censored wherever they appear in a logged object, and code logs ids, not bodies.
 */

export type Log = Logger;

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

export function createLog(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Log {
  const settings = {
    level: options.level ?? process.env.KPI_LOG_LEVEL ?? "info",
    redact: { paths: SECRET_PATHS, censor: "[redacted]" },
    base: { pid: process.pid },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** For tests and one-shot commands: drops everything. */
export const silentLog: Log = pino({ level: "silent" });
