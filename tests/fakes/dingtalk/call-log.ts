/** One request a fake DingTalk served, as the bot sent it and as the fake answered. */
export interface RecordedCall {
  method: string;
  /** The path without the query: `/v1.0/robot/oToMessages/batchSend`, `/robot/send`. */
  path: string;
  query: Record<string, string>;
  /** Lower-case header names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** `body.msgParam` parsed from its JSON string, when the call carried one that parses. */
  msgParam?: unknown;
  status: number;
  response: unknown;
  atMs: number;
}

/**
 * What the next calls to a path answer instead of the real thing: `{ status: 429 }`, `{ status: 500 }`,
 * or a status with DingTalk's own body, e.g. `{ status: 403, body: { code: "Forbidden.AccessDenied.QpsLimitForApi" } }`.
 */
export interface Failure {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The calls a fake served, and the failures queued for the next ones. */
export class CallLog {
  readonly calls: RecordedCall[] = [];
  readonly #failures = new Map<string, Failure[]>();

  callsTo(path: string): RecordedCall[] {
    return this.calls.filter((call) => call.path === path);
  }

  failNext(path: string, failure: Failure, times = 1) {
    const queue = this.#failures.get(path) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.#failures.set(path, queue);
  }

  /** The failure the current call to `path` must answer with, if one is queued; it is used up. */
  takeFailure(path: string): Failure | undefined {
    return this.#failures.get(path)?.shift();
  }
}
