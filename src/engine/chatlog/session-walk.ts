import { EVENT, eventOf, FROM, fromOf, REQUESTED_TRANSFER } from "./codes.ts";
import { inWindow, type MinuteWindow } from "./profiles.ts";
import type { SessionLines } from "./session-store.ts";

/**
 * Walks one complete session, in time order, into per-segment tallies (docs/chatlog.md,
 * "Sessions, segments, runs"). Everything here is per session; adding tallies up per agent and
 * day, and the rules that span sessions (JD's re-consultation, resolution), happen elsewhere.
 */

const DAY_MS = 86_400_000;

/** The parts of a rule profile the walk needs, read into numbers once. */
export interface WalkRules {
  countAutoReplies: boolean;
  longWaitMs: number;
  round: { window: MinuteWindow; withinMs: number } | null;
  effective: { window: MinuteWindow; maxWaitMs: number } | null;
  /** Session-start windows that leave the session out of response_30s_rate / avg_response_time. */
  exclude30s: MinuteWindow | null;
  excludeArt: MinuteWindow | null;
}

/** One agent's part of a session. */
export interface SegmentTally {
  index: number;
  owner: number;
  start: number;
  end: number;
  /** When the agent had the session open, for peak concurrency (NaN: never, a left message unanswered). */
  openFrom: number;
  transferredOut: boolean;
  /** Transferred out because the customer asked: not in transfer_rate's numerator (seed 000). */
  transferRequested: boolean;
  runs: number;
  firstAnswered: boolean;
  firstWaitMs: number;
  answeredRuns: number;
  artMs: number;
  replies: number;
  customerMessages: number;
  longWaits: number;
  roundsInTime: number;
  rounds: number;
  /** Runs in the effective-reply window, and whether all of them were answered in time. */
  effectiveRuns: number;
  effectiveValid: boolean;
  phraseHits: number;
}

export interface SessionSummary {
  consultation: boolean;
  day: number;
  /** The first customer message, the last line, the last close (NaN if none). */
  start: number;
  end: number;
  close: number;
  lastAgent: number;
  leave: boolean;
  leaveAnswered: boolean;
  excluded30s: boolean;
  excludedArt: boolean;
  segments: number;
  /** A segment was transferred out (for any reason): not one-contact resolved (seed 000). */
  transferred: boolean;
  /**
   * The long wait being reported to WalkSink.longWait: when the run began, and how long it waited
   * (NaN: until the end of the data). Fields, not arguments: a double passed as an argument made
   * the optimiser keep the run's start boxed, a heap number for every run of every session.
   */
  waitFrom: number;
  waitMs: number;
}

export interface WalkSink {
  segment(tally: SegmentTally, summary: SessionSummary): void;
  /** A long wait of `agent`'s customer: its start and length are summary.waitFrom and waitMs. */
  longWait(summary: SessionSummary, agent: number, endedBy: "reply" | "close" | "end"): void;
  /** A reply that breaks phrase rule `rule`; `line` is its index in the session's lines. */
  phrase(summary: SessionSummary, agent: number, at: number, rule: number, line: number): void;
}

function freshTally(t: SegmentTally, index: number, owner: number, start: number): void {
  t.index = index;
  t.owner = owner;
  t.start = start;
  t.end = start;
  t.openFrom = start;
  t.transferredOut = false;
  t.transferRequested = false;
  t.runs = 0;
  t.firstAnswered = false;
  t.firstWaitMs = 0;
  t.answeredRuns = 0;
  t.artMs = 0;
  t.replies = 0;
  t.customerMessages = 0;
  t.longWaits = 0;
  t.roundsInTime = 0;
  t.rounds = 0;
  t.effectiveRuns = 0;
  t.effectiveValid = true;
  t.phraseHits = 0;
}

export function newTally(): SegmentTally {
  const t = {} as SegmentTally;
  freshTally(t, 0, -1, 0);
  return t;
}

export function newSummary(): SessionSummary {
  return {
    consultation: false,
    day: 0,
    start: 0,
    end: 0,
    close: Number.NaN,
    lastAgent: -1,
    leave: false,
    leaveAnswered: false,
    excluded30s: false,
    excludedArt: false,
    segments: 0,
    transferred: false,
    waitFrom: Number.NaN,
    waitMs: Number.NaN,
  };
}

const CUSTOMER_MESSAGE = FROM.customer * 4 + EVENT.message;
const CUSTOMER_LEAVE = FROM.customer * 4 + EVENT.leave_message;
const AGENT_MESSAGE = FROM.agent * 4 + EVENT.message;
const AUTO_MESSAGE = FROM.auto * 4 + EVENT.message;

function minuteOf(localMs: number): number {
  return Math.floor((((localMs % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
}

/**
 * Walks `lines` (one session, in time order). `localTime` maps an instant to shop-local time.
 * Fills `summary`; calls `sink.segment` once per agent segment, with `tally` reused.
 */
export function walkSession(
  lines: SessionLines,
  rules: WalkRules,
  localTime: (ms: number) => number,
  tally: SegmentTally,
  summary: SessionSummary,
  sink: WalkSink,
): void {
  const { count: n, ts, kind, agent, toAgent, note } = lines;
  let first = -1;
  let leaveAt = Number.NaN;
  let owner = -1;
  let transferSeen = false;
  for (let i = 0; i < n; i++) {
    const k = kind[i]!;
    if (k === CUSTOMER_MESSAGE || k === CUSTOMER_LEAVE) {
      if (first < 0) first = i;
      if (k === CUSTOMER_LEAVE && Number.isNaN(leaveAt)) leaveAt = ts[i]!;
    }
    if (eventOf(k) === EVENT.transfer) transferSeen = true;
    else if (!transferSeen && owner < 0 && agent[i]! >= 0) owner = agent[i]!;
  }
  summary.consultation = first >= 0;
  if (first < 0) return;
  const start = ts[first]!;
  const local = localTime(start);
  const minute = minuteOf(local);
  summary.day = Math.floor(local / DAY_MS);
  summary.start = start;
  summary.end = ts[n - 1]!;
  summary.close = Number.NaN;
  summary.leave = !Number.isNaN(leaveAt);
  summary.leaveAnswered = false;
  summary.excluded30s = rules.exclude30s !== null && inWindow(minute, rules.exclude30s);
  summary.excludedArt = rules.excludeArt !== null && inWindow(minute, rules.excludeArt);
  summary.segments = 0;
  summary.transferred = false;

  const round = rules.round;
  const effective = rules.effective;
  freshTally(tally, 0, owner, start);
  if (summary.leave) tally.openFrom = Number.NaN;
  let runStart = Number.NaN;
  let runMinute = 0;
  for (let i = 0; i < n; i++) {
    const k = kind[i]!;
    const t = ts[i]!;
    if (k === CUSTOMER_MESSAGE || k === CUSTOMER_LEAVE) {
      if (i < first) continue;
      tally.customerMessages++;
      if (Number.isNaN(runStart)) {
        runStart = t;
        runMinute = round || effective ? minuteOf(localTime(t)) : 0;
        tally.runs++;
      }
      continue;
    }
    const event = eventOf(k);
    if (i < first) {
      // Before the customer's first message nothing is answered; a transfer only changes hands.
      if (event === EVENT.transfer) tally.owner = toAgent[i]!;
      continue;
    }
    if (event === EVENT.transfer) {
      tally.end = t;
      tally.transferredOut = true;
      tally.transferRequested = note[i] === REQUESTED_TRANSFER;
      summary.transferred = true;
      emit(tally, summary, sink);
      freshTally(tally, tally.index + 1, toAgent[i]!, t);
      if (!Number.isNaN(runStart)) {
        // The waiting customer is now the receiver's, from the moment of the transfer.
        runStart = t;
        runMinute = round || effective ? minuteOf(localTime(t)) : 0;
        tally.runs = 1;
      }
      continue;
    }
    if (event === EVENT.close) {
      summary.close = t;
      continue;
    }
    if (k !== AGENT_MESSAGE && !(rules.countAutoReplies && k === AUTO_MESSAGE)) continue;
    tally.replies++;
    if (Number.isNaN(tally.openFrom)) tally.openFrom = t;
    if (summary.leave && t > leaveAt) summary.leaveAnswered = true;
    if (note[i]! > 0 && fromOf(k) === FROM.agent) {
      tally.phraseHits++;
      sink.phrase(summary, tally.owner, t, note[i]! - 1, i);
    }
    if (Number.isNaN(runStart)) continue;
    const wait = t - runStart;
    if (tally.answeredRuns === 0) {
      tally.firstAnswered = true;
      tally.firstWaitMs = wait;
    }
    tally.answeredRuns++;
    tally.artMs += wait;
    if (wait > rules.longWaitMs) {
      tally.longWaits++;
      summary.waitFrom = runStart;
      summary.waitMs = wait;
      sink.longWait(summary, tally.owner, "reply");
    }
    if (round && inWindow(runMinute, round.window)) {
      tally.rounds++;
      if (wait <= round.withinMs) tally.roundsInTime++;
    }
    if (effective && inWindow(runMinute, effective.window)) {
      tally.effectiveRuns++;
      if (wait > effective.maxWaitMs) tally.effectiveValid = false;
    }
    runStart = Number.NaN;
  }
  tally.end = summary.end;
  if (!Number.isNaN(runStart)) {
    // Still waiting when the session closed or the data ended: late, and a long wait.
    tally.longWaits++;
    const closed = summary.close >= runStart;
    summary.waitFrom = runStart;
    summary.waitMs = closed ? summary.close - runStart : Number.NaN;
    sink.longWait(summary, tally.owner, closed ? "close" : "end");
    if (round && inWindow(runMinute, round.window)) tally.rounds++;
    if (effective && inWindow(runMinute, effective.window)) {
      tally.effectiveRuns++;
      tally.effectiveValid = false;
    }
  }
  emit(tally, summary, sink);
}

function emit(tally: SegmentTally, summary: SessionSummary, sink: WalkSink): void {
  summary.lastAgent = tally.owner;
  summary.segments++;
  sink.segment(tally, summary);
}
