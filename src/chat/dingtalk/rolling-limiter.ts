/**
 * At most `limit` admissions in any rolling window, in arrival order; a caller over the limit
 * waits (on the injected sleep) until the oldest admission leaves the window, rather than fail.
 */
export interface LimiterTiming {
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
}

export class RollingWindowLimiter {
  readonly #admitted: number[] = [];
  #queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: number,
    /** The window, plus a margin for the platform's clock and the time in transit. */
    private readonly windowMs: number,
    private readonly timing: LimiterTiming,
  ) {}

  /** Resolves when the caller may go ahead; callers are admitted one at a time. */
  take(): Promise<void> {
    const turn = this.#queue.then(() => this.#admit());
    this.#queue = turn.catch(() => {});
    return turn;
  }

  async #admit(): Promise<void> {
    for (;;) {
      const now = this.timing.clock();
      while (this.#admitted.length > 0 && now - this.#admitted[0]! >= this.windowMs) this.#admitted.shift();
      if (this.#admitted.length < this.limit) {
        this.#admitted.push(now);
        return;
      }
      await this.timing.sleep(this.#admitted[0]! + this.windowMs - now);
    }
  }
}
