import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkDb } from "../../src/bot/db-check.ts";
import { demoLoaded, loadDemo } from "../../src/bot/load-demo.ts";
import { storeBatch } from "../../src/bot/store-batches.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { DEFAULT_CONFIG_TEXT, parseConfig } from "../../src/config.ts";
import { DEMO_SHOP, generateDemoShop } from "../../src/sources/demo/index.ts";
import type { Store } from "../../src/store/database.ts";
import { owedPeriods } from "../../src/store/owed-scoring-repo.ts";
import { syncRoster } from "../../src/store/roster-repo.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * A demo load killed half-way is not taken for a loaded demo: the start that follows loads it
 * again, the days already stored being no-ops, and every card is scored.
 */

const NOW = new Date("2026-12-05T02:00:00Z");
const LOAD = { endDay: "2026-12-04", days: 4, seed: 1, actor: "test", now: NOW };

describe.each(STORE_KINDS)("the demo load on %s", (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(() => store.close());

  it("counts as loaded only once a load finished, and a second load after a half one scores everything", async () => {
    // What a kill after the first day's transaction leaves: one day stored, owed, never scored.
    const shop = generateDemoShop({ endDay: LOAD.endDay, days: LOAD.days, seed: LOAD.seed });
    const config = parseConfig(DEFAULT_CONFIG_TEXT, "built-in");
    await syncConfig(store.db, { config, origin: "built-in", baseDir: "." }, NOW);
    await store.db.transaction((tx) => syncRoster(tx, shop.roster, "test", NOW));
    const first = await storeBatch(store.db, shop.batches[0]!, {
      shopId: DEMO_SHOP.id,
      unknownAgents: "reject",
      defaultRole: "presales",
      actor: "test",
      now: NOW,
    });
    expect(first.status).toBe("done");
    expect(await demoLoaded(store.db)).toBe(false);
    expect((await owedPeriods(store.db)).length).toBeGreaterThan(0);

    const outcome = await loadDemo(store.db, LOAD);
    expect(outcome.unchanged).toBe(1);
    expect(outcome.imported).toBe(LOAD.days - 1);
    expect(await demoLoaded(store.db)).toBe(true);
    const check = await checkDb(store.db);
    expect(check.owed).toEqual([]);
    expect(check.mismatches).toEqual([]);
  });
});
