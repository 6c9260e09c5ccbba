import type { Issue } from "../engine/index.ts";

/**
 * How a pull from a source failed, in the two kinds a scheduler acts on differently:
 * try again later (SourceUnavailable), or stop and tell a person (SourceRejected).
 * Messages name the source by origin and path only: never a header value, never a query string.
 */

/** Transient: rate-limited (429), a server error (5xx), a timeout, a refused connection. */
export class SourceUnavailable extends Error {
  override readonly name: string = "SourceUnavailable";
  /** How long the source asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs?: number;
  readonly status?: number;

  constructor(message: string, details: { retryAfterMs?: number; status?: number; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.status !== undefined) this.status = details.status;
  }
}

/** Permanent: the request was refused (4xx other than 429) or the answer is not a valid body. */
export class SourceRejected extends Error {
  override readonly name: string = "SourceRejected";
  readonly status?: number;
  /** Every problem found in the body, with its JSON path. */
  readonly issues: readonly Issue[];

  constructor(
    message: string,
    details: { status?: number; issues?: readonly Issue[]; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    if (details.status !== undefined) this.status = details.status;
    this.issues = details.issues ?? [];
  }
}
