import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { drainOwed } from "../../src/bot/drain-owed.ts";
import { currentCards } from "../../src/bot/score-period.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { type LoadedConfig, parseConfig } from "../../src/config.ts";
import { parsePeriod } from "../../src/engine/index.ts";
import type { Store } from "../../src/store/database.ts";
import { importBatch } from "../../src/store/import-repo.ts";
import { scorecards } from "../../src/store/schema.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * Every command syncs the configuration and `kpi score` reads the period's cards; both skip the
 * work when it is already done: the same configuration is not synced twice, and stored cards are
 * read as they are when nothing was owed or reconfigured since they were scored.
 */

const configText = (role: string) => `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售前一组 }]
agents:
  - { id: zhang, name: 小张, role: ${role}, team: t1, accounts: [{ shop: s1, account: 小张 }] }
`;
const loaded = (role: string): LoadedConfig => ({
  config: parseConfig(configText(role), "test"),
  origin: "test",
  baseDir: ".",
});
const T1 = new Date("2026-11-21T02:00:00Z");
const T2 = new Date("2026-11-21T03:00:00Z");
const T3 = new Date("2026-11-21T04:00:00Z");
const T4 = new Date("2026-11-21T05:00:00Z");
const WEEK = parsePeriod("2026-W47");

async function importWednesday(store: Store, frt: number, hash: string, now: Date): Promise<void> {
  await importBatch(
    store.db,
    {
      source: "generic",
      records: [
        {
          line: 2,
          agent: "小张",
          values: {
            first_response_time: { num: frt * 100, den: 100 },
            conversion_rate: { num: 15, den: 100 },
          },
          pending: [],
        },
      ],
      facts: [],
      problems: [],
    },
    {
      fileHash: hash,
      shopId: "s1",
      day: "2026-11-18",
      unknownAgents: "reject",
      defaultRole: "presales",
      actor: "t",
      now,
    },
  );
}

async function computedAt(store: Store): Promise<Date | undefined> {
  const [row] = await store.db
    .select({ at: scorecards.computedAt })
    .from(scorecards)
    .where(and(eq(scorecards.periodKey, WEEK.key), eq(scorecards.agentId, "zhang")));
  return row?.at;
}

describe.each(STORE_KINDS)("configuration sync and current cards, on the %s database", (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(() => store.close());

  it("syncs a configuration once, again when it changes, and again when it changes back", async () => {
    const first = await syncConfig(store.db, loaded("presales"), T1);
    expect(first.unchanged).toBe(false);
    expect(first.rosterChanges).toBeGreaterThan(0);
    expect((await syncConfig(store.db, loaded("presales"), T2)).unchanged).toBe(true);
    const changed = await syncConfig(store.db, loaded("aftersales"), T3);
    expect(changed).toMatchObject({ unchanged: false, rosterChanges: 1 });
    // Only the last configuration counts: the first one's roster is not in the database any more.
    const back = await syncConfig(store.db, loaded("presales"), T4);
    expect(back).toMatchObject({ unchanged: false, rosterChanges: 1 });
  });

  it("reads stored cards when current, and scores again when owed or reconfigured", async () => {
    await syncConfig(store.db, loaded("presales"), T1);
    await importWednesday(store, 20, "h1", T1);
    await drainOwed(store.db, { actor: "t", now: T2, wait: false });
    const stored = await currentCards(store.db, WEEK, { actor: "kpi score", now: T3 });
    expect(stored.map((c) => [c.card.agent, c.card.role])).toEqual([["zhang", "presales"]]);
    const frt = (cards: typeof stored) =>
      cards[0]!.card.items.find((i) => i.metric === "first_response_time");
    expect(frt(stored)?.actual).toBe(20);
    // Read, not scored again: the card is still the one the drain wrote.
    expect(await computedAt(store)).toEqual(T2);

    // A corrected export owes the week: read again, it is scored from the new figures.
    await importWednesday(store, 40, "h2", T3);
    expect(frt(await currentCards(store.db, WEEK, { actor: "kpi score", now: T3 }))?.actual).toBe(40);

    // A new role in the configuration owes nothing; the cards are older than the sync, so they are scored again.
    await syncConfig(store.db, loaded("aftersales"), T4);
    const rescored = await currentCards(store.db, WEEK, { actor: "kpi score", now: T4 });
    expect(rescored.map((c) => c.card.role)).toEqual(["aftersales"]);
    expect(await computedAt(store)).toEqual(T4);
  });
});
