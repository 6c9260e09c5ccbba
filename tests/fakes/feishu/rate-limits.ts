import { type LimitedScope, type RateRule, RateWindows, type ScopeCount } from "../rate-window.ts";
import { FEISHU_ERRORS, type FeishuAnswer } from "./answers.ts";

/**
 * Feishu's published limits for sending messages, enforced by the fake when asked
 * (startFakeFeishu({ limits })): 50 a second per app, and 5 a second to one user or one group
 * (a group's 5 shared by the bots in it). Over a limit the gateway answers code 99991400 with the
 * wait in x-ogw-ratelimit-reset (whole seconds) and the window's limit in x-ogw-ratelimit-limit;
 * newer APIs with HTTP 429, some older ones with HTTP 400 (open.feishu.cn, "Rate limits").
 */
export interface FeishuLimits {
  sendsPerApp?: RateRule;
  sendsPerChat?: RateRule;
  /** The HTTP status of the throttle answer (default 429). */
  status?: 400 | 429;
}

export const FEISHU_PUBLISHED_LIMITS: Required<Omit<FeishuLimits, "status">> = {
  sendsPerApp: { limit: 50, windowMs: 1000 },
  sendsPerChat: { limit: 5, windowMs: 1000 },
};

export interface FeishuRateLimits {
  /** The throttle answer, or undefined when the call is within the limits. */
  judge(
    method: string,
    url: URL,
    body: Record<string, unknown>,
    appId: string,
    nowMs: number,
  ): FeishuAnswer | undefined;
  counts(): ScopeCount[];
}

export function feishuRateLimits(limits: FeishuLimits): FeishuRateLimits {
  const windows = new RateWindows();
  const scopesOf = (url: URL, body: Record<string, unknown>, appId: string): LimitedScope[] => {
    const receiver = `${url.searchParams.get("receive_id_type") === "chat_id" ? "chat" : "user"}:${String(body.receive_id)}`;
    return [
      ...(limits.sendsPerApp ? [{ scope: `feishu:app:${appId}`, rule: limits.sendsPerApp }] : []),
      ...(limits.sendsPerChat ? [{ scope: `feishu:${receiver}`, rule: limits.sendsPerChat }] : []),
    ];
  };
  return {
    judge(method, url, body, appId, nowMs) {
      if (method !== "POST" || url.pathname !== "/open-apis/im/v1/messages") return undefined;
      const scopes = scopesOf(url, body, appId);
      if (scopes.length === 0) return undefined;
      const verdict = windows.judge(scopes, nowMs);
      if (verdict.admitted) return undefined;
      const { code, msg } = FEISHU_ERRORS.rateLimited;
      const rule = scopes.find((s) => s.scope === verdict.scope)!.rule;
      return {
        status: limits.status ?? 429,
        body: { code, msg },
        headers: {
          "x-ogw-ratelimit-limit": String(rule.limit),
          "x-ogw-ratelimit-reset": String(Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))),
        },
      };
    },
    counts: () => windows.counts(),
  };
}
