/**
 * The things an agent is nudged about, each with the facts behind it and the subject that
 * records it as told. Bad reviews have a deadline and are urgent; the rest can wait for the
 * agent's shift.
 */

export interface SlowFigure {
  metric: string;
  /** Engine units (seconds). */
  actual: number;
  target: number;
}

export interface LongWait {
  session: string;
  customer: string | null;
  at: Date;
  waitSeconds: number;
}

export interface BadReviewFacts {
  factId: number;
  at: Date;
  deadline: Date;
  order: string;
  customer: string;
  text: string;
}

export type NudgeItem =
  | { type: "slow"; subject: string; day: string; figures: SlowFigure[]; waits: LongWait[] }
  | { type: "low_rating"; subject: string; factId: number; session: string; score: number; at: Date }
  | ({ type: "bad_review"; subject: string } & BadReviewFacts)
  | ({ type: "reminder"; subject: string } & BadReviewFacts);

export const slowSubject = (agentId: string, day: string) => `slow:${agentId}:${day}`;
export const lowRatingSubject = (factId: number) => `low_rating:${factId}`;
export const badReviewSubject = (factId: number) => `bad_review:${factId}`;
export const reminderSubject = (factId: number) => `bad_review:${factId}:reminder`;

/** What a notice of the item is recorded as: a reminder, or a nudge. */
export const noticeKindOf = (item: NudgeItem): "nudge" | "reminder" =>
  item.type === "reminder" ? "reminder" : "nudge";

/** A deadline is running: not held for the shift, nor by the daily cap. */
export const isUrgent = (item: NudgeItem): boolean => item.type === "bad_review" || item.type === "reminder";
