import type { MetricValues } from "../value.ts";
import { type AgentDays, SLOT, SLOTS } from "./agent-days.ts";
import type { ChatFact } from "./facts.ts";

/** What the analyzer gives back: per agent-day figures, the facts behind them, and what was wrong. */

export interface AgentDayFigures {
  shop: string;
  agent: string;
  /** Shop-local day, YYYY-MM-DD. */
  day: string;
  /** Numerators and denominators by metric id, ready for the scoring engine. */
  values: MetricValues;
  /** Metrics whose figure may still change (resolution within 72 h of the end of the data). */
  provisional: string[];
}

export interface LineProblem {
  file: string;
  line: number;
  reason: string;
}

export interface ChatlogStats {
  /** Message lines counted (bad ones excluded). */
  lines: number;
  /** Sessions with a customer message. */
  consultations: number;
  segments: number;
  /** Segments no agent was ever assigned to. */
  unattributedSegments: number;
  /** Reviews no agent could be found for. */
  unattributedReviews: number;
  /** The most sessions held open at once while reading. */
  peakOpenSessions: number;
  /** The last time in the messages (shop-local), which "end of the data" means. */
  dataEnd: string | null;
}

export interface ChatlogResult {
  agentDays: AgentDayFigures[];
  facts: ChatFact[];
  problems: LineProblem[];
  /** All bad lines; `problems` keeps the first 1,000. */
  problemCount: number;
  stats: ChatlogStats;
}

const pair = (num: number, den: number) => ({ num, den });

/** The metric figures of one agent-day row. */
export interface Computed {
  response: boolean;
  resolution: boolean;
  concurrency: boolean;
  orders: boolean;
  ratings: boolean;
  reviews: boolean;
}

export function rowValues(days: AgentDays, row: number, sides: Computed): MetricValues {
  const v = days.values;
  const at = row * SLOTS;
  const get = (slot: number) => v[at + slot]!;
  const out: MetricValues = {};
  const segments = get(SLOT.segments);
  if (segments > 0) {
    out.receptions = pair(segments, 1);
    out.transfer_rate = pair(get(SLOT.transfersOut), segments);
    if (sides.concurrency) out.concurrent_sessions = pair(get(SLOT.peakConcurrent), 1);
  }
  const counted = get(SLOT.counted);
  if (counted > 0) {
    out.first_response_time = pair(get(SLOT.frtMs) / 1000, get(SLOT.frtCount));
    out.reply_rate = pair(get(SLOT.answered), counted);
    out.long_wait_count = pair(get(SLOT.longWaits), 1);
  }
  if (get(SLOT.within30Of) > 0) out.response_30s_rate = pair(get(SLOT.within30), get(SLOT.within30Of));
  if (get(SLOT.artCount) > 0 || counted > 0)
    out.avg_response_time = pair(get(SLOT.artMs) / 1000, get(SLOT.artCount));
  if (get(SLOT.customerMessages) > 0 || get(SLOT.replies) > 0)
    out.qa_ratio = pair(get(SLOT.replies), get(SLOT.customerMessages));
  if (get(SLOT.leaveSessions) > 0)
    out.leave_message_reply_rate = pair(get(SLOT.leaveAnswered), get(SLOT.leaveSessions));
  if (get(SLOT.rounds) > 0) out.response_3min_rate = pair(get(SLOT.roundsInTime), get(SLOT.rounds));
  if (get(SLOT.customersInWindow) > 0)
    out.effective_reply_rate = pair(get(SLOT.effectiveCustomers), get(SLOT.customersInWindow));
  if (get(SLOT.scriptChecked) > 0)
    out.script_compliance = pair(get(SLOT.scriptClean), get(SLOT.scriptChecked));
  if (sides.resolution && get(SLOT.resolvable) > 0)
    out.resolution_rate = pair(get(SLOT.resolved), get(SLOT.resolvable));
  if (sides.orders) {
    if (get(SLOT.consultingCustomers) > 0)
      out.conversion_rate = pair(get(SLOT.converted), get(SLOT.consultingCustomers));
    if (get(SLOT.sales) > 0 || get(SLOT.consultingCustomers) > 0)
      out.sales_amount = pair(get(SLOT.sales) / 100, 1);
  }
  if (sides.ratings && get(SLOT.ratings) > 0) {
    out.csat_rate = pair(get(SLOT.satisfied), get(SLOT.ratings));
    out.csat_score = pair(get(SLOT.scoreSum), get(SLOT.ratings));
    if (segments > 0) out.review_rate = pair(get(SLOT.ratings), segments);
  }
  if (sides.reviews && get(SLOT.reviews) > 0)
    out.bad_review_rate = pair(get(SLOT.badReviews), get(SLOT.reviews));
  return out;
}
