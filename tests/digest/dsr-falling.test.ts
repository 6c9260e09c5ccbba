import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { parseConfig } from "../../src/config.ts";
import { gatherDigest } from "../../src/digest/team-digest-data.ts";
import { dayKey, parseDay, parsePeriod } from "../../src/engine/index.ts";
import { agentProfiles } from "../../src/store/agent-day-repo.ts";
import type { Store } from "../../src/store/database.ts";
import { importBatch } from "../../src/store/import-repo.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * Seed 000: DSR 服务态度分 falling 15 days in a row calls for a team-wide analysis. The shop's
 * DSR from 11-05 to 11-20 goes 4.95, 4.94 … 4.80: on each of the 15 days 11-06 … 11-20 it is
 * below the day before, so the digest of 11-20 raises the alert, from 4.95 to 4.80.
 */
const CONFIG = `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售前一组 }]
agents:
  - { id: a1, name: 小一, role: presales, team: t1, accounts: [{ shop: s1, account: 小一 }] }
`;
const NOW = new Date("2026-11-21T02:00:00Z");

describe.each(STORE_KINDS)("the DSR-falling alert (%s)", (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(kind);
    await syncConfig(store.db, { config: parseConfig(CONFIG, "test"), origin: "test", baseDir: "." }, NOW);
  });
  afterEach(() => store.close());

  const importDsr = async (hundredths: readonly number[]) => {
    const first = parseDay("2026-11-05");
    for (const [i, dsr] of hundredths.entries()) {
      const day = dayKey(first + i);
      await importBatch(
        store.db,
        {
          source: "generic",
          records: [{ line: 2, agent: "小一", values: { dsr_service: { num: dsr, den: 100 } }, pending: [] }],
          facts: [],
          problems: [],
        },
        {
          fileHash: day,
          shopId: "s1",
          day,
          unknownAgents: "reject",
          defaultRole: "presales",
          actor: "t",
          now: NOW,
        },
      );
    }
  };
  const alert = async () =>
    (
      await gatherDigest(store.db, {
        members: await agentProfiles(store.db),
        period: parsePeriod("2026-11-20"),
        now: NOW,
        attentionGrade: "C",
        dsrFallingDays: 15,
        withTrend: false,
        watchMetrics: [],
      })
    ).dsrFalling;

  it("raises it after 15 days each below the day before: 4.95 → 4.80", async () => {
    await importDsr(Array.from({ length: 16 }, (_, i) => 495 - i));
    expect(await alert()).toEqual({ days: 15, from: 4.95, to: 4.8 });
  });

  it("does not when one of the 15 days holds level", async () => {
    const series = Array.from({ length: 16 }, (_, i) => 495 - i);
    series[8] = series[7]!;
    await importDsr(series);
    expect(await alert()).toBeUndefined();
  });
});
