import { outboxCounts } from "../../src/delivery/outbox-repo.ts";
import type { Store } from "../../src/store/database.ts";

/** Waits until `total` outbox rows are sent or dead (or the time is up); the rows by state. */
export async function settled(
  store: Store,
  total: number,
  timeoutMs = 60_000,
): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await outboxCounts(store.db);
    if ((counts.sent ?? 0) + (counts.dead ?? 0) >= total || Date.now() > deadline) return counts;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
