import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scorePeriod } from "../../src/bot/score-period.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { parseConfig } from "../../src/config.ts";
import { parsePeriod } from "../../src/engine/index.ts";
import { auditEntries } from "../../src/store/audit-repo.ts";
import type { Store } from "../../src/store/database.ts";
import { importBatch } from "../../src/store/import-repo.ts";
import { schemeVersions } from "../../src/store/schema.ts";
import { workedExample } from "../helpers.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

const roster = `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售前一组 }]
agents:
  - { id: zhang, name: 小张, role: presales, team: t1, accounts: [{ shop: s1, account: 小张 }] }
`;
const before = `${roster}
schemes:
  presales: [{ scheme: seed-example, from: 2026-01-01 }]
`;
const after = `${roster}
schemes:
  presales: [{ scheme: seed-example, from: 2026-01-01 }, { scheme: presales, from: 2026-11-01 }]
`;

const NOW = new Date("2026-11-23T01:00:00Z");
const load = (text: string) => ({ config: parseConfig(text, "test"), origin: "test", baseDir: "." });

describe.each(STORE_KINDS)("scheme versions on %s", (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(() => store.close());

  it("re-scores a past month with the scheme in force then, after the configuration moved on", async () => {
    expect(await syncConfig(store.db, load(before), NOW)).toEqual({
      rosterChanges: 3,
      schemeChanges: 1,
      unchanged: false,
    });
    for (const [day, hash] of [
      ["2026-10-15", "oct"],
      ["2026-11-15", "nov"],
    ] as const) {
      await importBatch(
        store.db,
        {
          source: "generic",
          records: [{ line: 2, agent: "小张", values: workedExample, pending: [] }],
          facts: [],
          problems: [],
        },
        {
          fileHash: hash,
          shopId: "s1",
          day,
          unknownAgents: "reject",
          defaultRole: "presales",
          actor: "t",
          now: NOW,
        },
      );
    }
    expect(await syncConfig(store.db, load(after), NOW)).toEqual({
      rosterChanges: 0,
      schemeChanges: 1,
      unchanged: false,
    });
    expect(await syncConfig(store.db, load(after), NOW)).toEqual({
      rosterChanges: 0,
      schemeChanges: 0,
      unchanged: true,
    });

    const october = await scorePeriod(store.db, parsePeriod("2026-10"), { actor: "t", now: NOW });
    const november = await scorePeriod(store.db, parsePeriod("2026-11"), { actor: "t", now: NOW });
    expect(october.cards[0]?.card).toMatchObject({ scheme: "seed-example", total: 94.6 });
    expect(november.cards[0]?.card.scheme).toBe("presales");
    const versions = await store.db.select().from(schemeVersions).orderBy(schemeVersions.effectiveFrom);
    expect(versions.map((v) => [v.schemeId, v.effectiveFrom])).toEqual([
      ["seed-example", "2026-01-01"],
      ["presales", "2026-11-01"],
    ]);
    expect(october.cards[0]?.schemeVersionId).toBe(versions[0]?.id);
    expect(november.cards[0]?.schemeVersionId).toBe(versions[1]?.id);
    expect((await auditEntries(store.db, "scheme.version.add")).map((e) => e.subject)).toEqual([
      "scheme:presales from 2026-11-01",
      "scheme:presales from 2026-01-01",
    ]);
  });
});
