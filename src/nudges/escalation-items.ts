import type { LowRating } from "./nudge-facts.ts";
import type { BadReviewFacts } from "./nudge-items.ts";

/**
 * What supervisors and admins are told, each about one agent: a bad review still not followed up
 * past its deadline (one step of the ladder), ratings whose review the agent was asked for and
 * never recorded, a run of low grades.
 */

export type Audience = "supervisor" | "admins";

export type Escalation =
  | { type: "overdue"; subject: string; agentId: string; to: Audience; step: number; review: BadReviewFacts }
  | {
      type: "ignored";
      subject: string;
      agentId: string;
      to: Audience;
      ratings: (LowRating & { askedAt: Date })[];
    }
  | {
      type: "streak";
      subject: string;
      agentId: string;
      to: Audience;
      /** The configured threshold: this grade or below. */
      grade: string;
      /** The streak's first day and its length in scored days. */
      since: string;
      length: number;
      /** Its last days (a week at most), oldest first. */
      recent: { day: string; grade: string }[];
    };

export const overdueSubject = (factId: number, step: number) => `overdue:${factId}:step${step}`;
export const ignoredSubject = (agentId: string, isoWeek: string) => `ignored:${agentId}:${isoWeek}`;
/** Keyed on the streak's first day: a streak that goes on is not told again. */
export const streakSubject = (agentId: string, firstDay: string) => `grade_streak:${agentId}:${firstDay}`;
