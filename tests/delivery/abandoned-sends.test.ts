import { afterEach, describe, expect, it } from "vitest";
import { createConsoleAdapter } from "../../src/chat/console/console-adapter.ts";
import { type Delivery, startDelivery } from "../../src/delivery/delivery.ts";
import { addToOutbox, claimRows, outboxCounts } from "../../src/delivery/outbox-repo.ts";
import { silentLog } from "../../src/log.ts";
import type { Store } from "../../src/store/database.ts";
import { settled } from "../support/outbox.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * Rows a sender left `sending` when it was killed (kill -9 between claiming a message and
 * recording its answer). A sender that starts alone knows their sender is gone and sends them at
 * once, not after their lease (a minute) and their jobs' expiry, which `kpi start --once` would
 * not wait for; one that starts beside a live sender leaves them to the lease, since they may be
 * that sender's, still under way.
 */

const LEASE_MS = 60_000;

const messages = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    key: `left:${i}`,
    platform: "console" as const,
    to: { kind: "user" as const, userId: `agent${i}` },
    reply: { title: `left ${i}`, blocks: [{ kind: "text" as const, text: `message ${i}` }] },
  }));

/** What a killed sender leaves: rows claimed for an attempt whose answer was never recorded. */
async function leftSending(store: Store, n: number): Promise<void> {
  const rows = await addToOutbox(store.db, messages(n), new Date());
  const claimed = await claimRows(
    store.db,
    rows.map((r) => r.id),
    new Date(),
    LEASE_MS,
  );
  expect(claimed).toHaveLength(n);
}

describe.each(STORE_KINDS)("messages a killed sender left half-sent (%s)", (kind) => {
  let store: Store;
  const running: Delivery[] = [];
  afterEach(async () => {
    for (const delivery of running.splice(0)) await delivery.stop();
    await store?.close();
  });

  const start = async (printed: string[]) => {
    const delivery = await startDelivery({
      store,
      adapters: new Map([["console", createConsoleAdapter((text) => printed.push(text))]]),
      log: silentLog,
      leaseMs: LEASE_MS,
    });
    running.push(delivery);
    return delivery;
  };

  it("are sent at once, each once, by a sender that starts alone", async () => {
    store = await openTestStore(kind);
    await leftSending(store, 3);
    const printed: string[] = [];
    await start(printed);
    // Well inside the lease: nothing waited for it.
    expect(await settled(store, 3, LEASE_MS / 3)).toEqual({ sent: 3 });
    expect(printed.filter((text) => text.includes("message ")).sort()).toEqual(
      [0, 1, 2].map((i) => expect.stringContaining(`message ${i}`)),
    );
    expect(printed).toHaveLength(3);
  });

  it("are left to their lease by a sender that starts beside a live one", async () => {
    store = await openTestStore(kind);
    await start([]);
    await leftSending(store, 2);
    await start([]);
    expect(await outboxCounts(store.db)).toEqual({ sending: 2 });
  });
});
