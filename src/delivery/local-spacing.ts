import type { SendScope } from "../chat/adapter.ts";

/**
 * How one process keeps its own sends within the limits by when they actually leave, on top of
 * the database's slots (which space sends across replicas by when they are meant to leave, with a
 * margin). A send whose timer fired late (a busy event loop) must not go right on top of the
 * scope's next ones; and a scope that fell behind its slots catches up no faster than the limit.
 *
 * Short intervals (an app's 50 a second) are counted as the platform counts them, over any second,
 * keeping half the slots' margin: of 50 a second, at most 48 leave in any second (the slots, 5%
 * apart, hold about 47.6); and no two leave closer than 90% of the interval, so a scope catching
 * up neither fills a second to the limit nor sends its second's worth at once. Not a whole
 * interval after the last send: timers fire a millisecond or two late, and spacing each send from
 * the last one's actual departure would add that up, send after send, until the margin is gone.
 *
 * Long intervals (Slack's second per channel, Feishu's 200 ms per chat) are long next to a round
 * trip, and a call can take longer on its way than the next one (a connection being opened, a
 * token fetched). So the next send there waits for the previous one's answer and goes one
 * interval after it: the answer comes after the platform counted the call, so the two arrive an
 * interval apart however long the first took.
 */

/** Scopes with at least this interval wait for the previous send's answer. */
const ANSWER_SPACED_FROM_MS = 200;
const WINDOW_MS = 1_000;
/** Short scopes: the least gap between two sends, as a share of the interval. */
const LEAST_GAP = 0.9;

export interface Departure {
  answered(): void;
  stayed(): void;
}

interface ScopeState {
  /** Departures (long scopes: the last departure or answer) within the window, oldest first. */
  times: number[];
  answered: Promise<void> | undefined;
}

export class LocalSpacing {
  readonly #scopes = new Map<string, ScopeState>();

  constructor(
    private readonly sleep: (ms: number) => Promise<void>,
    /** The slots' margin over the limits (sender.ts): this process keeps half of it. */
    private readonly headroom: number,
  ) {}

  /**
   * Resolves when a send in these scopes may leave, counting it as gone: tell `answered` when the
   * platform has answered it, or `stayed` when it did not go after all.
   */
  async leave(scopes: readonly SendScope[]): Promise<Departure> {
    for (;;) {
      const now = Date.now();
      const states = scopes.map((s) => ({ s, state: this.#state(s.scope, now) }));
      const inFlight = states.find(({ s, state }) => isLong(s) && state.answered !== undefined);
      if (inFlight) {
        await inFlight.state.answered;
        continue;
      }
      const wait = Math.max(0, ...states.map(({ s, state }) => this.#freeAt(s, state.times) - now));
      if (wait <= 0) break;
      await this.sleep(wait);
    }
    const leaving = Date.now();
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const touched = scopes.map((s) => {
      const state = this.#state(s.scope, leaving);
      const before = { times: [...state.times], answered: state.answered };
      if (isLong(s)) {
        state.times = [leaving];
        state.answered = answered;
      } else {
        state.times.push(leaving);
      }
      return { long: isLong(s), state, before };
    });
    return {
      answered() {
        const now = Date.now();
        for (const { long, state } of touched) {
          if (!long) continue;
          state.times = [now];
          state.answered = undefined;
        }
        answer();
      },
      stayed() {
        for (const { long, state, before } of touched) {
          if (long) Object.assign(state, before);
          else state.times.splice(state.times.lastIndexOf(leaving), 1);
        }
        answer();
      },
    };
  }

  /** When the scope takes its next send. */
  #freeAt(s: SendScope, times: readonly number[]): number {
    if (isLong(s)) return (times.at(-1) ?? 0) + s.intervalMs;
    const perWindow = Math.max(1, Math.floor((WINDOW_MS / s.intervalMs) * (1 - this.headroom / 2)));
    const afterLast = (times.at(-1) ?? 0) + s.intervalMs * LEAST_GAP;
    if (times.length < perWindow) return afterLast;
    return Math.max(afterLast, times[times.length - perWindow]! + WINDOW_MS);
  }

  #state(scope: string, now: number): ScopeState {
    let state = this.#scopes.get(scope);
    if (!state) {
      if (this.#scopes.size > 50_000) this.#forgetIdle(now);
      state = { times: [], answered: undefined };
      this.#scopes.set(scope, state);
    }
    // Long scopes keep their last time whatever its age; short ones only the last window.
    while (state.times.length > 1 && state.times[0]! <= now - WINDOW_MS) state.times.shift();
    return state;
  }

  #forgetIdle(now: number) {
    for (const [scope, state] of this.#scopes) {
      if (state.answered === undefined && (state.times.at(-1) ?? 0) < now - 60_000)
        this.#scopes.delete(scope);
    }
  }
}

const isLong = (s: SendScope) => s.intervalMs >= ANSWER_SPACED_FROM_MS;
