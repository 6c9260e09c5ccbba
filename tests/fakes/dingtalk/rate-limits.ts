import { randomUUID } from "node:crypto";
import { type RateRule, RateWindows, type ScopeCount } from "../rate-window.ts";

/**
 * DingTalk's QPS limit on its OpenAPI, enforced by the fake when asked
 * (startFakeDingTalk({ limits })): each app may call each API 20 times a second (the standard
 * edition; 40 professional, 60 exclusive). Over it the new OpenAPI answers HTTP 403 with
 * code Forbidden.AccessDenied.QpsLimitForAppkeyAndApi (the old oapi endpoints errcode 90018); the
 * limit is counted per second, so DingTalk's advice is to wait a second. The custom robot
 * webhook's 20 a minute is webhook.ts's own.
 */
export interface DingTalkLimits {
  callsPerAppAndApi?: RateRule;
}

export const DINGTALK_PUBLISHED_LIMITS: Required<DingTalkLimits> = {
  callsPerAppAndApi: { limit: 20, windowMs: 1000 },
};

/** The robot's sending APIs the limit is applied to. */
const LIMITED_PATHS = new Set(["/v1.0/robot/oToMessages/batchSend", "/v1.0/robot/groupMessages/send"]);

export interface ThrottleAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface DingTalkRateLimits {
  /** The throttle answer (status and body), or undefined when the call is within the limits. */
  judge(path: string, appKey: string | undefined, nowMs: number): ThrottleAnswer | undefined;
  counts(): ScopeCount[];
}

export function dingtalkRateLimits(limits: DingTalkLimits): DingTalkRateLimits {
  const windows = new RateWindows();
  return {
    judge(path, appKey, nowMs) {
      const rule = limits.callsPerAppAndApi;
      if (!rule || appKey === undefined || !LIMITED_PATHS.has(path)) return undefined;
      const verdict = windows.judge([{ scope: `dingtalk:${appKey}:${path}`, rule }], nowMs);
      if (verdict.admitted) return undefined;
      return {
        status: 403,
        body: {
          code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi",
          message: "应用调用该接口的QPS超过限制",
          requestid: randomUUID().toUpperCase(),
        },
      };
    },
    counts: () => windows.counts(),
  };
}
