import type { ChatAdapter } from "../chat/adapter.ts";
import type { Claimed } from "./attempt.ts";

/**
 * A platform's first send in this process opens the connection and fetches a token, which can
 * take a few hundred milliseconds. Its other sends take their slots only once it has answered:
 * waiting behind it with slots already taken, they would all be late together and then leave in
 * a burst, over the limit.
 */
export class FirstSends {
  /** Settles when each platform's first send was answered (or did not go). */
  readonly #first = new Map<ChatAdapter, Promise<void>>();
  readonly #warm = new Set<ChatAdapter>();

  /**
   * Splits a batch: what may take slots now (one first send per new platform, and every send of a
   * platform that has answered), and what waits for a first send.
   */
  split(claimed: readonly Claimed[]): { now: Claimed[]; later: Map<Promise<void>, Claimed[]> } {
    const now: Claimed[] = [];
    const later = new Map<Promise<void>, Claimed[]>();
    for (const c of claimed) {
      const first = this.#first.get(c.adapter);
      if (first === undefined) {
        this.#first.set(c.adapter, this.#becomeFirst(c));
        now.push(c);
      } else if (this.#warm.has(c.adapter)) {
        now.push(c);
      } else {
        later.set(first, [...(later.get(first) ?? []), c]);
      }
    }
    return { now, later };
  }

  #becomeFirst(c: Claimed): Promise<void> {
    const adapter = c.adapter;
    return new Promise<void>((resolve) => {
      let told = false;
      c.first = {
        answered: () => {
          if (told) return;
          told = true;
          this.#warm.add(adapter);
          resolve();
        },
        // Not sent now (held for later, given back): the platform's next send goes first.
        released: () => {
          if (told) return;
          told = true;
          this.#first.delete(adapter);
          resolve();
        },
      };
    });
  }
}
