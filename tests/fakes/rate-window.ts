/**
 * A platform's "N calls per window" as the fakes enforce it, read the strictest way: at most
 * `limit` calls admitted in ANY window of `windowMs` (a sliding log of admissions). A client that
 * keeps to this keeps to a fixed-window count or a token bucket of the same limit too, whatever
 * their alignment, so a run that passes here would pass the real gateway's count.
 *
 * A throttled call is not admitted (it uses up nothing) but is counted, per scope; so is a call
 * that arrives while an earlier throttle answer's wait is still running in its scope: a client
 * that keeps sending while throttled is what platforms ban (DingTalk silences a webhook robot for
 * ten minutes, Slack may revoke a token), so the bench fails on either.
 */

export interface RateRule {
  limit: number;
  windowMs: number;
}

/** A scope a call counts against, with the rule of that scope. */
export interface LimitedScope {
  scope: string;
  rule: RateRule;
}

export type RateVerdict = { admitted: true } | { admitted: false; retryAfterMs: number; scope: string };

/** What one scope saw. */
export interface ScopeCount {
  scope: string;
  rule: RateRule;
  admitted: number;
  throttled: number;
  /** When each throttled call came (Date.now()). */
  throttledAt: number[];
  /** Calls that came while a throttle answer's wait was still running. */
  ignoredWaits: number;
}

interface ScopeState extends ScopeCount {
  /** Admission times, oldest first; entries before `head` have left the window. */
  log: number[];
  head: number;
  waitUntil: number;
}

export class RateWindows {
  readonly #scopes = new Map<string, ScopeState>();

  /** Admits the call in every scope or in none; a refusal names the scope and how long to wait. */
  judge(scopes: readonly LimitedScope[], nowMs: number): RateVerdict {
    const states = scopes.map((s) => this.#state(s));
    let refusal: { retryAfterMs: number; scope: string } | undefined;
    for (const state of states) {
      if (nowMs < state.waitUntil) state.ignoredWaits += 1;
      const { limit, windowMs } = state.rule;
      while (state.head < state.log.length && state.log[state.head]! <= nowMs - windowMs) state.head += 1;
      if (state.log.length - state.head < limit) continue;
      // The oldest admission in the window leaves it at its time + windowMs.
      const retryAfterMs = state.log[state.log.length - limit]! + windowMs - nowMs;
      state.throttled += 1;
      state.throttledAt.push(nowMs);
      state.waitUntil = Math.max(state.waitUntil, nowMs + retryAfterMs);
      if (!refusal || retryAfterMs > refusal.retryAfterMs) refusal = { retryAfterMs, scope: state.scope };
    }
    if (refusal) return { admitted: false, ...refusal };
    for (const state of states) {
      state.log.push(nowMs);
      state.admitted += 1;
      // Keep the log from growing without end on long runs.
      if (state.head > 4096) {
        state.log.splice(0, state.head);
        state.head = 0;
      }
    }
    return { admitted: true };
  }

  counts(): ScopeCount[] {
    return [...this.#scopes.values()].map(
      ({ scope, rule, admitted, throttled, throttledAt, ignoredWaits }) => ({
        scope,
        rule,
        admitted,
        throttled,
        throttledAt: [...throttledAt],
        ignoredWaits,
      }),
    );
  }

  #state({ scope, rule }: LimitedScope): ScopeState {
    let state = this.#scopes.get(scope);
    if (!state) {
      state = {
        scope,
        rule,
        admitted: 0,
        throttled: 0,
        throttledAt: [],
        ignoredWaits: 0,
        log: [],
        head: 0,
        waitUntil: 0,
      };
      this.#scopes.set(scope, state);
    }
    return state;
  }
}
