import { describe, expect, it } from "vitest";
import { holdScopes, reserveSlot, reserveSlots, type Slot } from "../../src/delivery/pacing.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

// An hour ahead, so the due times given decide the slots rather than the database's clock.
const BASE = Math.ceil(Date.now() / 1000) * 1000 + 3600_000;
const at = (ms: number) => new Date(BASE + ms);
const ms = (slot: Slot) => slot.at.getTime() - BASE;

describe.each(STORE_KINDS)("pacing sends by their limits (%s)", (kind) => {
  it("gives one scope's sends slots one interval apart, and now once the scope is idle", async () => {
    const store = await openTestStore(kind);
    try {
      const channel = [{ scope: "slack:channel:C1", intervalMs: 1000 }];
      const slots = [];
      for (let i = 0; i < 4; i++) slots.push(ms(await reserveSlot(store.db, channel, at(0))));
      expect(slots).toEqual([0, 1000, 2000, 3000]);
      // The wait is the database's own: from its clock to the slot four seconds after BASE. BASE
      // was fixed when the file loaded, so the wait is measured against the clock now.
      const before = Date.now();
      const last = await reserveSlot(store.db, channel, at(0));
      const after = Date.now();
      expect(last.waitMs).toBeGreaterThan(BASE + 4000 - after - 1000);
      expect(last.waitMs).toBeLessThanOrEqual(BASE + 4000 - before + 1000);
      expect(ms(await reserveSlot(store.db, channel, at(10_000)))).toBe(10_000);

      // Due in the past: the slot is the database's now, and the send need not wait.
      const late = await reserveSlot(
        store.db,
        [{ scope: "slack:channel:C9", intervalMs: 1000 }],
        new Date(0),
      );
      expect(Math.abs(late.at.getTime() - Date.now())).toBeLessThan(5000);
      expect(late.waitMs).toBe(0);
      // Another scope is not held up by this one.
      expect(
        ms(await reserveSlot(store.db, [{ scope: "slack:channel:C2", intervalMs: 1000 }], at(10_000))),
      ).toBe(10_000);
    } finally {
      await store.close();
    }
  });

  it("takes one slot for all of a send's scopes, and moves each one past it", async () => {
    const store = await openTestStore(kind);
    try {
      const app = { scope: "feishu:app", intervalMs: 20 };
      const chat = (id: string) => ({ scope: `feishu:chat:${id}`, intervalMs: 200 });
      expect(ms(await reserveSlot(store.db, [app, chat("a")], at(0)))).toBe(0);
      // chat a is busy until 200: the send waits for it, and the app's next slot follows it.
      expect(ms(await reserveSlot(store.db, [app, chat("a")], at(0)))).toBe(200);
      expect(ms(await reserveSlot(store.db, [app, chat("b")], at(0)))).toBe(220);
      expect(ms(await reserveSlot(store.db, [], at(5)))).toBe(5);
    } finally {
      await store.close();
    }
  });

  it("reserves a batch's slots in one go, as the same sends one at a time would get them", async () => {
    const store = await openTestStore(kind);
    try {
      const app = { scope: "feishu:app", intervalMs: 20 };
      const chat = (id: string) => ({ scope: `feishu:chat:${id}`, intervalMs: 200 });
      const slots = await reserveSlots(store.db, [
        { scopes: [app, chat("a")], earliest: at(0) },
        { scopes: [app, chat("a")], earliest: at(0) },
        { scopes: [app, chat("b")], earliest: at(0) },
        { scopes: [app, chat("c")], earliest: at(500) },
        { scopes: [], earliest: at(5) },
      ]);
      expect(slots.map(ms)).toEqual([0, 200, 220, 500, 5]);
      // The next batch starts where this one left each scope.
      expect(ms(await reserveSlot(store.db, [app, chat("b")], at(0)))).toBe(520);
      // An interval of a third of a second is kept to the microsecond, not rounded to 333 ms.
      const third = [{ scope: "slack:channel:C3", intervalMs: 1000 / 3 }];
      const thirds = await reserveSlots(
        store.db,
        Array.from({ length: 4 }, () => ({ scopes: third, earliest: at(0) })),
      );
      expect(thirds.map(ms)).toEqual([0, 334, 667, 1000]);
    } finally {
      await store.close();
    }
  });

  it("tells the caller each scope's next free time before and after, so it can tell another replica reserved", async () => {
    const store = await openTestStore(kind);
    try {
      const channel = { scope: "slack:channel:C7", intervalMs: 1000 };
      const seen: [string, number, number][] = [];
      const note = (scope: string, before: number, after: number) =>
        seen.push([scope, Math.round(before - BASE), Math.round(after - BASE)]);
      await reserveSlots(store.db, [{ scopes: [channel], earliest: at(0) }], note);
      // Someone else reserves in between.
      await reserveSlot(store.db, [channel], at(0));
      await reserveSlots(store.db, [{ scopes: [channel], earliest: at(0) }], note);
      expect(seen.slice(1)).toEqual([["slack:channel:C7", 2000, 3000]]);
      expect(seen[0]![2]).toBe(1000);
    } finally {
      await store.close();
    }
  });

  it("never gives two concurrent batches the same slot", async () => {
    const store = await openTestStore(kind);
    try {
      const channel = [{ scope: "slack:channel:C1", intervalMs: 1000 }];
      const batches = await Promise.all(
        Array.from({ length: 5 }, () =>
          reserveSlots(
            store.db,
            Array.from({ length: 8 }, () => ({ scopes: channel, earliest: at(0) })),
          ),
        ),
      );
      expect(
        batches
          .flat()
          .map(ms)
          .sort((a, b) => a - b),
      ).toEqual(Array.from({ length: 40 }, (_, i) => i * 1000));
    } finally {
      await store.close();
    }
  });

  it("holds a scope after a Retry-After, never moving its next slot earlier", async () => {
    const store = await openTestStore(kind);
    try {
      const channel = { scope: "slack:channel:C1", intervalMs: 1000 };
      await holdScopes(store.db, [channel], at(30_000));
      expect(ms(await reserveSlot(store.db, [channel], at(0)))).toBe(30_000);
      await holdScopes(store.db, [channel], at(5_000));
      expect(ms(await reserveSlot(store.db, [channel], at(0)))).toBe(31_000);
    } finally {
      await store.close();
    }
  });

  it("never gives two concurrent senders the same slot", async () => {
    const store = await openTestStore(kind);
    try {
      const channel = [{ scope: "slack:channel:C1", intervalMs: 1000 }];
      const slots = await Promise.all(
        Array.from({ length: 20 }, () => reserveSlot(store.db, channel, at(0))),
      );
      expect(slots.map(ms).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i * 1000));
    } finally {
      await store.close();
    }
  });
});
