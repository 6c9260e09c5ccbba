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
      type: "lowGrade";
      subject: string;
      agentId: string;
      to: Audience;
      /** The configured threshold: this grade or below. */
      grade: string;
      /** The assessment period (2026-11) so far, through `through`, with figures on `days` days. */
      period: string;
      through: string;
      days: number;
      total: number;
      actualGrade: string;
    };

export const overdueSubject = (factId: number, step: number) => `overdue:${factId}:step${step}`;
export const ignoredSubject = (agentId: string, isoWeek: string) => `ignored:${agentId}:${isoWeek}`;
/** Once per assessment period: a month that stays low is not told again. */
export const lowGradeSubject = (agentId: string, period: string) => `low_grade:${agentId}:${period}`;
