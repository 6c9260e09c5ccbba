/**
 * Platform rule profiles: how each platform measures, as data. Teams are paid by the platform's
 * own number, so a shop on JD is measured by JD's rules (docs/chatlog.md, "Platform rule
 * profiles"). Times of day are shop-local, as "HH:MM" on a 24-hour clock ("24:00" ends the day).
 */

export interface LocalWindow {
  from: string;
  to: string;
}

export interface RuleProfile {
  name: string;
  description: string;
  /** Auto-replies (robots) count as human replies; no platform does, so false everywhere. */
  countAutoReplies: boolean;
  /** A first reply within this many seconds counts for response_30s_rate. */
  responseWithinSeconds: number;
  /** A run waiting longer than this (or never answered) is a long wait. */
  longWaitSeconds: number;
  /** No new session of the customer within this many hours of a session's end: resolved. */
  resolutionHours: number;
  /** Sessions whose first customer message falls in the window are left out of these metrics. */
  sessionExclusions: readonly (LocalWindow & { metrics: readonly string[] })[];
  /** A new session of the same customer within this many minutes of a close continues it. */
  reconsultMergeMinutes?: number;
  /** exclude-from-response: leave-message sessions count everywhere but the response metrics;
   * reply-rate-only: they count for leave_message_reply_rate and nothing else. */
  leaveMessageSessions: "exclude-from-response" | "reply-rate-only";
  /** Taobao's 3-minute response rate over dialogue rounds (runs) starting in the window. */
  roundResponse?: LocalWindow & { metric: string; withinSeconds: number };
  /** Pinduoduo's effective reply rate: customers once a day, every run answered in time. */
  effectiveReply?: LocalWindow & { metric: string; maxWaitSeconds: number };
}

const base = {
  countAutoReplies: false,
  responseWithinSeconds: 30,
  longWaitSeconds: 300,
  resolutionHours: 72,
  sessionExclusions: [],
  leaveMessageSessions: "exclude-from-response",
} as const;

export const PROFILES: Readonly<Record<string, RuleProfile>> = {
  generic: { ...base, name: "generic", description: "the definitions of docs/chatlog.md, no time windows" },
  jd: {
    ...base,
    name: "jd",
    description:
      "京东咚咚: night sessions out of the 30 s rate and ART, re-consultation within 10 min continues",
    sessionExclusions: [{ from: "23:00", to: "09:00", metrics: ["response_30s_rate", "avg_response_time"] }],
    reconsultMergeMinutes: 10,
    leaveMessageSessions: "reply-rate-only",
  },
  taobao: {
    ...base,
    name: "taobao",
    description: "淘宝/天猫千牛: 3-minute response rate over dialogue rounds, 08:00–24:00",
    roundResponse: { metric: "response_3min_rate", withinSeconds: 180, from: "08:00", to: "24:00" },
  },
  pdd: {
    ...base,
    name: "pdd",
    description:
      "拼多多: effective reply rate, 08:00–23:00, each customer once a day, every message within 1 h",
    effectiveReply: { metric: "effective_reply_rate", maxWaitSeconds: 3600, from: "08:00", to: "23:00" },
  },
};

/** Minutes since local midnight of "HH:MM". */
export function minuteOfDay(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59) throw new Error(`"${hhmm}" is not a time of day (HH:MM)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** A window as [from, to) minutes of the day, read once so the hot path only compares numbers. */
export type MinuteWindow = readonly [from: number, to: number];

export function minuteWindow(window: LocalWindow): MinuteWindow {
  return [minuteOfDay(window.from), minuteOfDay(window.to)];
}

/** Whether a local minute of the day lies in [from, to); windows may wrap midnight (23:00–09:00). */
export function inWindow(minute: number, [from, to]: MinuteWindow): boolean {
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}
