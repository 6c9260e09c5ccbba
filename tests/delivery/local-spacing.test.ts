import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LocalSpacing } from "../../src/delivery/local-spacing.ts";

/** The clock is vitest's: each test moves it by hand, so these are counts of sends, not timings. */
describe("one process keeping its own sends within the limits", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const app = [{ scope: "feishu:app", intervalMs: 20 }];
  const channel = [{ scope: "slack:channel:C1", intervalMs: 1000 }];

  /** Starts `count` sends at once and returns how many have left after `ms` of the clock. */
  async function leftAfter(spacing: LocalSpacing, scopes: typeof app, count: number, ms: number) {
    let left = 0;
    for (let i = 0; i < count; i++) {
      void spacing.leave(scopes).then((d) => {
        left += 1;
        d.answered();
      });
    }
    await vi.advanceTimersByTimeAsync(ms);
    return left;
  }

  it("lets no more than 48 sends of a 50-a-second scope leave in a second, never two within 18 ms", async () => {
    const spacing = new LocalSpacing(sleep, 0.05);
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      void spacing.leave(app).then((d) => {
        times.push(Date.now());
        d.answered();
      });
    }
    await vi.advanceTimersByTimeAsync(3_000);
    expect(times).toHaveLength(100);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(18);
    for (let i = 48; i < times.length; i++) expect(times[i]! - times[i - 48]!).toBeGreaterThanOrEqual(1000);
  });

  it("sends to a channel of one a second one second after the previous one was answered", async () => {
    const spacing = new LocalSpacing(sleep, 0.05);
    const first = await spacing.leave(channel);
    let secondAt: number | undefined;
    void spacing.leave(channel).then((d) => {
      secondAt = Date.now();
      d.answered();
    });
    // Not answered yet: the second waits however long the first takes.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(secondAt).toBeUndefined();
    const answeredAt = Date.now();
    first.answered();
    await vi.advanceTimersByTimeAsync(999);
    expect(secondAt).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(secondAt).toBe(answeredAt + 1000);
  });

  it("does not count a send that stayed", async () => {
    const spacing = new LocalSpacing(sleep, 0.05);
    const stayed = await spacing.leave(channel);
    stayed.stayed();
    expect(await leftAfter(spacing, channel, 1, 0)).toBe(1);
  });
});
