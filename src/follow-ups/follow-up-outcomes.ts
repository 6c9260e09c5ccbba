/**
 * What can be done about a fact that needs following up: a bad review's customer must be
 * contacted within 24 h of the review [000]; a low rating's cause is reviewed (复盘).
 */

/** What was done about a bad review (due 24 h after it). */
export type BadReviewOutcome = "contacted" | "recovered" | "unreachable";

/** What `done` records: a bad review's follow-up, or that a low rating's cause was reviewed (复盘). */
export type FollowUpOutcome = BadReviewOutcome | "reviewed";

/** A bad review's outcomes, in the order its buttons show them. */
export const BAD_REVIEW_OUTCOMES: readonly BadReviewOutcome[] = ["contacted", "recovered", "unreachable"];

/** A bad review is due this long after it was left [000]. */
export const FOLLOW_UP_WINDOW_MS = 24 * 3_600_000;
