import type { BotMetrics } from "../../server/metrics.ts";
import { ChatSendError } from "../adapter.ts";

/**
 * One JSON POST to DingTalk and what its answer means. The OpenAPI (api.dingtalk.com) speaks in
 * HTTP statuses and `{code, message}`; the older oapi endpoints (custom robot webhooks, session
 * webhooks) answer HTTP 200 with `{errcode, errmsg}`.
 */

export const REQUEST_TIMEOUT_MS = 10_000;

export interface HttpAnswer {
  status: number;
  body: unknown;
  /** From Retry-After, in milliseconds, when DingTalk sent one. */
  retryAfterMs?: number;
}

interface PostOptions {
  timeoutMs?: number;
  nowMs: number;
  /** fetch's redirect mode; "follow" unless the caller must stay on the URL's host. */
  redirect?: "follow" | "error";
}

export async function postJson(
  url: string,
  body: unknown,
  options: PostOptions & { headers?: Record<string, string> },
): Promise<HttpAnswer> {
  const headers = { "content-type": "application/json", accept: "application/json", ...options.headers };
  return post(url, { headers, body: JSON.stringify(body) }, options);
}

/** A multipart POST (oapi's media/upload); fetch writes the boundary. */
export async function postForm(
  url: string,
  form: FormData,
  options: { timeoutMs?: number; nowMs: number },
): Promise<HttpAnswer> {
  return post(url, { headers: { accept: "application/json" }, body: form }, options);
}

async function post(
  url: string,
  init: { headers: Record<string, string>; body: string | FormData },
  options: PostOptions,
): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      ...init,
      redirect: options.redirect ?? "follow",
      signal: AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    // The URL may hold a webhook's access_token: name the endpoint by its path only.
    const reason = error instanceof Error ? error.name : "error";
    throw new ChatSendError("dingtalk", `${new URL(url).pathname}: no answer (${reason})`, true);
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {}
  const retryAfterMs = retryAfter(response.headers.get("retry-after"), options.nowMs);
  return { status: response.status, body: parsed, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}

/** Retry-After as seconds or as an HTTP date. */
function retryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

const field = (body: unknown, name: string): unknown =>
  typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined;

/** oapi's errcodes for a bad (40014, 40001) or expired (42001) access_token. */
const OAPI_TOKEN_ERRCODES = new Set([40001, 40014, 42001]);

/**
 * DingTalk answers a bad or expired token with HTTP 400 (not 401) and this code; the old oapi
 * endpoints with HTTP 200 and one of OAPI_TOKEN_ERRCODES.
 */
export function tokenRefused(answer: HttpAnswer): boolean {
  const code = String(field(answer.body, "code") ?? "");
  if ((answer.status === 400 || answer.status === 401) && code === "InvalidAuthentication") return true;
  return answer.status === 200 && OAPI_TOKEN_ERRCODES.has(Number(field(answer.body, "errcode")));
}

/** An OpenAPI answer as an error, or undefined when it succeeded. */
export function openApiFailure(what: string, answer: HttpAnswer): ChatSendError | undefined {
  if (answer.status >= 200 && answer.status < 300) return undefined;
  const code = String(field(answer.body, "code") ?? "");
  // DingTalk's QPS limit comes as 403 Forbidden.AccessDenied.QpsLimitForApi: throttling, not a refusal.
  const throttled = answer.status === 429 || code.includes("QpsLimit") || code === "Throttling";
  const retryable = throttled || answer.status >= 500;
  return new ChatSendError(
    "dingtalk",
    `${what}: HTTP ${answer.status}${code ? ` ${code}` : ""}`,
    retryable,
    answer.retryAfterMs ?? (throttled ? 1000 : undefined),
  );
}

/** errcode 130101: over 20 messages a minute, the robot is silenced for 10 minutes. */
export const TOO_FAST_ERRCODE = 130101;

/** An oapi answer (`{errcode, errmsg}`) as an error, or undefined when errcode is 0. */
export function oapiFailure(what: string, answer: HttpAnswer): ChatSendError | undefined {
  if (answer.status === 429 || answer.status >= 500) {
    return new ChatSendError("dingtalk", `${what}: HTTP ${answer.status}`, true, answer.retryAfterMs);
  }
  const errcode = Number(field(answer.body, "errcode") ?? Number.NaN);
  if (answer.status === 200 && errcode === 0) return undefined;
  const errmsg = String(field(answer.body, "errmsg") ?? "");
  const message = `${what}: HTTP ${answer.status} errcode ${errcode}${errmsg ? ` ${errmsg}` : ""}`;
  if (errcode === TOO_FAST_ERRCODE) return new ChatSendError("dingtalk", message, true, 10 * 60_000);
  // -1 is DingTalk's "系统繁忙" (busy): worth another try.
  return new ChatSendError("dingtalk", message, errcode === -1);
}

/** Runs one platform call and counts it as ok, retryable or failed. */
export async function counted<T>(metrics: BotMetrics, call: () => Promise<T>): Promise<T> {
  try {
    const result = await call();
    metrics.outbound.inc({ platform: "dingtalk", result: "ok" });
    return result;
  } catch (error) {
    const retryable = error instanceof ChatSendError && error.retryable;
    metrics.outbound.inc({ platform: "dingtalk", result: retryable ? "retryable" : "failed" });
    throw error;
  }
}
