import type { PullReport } from "./pull.ts";

/**
 * What the running bot tells the person at the terminal (`kpi start`), as facts: the command
 * words them in the reader's language. Problems are not news: they go to the log.
 */
export type BotNews =
  /** Periods a crash left owed a re-score, scored at start-up. */
  | { kind: "owed-scored"; periods: readonly string[] }
  /** One source's day, pulled by a schedule. */
  | { kind: "pulled"; schedule: string; report: PullReport }
  /** Nudges and escalations a pull's figures gave. */
  | { kind: "notices-queued"; schedule: string; messages: number }
  | { kind: "digests-queued"; schedule: string; messages: number }
  /** Rating cards, reminders and escalations of supervisor-rated items. */
  | { kind: "ratings-queued"; schedule: string; messages: number }

  /** The weekly 质检 batch: conversations assigned, cards queued. */
  | { kind: "qa-queued"; schedule: string; week: string; assigned: number; messages: number };

export type TellNews = (news: BotNews) => void;
