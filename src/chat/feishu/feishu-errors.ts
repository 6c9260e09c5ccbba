import { ChatSendError } from "../adapter.ts";

/**
 * Feishu's failures as ChatSendError. The SDK (axios) throws on a non-2xx answer, with Feishu's
 * `{ code, msg }` in error.response.data, and resolves any 2xx body whatever its code. The
 * gateway's 429 names its wait in x-ogw-ratelimit-reset (seconds), not Retry-After.
 */

/** 99991661 no token, 99991663 a token Feishu no longer accepts (expired early, secret reset). */
const INVALID_TOKEN_CODES = new Set([99991661, 99991663]);
/** The gateway's frequency limit, which some APIs send with HTTP 200 or 400. */
const RATE_LIMITED_CODE = 99991400;

interface FeishuFailureBody {
  code?: number;
  msg?: string;
}

interface HttpFailure {
  status: number;
  headers: Record<string, unknown>;
  data: unknown;
}

/** The answer an axios error carries, when the request got one. */
function responseOf(error: unknown): HttpFailure | undefined {
  const response = (error as { response?: Partial<HttpFailure> } | null)?.response;
  return typeof response?.status === "number"
    ? { status: response.status, headers: response.headers ?? {}, data: response.data }
    : undefined;
}

const bodyOf = (data: unknown): FeishuFailureBody =>
  typeof data === "object" && data !== null ? (data as FeishuFailureBody) : {};

/** Whether a resolved body or a thrown error says the tenant token was refused. */
export function isInvalidToken(outcome: unknown): boolean {
  const body = bodyOf(responseOf(outcome)?.data ?? outcome);
  return typeof body.code === "number" && INVALID_TOKEN_CODES.has(body.code);
}

/** A thrown error, or a resolved body of code ≠ 0, as the error the core understands. */
export function feishuErrorOf(operation: string, outcome: unknown): ChatSendError {
  const response = responseOf(outcome);
  if (response) {
    const { code, msg } = bodyOf(response.data);
    const what = `${operation} failed: HTTP ${response.status}${code === undefined ? "" : `, code ${code} ${msg ?? ""}`}`;
    const rateLimited = response.status === 429 || code === RATE_LIMITED_CODE;
    return new ChatSendError(
      "feishu",
      what.trim(),
      rateLimited || response.status >= 500,
      rateLimited ? waitOf(response.headers) : undefined,
    );
  }
  if (outcome instanceof Error) {
    // An axios error without an answer is the network (refused, reset, timed out): worth retrying.
    // Any other error is the SDK's own, such as a token call refused for a wrong app secret.
    const network = (outcome as { isAxiosError?: boolean }).isAxiosError === true;
    return new ChatSendError("feishu", `${operation} failed: ${outcome.message}`, network);
  }
  const { code, msg } = bodyOf(outcome);
  return new ChatSendError(
    "feishu",
    `${operation} failed: code ${code} ${msg ?? ""}`.trim(),
    code === RATE_LIMITED_CODE,
  );
}

/** Milliseconds to wait, from x-ogw-ratelimit-reset or Retry-After (both in seconds). */
function waitOf(headers: Record<string, unknown>): number | undefined {
  for (const name of ["x-ogw-ratelimit-reset", "retry-after"]) {
    const seconds = Number(headers[name]);
    if (headers[name] !== undefined && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  }
  return undefined;
}
