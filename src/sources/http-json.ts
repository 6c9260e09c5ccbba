import { builtinCatalogue, InvalidInput, type MetricCatalogue } from "../engine/index.ts";
import { SourceRejected, SourceUnavailable } from "./errors.ts";
import { isDay, readHttpBody } from "./http-json-body.ts";
import type { SourceBatch } from "./source.ts";

/**
 * The HTTP JSON source: a team's internal data service answers GET <url> for one day with
 *
 *   { "day"?: "YYYY-MM-DD",
 *     "records": [{ "shop"?: "…", "agent": "旗舰店:小张", "day"?: "YYYY-MM-DD",
 *                   "values": { "<metric id or Chinese name>": 0.85 | "85%" | "25s" | {"num": 36, "den": 200} },
 *                   "pending"?: ["conversion_rate"] }],
 *     "facts"?: [{ "kind": "bad_review", "agent": "…", "day"?: "…", "at": "…+08:00", "ref": "…", "detail": {…} }] }
 *
 * (docs/http-source.md has the details). A JSON number is in engine units: 0.85 is 85%.
 * Failures come back as SourceUnavailable (try again: 429, 5xx, timeouts, refused connections)
 * or SourceRejected (do not: other 4xx, a body that is not valid). Header values — the caller's
 * tokens — never appear in a message, nor does the URL's query string.
 */

export interface HttpSourceOptions {
  /** May contain {date}, replaced by the day (YYYY-MM-DD). */
  url: string;
  day: string;
  /** E.g. Authorization, built by the caller from environment variables. */
  headers?: Record<string, string>;
  /** For the whole exchange, body included; default 30 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Metric names the body may use; default the built-in catalogue. */
  catalogue?: MetricCatalogue;
  /** For a Retry-After given as an HTTP date; default Date.now. */
  now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export async function fetchHttpSource(options: HttpSourceOptions): Promise<SourceBatch> {
  const day = checkDay(options.day);
  const url = requestUrl(options.url, day);
  const where = `${url.origin}${url.pathname}`;
  const headers = requestHeaders(options.headers ?? {});
  const secrets = secretsOf(options.headers ?? {});
  const clean = (text: string) => redact(text, secrets);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { response, text } = await exchange(options.fetch ?? fetch, url, headers, timeoutMs, where, clean);
  const status = response.status;
  if (status < 200 || status > 299) throw statusError(response, text, where, clean, options.now ?? Date.now);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    const type = response.headers.get("content-type") ?? "none";
    const why = `the body is not JSON${jsonErrorPlace(error, text)} (content-type: ${type})`;
    throw new SourceRejected(`${where}: ${why}`, { status });
  }
  const read = readHttpBody(doc, day, options.catalogue ?? builtinCatalogue);
  if (read.issues.length > 0) {
    const issues = read.issues.map((i) => ({ path: i.path, message: clean(i.message) }));
    const list = issues.map((i) => `  ${i.path}: ${i.message}`).join("\n");
    throw new SourceRejected(`${where}: the body is not valid:\n${list}`, { status, issues });
  }
  const problems = read.problems.map((p) => ({ ...p, reason: clean(p.reason) }));
  return { source: "http", records: read.records, facts: read.facts, problems };
}

/** The request and the whole body, both inside the time allowed. */
async function exchange(
  fetchFn: typeof fetch,
  url: URL,
  headers: Headers,
  timeoutMs: number,
  where: string,
  clean: (text: string) => string,
): Promise<{ response: Response; text: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetchFn(url, { headers, signal: controller.signal });
    return { response, text: await response.text() };
  } catch (error) {
    if (controller.signal.aborted)
      throw new SourceUnavailable(`${where}: no complete answer within ${timeoutMs} ms`);
    throw new SourceUnavailable(clean(`${where}: cannot reach the service (${networkReason(error)})`));
  } finally {
    clearTimeout(timer);
  }
}

function checkDay(text: string): string {
  if (!isDay(text)) throw new InvalidInput("day", `"${text}" is not a day (YYYY-MM-DD)`);
  return text;
}

function requestUrl(template: string, day: string): URL {
  // A URL that went through new URL() already has its braces escaped.
  const text = template.replace(/\{date\}|%7Bdate%7D/gi, day);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidInput("url", "is not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new InvalidInput("url", `must be http or https, not ${url.protocol}`);
  return url;
}

function requestHeaders(headers: Record<string, string>): Headers {
  const out = new Headers({ accept: "application/json" });
  for (const [name, value] of Object.entries(headers)) {
    try {
      out.set(name, value);
    } catch {
      // The value is a secret: name the header only.
      throw new InvalidInput(`headers.${name}`, "is not a valid header name or value");
    }
  }
  return out;
}

/** Header values and their parts ("Bearer abc…": the token alone too), longest first. */
function secretsOf(headers: Record<string, string>): string[] {
  const parts = Object.values(headers).flatMap((v) => [v, ...v.split(/[\s,;=:]+/)]);
  return [...new Set(parts.map((p) => p.trim()).filter((p) => p.length >= 6))].sort(
    (a, b) => b.length - a.length,
  );
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join("***");
  return out;
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function statusError(
  response: Response,
  text: string,
  where: string,
  clean: (text: string) => string,
  now: () => number,
): Error {
  const status = response.status;
  // Redacted before it is cut short, so that no part of a secret the server echoed is left.
  const excerpt = clean(text.replace(/\s+/g, " ").trim()).slice(0, 200);
  const message = `${where}: HTTP ${status} ${response.statusText}${excerpt ? `: ${excerpt}` : ""}`;
  // 408 is the server's own timeout: as transient as ours.
  if (status === 429 || status === 408 || status >= 500) {
    const retryAfterMs = retryAfter(response.headers.get("retry-after"), now);
    return new SourceUnavailable(message, {
      status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  return new SourceRejected(message, { status });
}

/**
 * Where JSON.parse stopped, without its quote of the text around it (which could cut a secret
 * in half and so slip past redaction).
 */
function jsonErrorPlace(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : "";
  if (text.trim() === "") return ": it is empty";
  if (/end of JSON input/i.test(message)) return ": it ends too early";
  const place = /line \d+ column \d+|position \d+/.exec(message)?.[0];
  if (place) return ` at ${place}`;
  const first = text.trim()[0]!;
  return first === "{" || first === "[" ? ": it is malformed" : `: it starts with ${JSON.stringify(first)}`;
}

/** Retry-After as delay-seconds or an HTTP date, in ms from now. */
export function retryAfter(header: string | null, now: () => number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now());
}
