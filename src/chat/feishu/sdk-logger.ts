import type { Log } from "../../log.ts";

/**
 * The SDK's logger, for lark.Client, EventDispatcher and WSClient. On a failed IM call the SDK
 * logs the request it made, body and all (the card: people's names and scores), and its generic
 * Client.request logs the whole axios error, `Authorization: Bearer t-…` included (capitalised,
 * so the log's redaction of `authorization` misses it). Only text and error messages get
 * through, never objects. The SDK's LoggerProxy passes its arguments as one array.
 */
export function sdkLogger(log: Log) {
  const line = (parts: unknown[]) =>
    parts
      .flat(3)
      .map((part) => (typeof part === "string" ? part : part instanceof Error ? part.message : ""))
      .filter((text) => text !== "")
      .join(" ") || "(details not logged)";
  const child = log.child({ sdk: "lark" });
  return {
    error: (...parts: unknown[]) => child.error(line(parts)),
    warn: (...parts: unknown[]) => child.warn(line(parts)),
    info: (...parts: unknown[]) => child.info(line(parts)),
    debug: (...parts: unknown[]) => child.debug(line(parts)),
    trace: (...parts: unknown[]) => child.trace(line(parts)),
  };
}
