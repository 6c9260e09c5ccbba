/**
 * What Feishu's OpenAPI answers, as status + JSON body (+ headers). Business errors travel as
 * `{ code, msg }` with HTTP 400 on the IM API; the SDK (axios) throws on any non-2xx status and
 * hands back any 2xx body as is, code and all, so the HTTP status matters as much as the code.
 */
export interface FeishuAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The errors this fake produces. Codes and messages are Feishu's; see the notes for the guesses. */
export const FEISHU_ERRORS = {
  missingToken: {
    status: 400,
    code: 99991661,
    msg: "Missing access token for authorization. Please make a request with token attached.",
  },
  invalidToken: {
    status: 400,
    code: 99991663,
    msg: "Invalid access token for authorization. Please make a request with token attached.",
  },
  /** The gateway's limit; it names the wait in x-ogw-ratelimit-reset (seconds), not Retry-After. */
  rateLimited: { status: 429, code: 99991400, msg: "request trigger frequency limit" },
  /** The token endpoint answers bad credentials with HTTP 200 and no token. */
  appSecretInvalid: { status: 200, code: 10014, msg: "app secret invalid" },
  appIdUnknown: { status: 200, code: 10014, msg: "app id not exists" },
  fieldValidation: { status: 400, code: 99992402, msg: "field validation failed" },
  invalidParameter: { status: 400, code: 230001, msg: "Your request contains an invalid request parameter." },
  /** Not a documented pair: the body Feishu sends with a 5xx varies; tests should rely on the status. */
  internal: { status: 500, code: 1500, msg: "internal server error" },
} as const;

type FeishuError = (typeof FEISHU_ERRORS)[keyof typeof FEISHU_ERRORS];

export function success(data: unknown): FeishuAnswer {
  return { status: 200, body: { code: 0, msg: "success", data } };
}

/** An error answer; `detail` goes where Feishu puts it, after "ext=" in msg. */
export function failure(error: FeishuError, detail?: string): FeishuAnswer {
  const msg = detail === undefined ? error.msg : `${error.msg} ext=${detail}`;
  return { status: error.status, body: { code: error.code, msg } };
}

/** What `fake.failNext` makes the next matching calls answer. */
export type FeishuFailure =
  | { status: 429; resetSeconds?: number }
  | { status: 500 | 502 | 503 | 504 }
  /** A business error; HTTP 400 unless `status` says otherwise (200 is what older APIs do). */
  | { code: number; msg: string; status?: number };

export function answerForFailure(planned: FeishuFailure): FeishuAnswer {
  if ("code" in planned) {
    return { status: planned.status ?? 400, body: { code: planned.code, msg: planned.msg } };
  }
  if (planned.status === 429) {
    const { code, msg } = FEISHU_ERRORS.rateLimited;
    const headers = {
      "x-ogw-ratelimit-limit": "50",
      "x-ogw-ratelimit-reset": String(planned.resetSeconds ?? 1),
    };
    return { status: 429, body: { code, msg }, headers };
  }
  const { code, msg } = FEISHU_ERRORS.internal;
  return { status: planned.status, body: { code, msg } };
}
