import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { importExportFile } from "../../src/bot/import-file.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { type Config, parseConfig } from "../../src/config.ts";
import type { Store } from "../../src/store/database.ts";
import { scorecardsOf } from "../../src/store/scorecard-repo.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * The 拼多多 and 抖店 飞鸽 fixtures imported as `kpi import` imports them, on both databases: every
 * agent of the file gets a card for each of its days (Saturday 11-21 to Monday 11-23), for both
 * ISO weeks (W47 ends on the Sunday) and for November, and each item's figure is the period's
 * numerators over its denominators (the day figures below are tests/sources/exports/pdd-douyin's).
 */

const fixtures = join(import.meta.dirname, "../fixtures/exports");
const dir = mkdtempSync(join(tmpdir(), "kpi-pdd-douyin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The metrics the platforms' own rules weigh, scored on one scheme for both shops. */
writeFileSync(
  join(dir, "platform.yaml"),
  `id: platform-exports
name: 平台导出测试方案
itemCap: 120
rounding: { itemScore: 2, total: 2 }
missingData: renormalise
roles:
  presales:
    name: 售前客服
    items:
      - { metric: response_3min_rate, target: 95%, weight: 20% }
      - { metric: response_30s_rate, target: 85%, weight: 10% }
      - { metric: avg_response_time, target: 30s, weight: 15% }
      - { metric: conversion_rate, target: 25%, weight: 20% }
      - { metric: receptions, target: 80, weight: 10% }
      - { metric: sales_amount, target: 4000, weight: 5% }
      - { metric: csat_rate, target: 90%, weight: 10% }
      - { metric: dissatisfaction_rate, target: 5%, weight: 10% }
`,
);

const CONFIG = `
shops:
  - { id: pdd, name: 多多旗舰店, platform: pdd }
  - { id: dy, name: 抖音旗舰店, platform: other }
teams:
  - { id: pdd-presales, shop: pdd, name: 拼多多售前 }
  - { id: dy-presales, shop: dy, name: 抖店售前 }
agents:
  - { id: amei, name: 阿美, role: presales, team: pdd-presales, accounts: [{ shop: pdd, account: pdd_阿美 }] }
  - { id: xiaolin, name: 小林, role: presales, team: pdd-presales, accounts: [{ shop: pdd, account: pdd_小林 }] }
  - { id: dazhuang, name: 大壮, role: presales, team: pdd-presales, accounts: [{ shop: pdd, account: pdd_大壮 }] }
  - { id: xiaolu, name: 小鹿, role: presales, team: dy-presales, accounts: [{ shop: dy, account: 飞鸽_小鹿 }] }
  - { id: ajie, name: 阿杰, role: presales, team: dy-presales, accounts: [{ shop: dy, account: 飞鸽_阿杰 }] }
  - { id: qingtian, name: 晴天, role: presales, team: dy-presales, accounts: [{ shop: dy, account: 飞鸽_晴天 }] }
schemes:
  presales: [{ scheme: platform.yaml }]
`;
const NOW = new Date("2026-11-24T02:00:00Z");

type Figure = readonly [num: number, den: number];
/** One agent's day: each scheme metric's numerator and denominator; absent when the file has none. */
type Day = Partial<Record<string, Figure>>;

const DAYS = ["2026-11-21", "2026-11-22", "2026-11-23"] as const;
const PERIODS: Record<string, readonly string[]> = {
  "2026-11-21": ["2026-11-21"],
  "2026-11-22": ["2026-11-22"],
  "2026-11-23": ["2026-11-23"],
  "2026-W47": ["2026-11-21", "2026-11-22"],
  "2026-W48": ["2026-11-23"],
  "2026-11": DAYS,
};

/**
 * 拼多多: 3-minute rate (需要人工回复 − 3分钟未回复) ÷ 需要人工回复; 30秒应答率 and 平均人工响应时长
 * (minutes) on 需要人工回复的咨询人数; 最终成团人数 ÷ 询单人数; no ratings in this export.
 */
const PDD: Record<string, Record<string, Day>> = {
  amei: {
    "2026-11-21": {
      response_3min_rate: [98, 100],
      response_30s_rate: [91, 100],
      avg_response_time: [2520, 100],
      conversion_rate: [21, 60],
      receptions: [110, 1],
      sales_amount: [6300, 1],
    },
    "2026-11-22": {
      response_3min_rate: [109, 110],
      response_30s_rate: [102, 110],
      avg_response_time: [2508, 110],
      conversion_rate: [24, 64],
      receptions: [118, 1],
      sales_amount: [7200, 1],
    },
    // 最终成团人数 统计中: no conversion yet.
    "2026-11-23": {
      response_3min_rate: [120, 120],
      response_30s_rate: [114, 120],
      avg_response_time: [2520, 120],
      receptions: [126, 1],
      sales_amount: [8100, 1],
    },
  },
  xiaolin: {
    "2026-11-21": {
      response_3min_rate: [70, 70],
      response_30s_rate: [62, 70],
      avg_response_time: [1750, 70],
      conversion_rate: [12, 40],
      receptions: [75, 1],
      sales_amount: [3600, 1],
    },
    // No customers: 0 ÷ 0 and "-" are no figures, the day still counts for receptions.
    "2026-11-22": {
      response_3min_rate: [0, 0],
      conversion_rate: [0, 0],
      receptions: [0, 1],
      sales_amount: [0, 1],
    },
    "2026-11-23": {
      response_3min_rate: [76, 80],
      response_30s_rate: [72, 80],
      avg_response_time: [2400, 80],
      conversion_rate: [14, 45],
      receptions: [84, 1],
      sales_amount: [4340, 1],
    },
  },
  dazhuang: {
    "2026-11-21": {
      response_3min_rate: [87, 90],
      response_30s_rate: [77, 90],
      avg_response_time: [2970, 90],
      conversion_rate: [15, 50],
      receptions: [92, 1],
      sales_amount: [4500.5, 1],
    },
    "2026-11-22": {
      response_3min_rate: [96, 96],
      response_30s_rate: [84, 96],
      avg_response_time: [2784, 96],
      conversion_rate: [12, 48],
      receptions: [98, 1],
      sales_amount: [3960, 1],
    },
    "2026-11-23": {
      response_3min_rate: [99, 100],
      response_30s_rate: [89, 100],
      avg_response_time: [2820, 100],
      conversion_rate: [13, 52],
      receptions: [103, 1],
      sales_amount: [4160, 1],
    },
  },
};

/** 抖店 飞鸽: rates and times on 人工已接待会话量, 满意率 and 不满意率 on 评价人数, 支付人数 ÷ 询单人数. */
const DOUYIN: Record<string, Record<string, Day>> = {
  xiaolu: {
    "2026-11-21": {
      response_3min_rate: [87, 90],
      response_30s_rate: [80, 90],
      avg_response_time: [2565, 90],
      conversion_rate: [9, 30],
      receptions: [80, 1],
      sales_amount: [2700, 1],
      csat_rate: [18, 20],
      dissatisfaction_rate: [1, 20],
    },
    "2026-11-22": {
      response_3min_rate: [93, 95],
      response_30s_rate: [86, 95],
      avg_response_time: [2470, 95],
      conversion_rate: [10, 32],
      receptions: [85, 1],
      sales_amount: [3100, 1],
      csat_rate: [23, 25],
      dissatisfaction_rate: [1, 25],
    },
    "2026-11-23": {
      response_3min_rate: [99, 100],
      response_30s_rate: [92, 100],
      avg_response_time: [2400, 100],
      conversion_rate: [12, 35],
      receptions: [90, 1],
      sales_amount: [3600, 1],
      csat_rate: [28, 30],
      dissatisfaction_rate: [1, 30],
    },
  },
  ajie: {
    "2026-11-21": {
      response_3min_rate: [60, 64],
      response_30s_rate: [52, 64],
      avg_response_time: [4160, 64],
      conversion_rate: [5, 25],
      receptions: [60, 1],
      sales_amount: [1250, 1],
      csat_rate: [8, 10],
      dissatisfaction_rate: [1, 10],
    },
    "2026-11-22": {
      response_3min_rate: [72, 75],
      response_30s_rate: [63, 75],
      avg_response_time: [2625, 75],
      conversion_rate: [7, 28],
      receptions: [70, 1],
      sales_amount: [1820, 1],
      csat_rate: [10, 12],
      dissatisfaction_rate: [1, 12],
    },
    "2026-11-23": {
      response_3min_rate: [67, 70],
      response_30s_rate: [58, 70],
      avg_response_time: [2660, 70],
      conversion_rate: [6, 24],
      receptions: [65, 1],
      sales_amount: [1500, 1],
      csat_rate: [7, 9],
      dissatisfaction_rate: [1, 9],
    },
  },
  qingtian: {
    // Nobody rated, and 支付人数 统计中.
    "2026-11-21": {
      response_3min_rate: [50, 50],
      response_30s_rate: [45, 50],
      avg_response_time: [2000, 50],
      receptions: [45, 1],
      sales_amount: [900, 1],
    },
    "2026-11-22": {
      response_3min_rate: [54, 55],
      response_30s_rate: [49, 55],
      avg_response_time: [1650, 55],
      conversion_rate: [5, 18],
      receptions: [50, 1],
      sales_amount: [1000, 1],
      csat_rate: [7, 8],
      dissatisfaction_rate: [0, 8],
    },
    "2026-11-23": {
      response_3min_rate: [60, 60],
      response_30s_rate: [55, 60],
      avg_response_time: [1620, 60],
      conversion_rate: [6, 20],
      receptions: [55, 1],
      sales_amount: [1260, 1],
      csat_rate: [9, 10],
      dissatisfaction_rate: [0, 10],
    },
  },
};

const METRICS = [
  "response_3min_rate",
  "response_30s_rate",
  "avg_response_time",
  "conversion_rate",
  "receptions",
  "sales_amount",
  "csat_rate",
  "dissatisfaction_rate",
] as const;

/** A period's figure: Σ numerators ÷ Σ denominators (Σ for money); null when there is none. */
function expected(days: Record<string, Day>, periodKey: string, metric: string): number | null {
  const figures = PERIODS[periodKey]!.map((day) => days[day]?.[metric]).filter((f) => f !== undefined);
  const num = figures.reduce((sum, [n]) => sum + n, 0);
  const den = figures.reduce((sum, [, d]) => sum + d, 0);
  if (metric === "sales_amount") return figures.length === 0 ? null : num;
  return den === 0 ? null : num / den;
}

const CASES = [
  {
    kind: "pdd",
    shop: "pdd",
    files: ["pdd-gbk.csv", "pdd.xlsx"],
    agents: PDD,
    pendingOf: { amei: "2026-11-23" },
  },
  {
    kind: "douyin",
    shop: "dy",
    files: ["douyin-utf8.csv", "douyin.xlsx"],
    agents: DOUYIN,
    pendingOf: { qingtian: "2026-11-21" },
  },
] as const;

describe.each(STORE_KINDS)("importing 拼多多 and 抖店 exports into %s", (storeKind) => {
  let store: Store;
  let config: Config;
  beforeEach(async () => {
    store = await openTestStore(storeKind);
    config = parseConfig(CONFIG, "test");
    await syncConfig(store.db, { config, origin: "test", baseDir: dir }, NOW);
  }, 60_000);
  afterEach(() => store.close());

  for (const { kind, shop, files, agents, pendingOf } of CASES)
    for (const file of files)
      it(`scores every agent of ${file} for each day, both weeks and the month`, async () => {
        const request = { path: join(fixtures, file), shopId: shop, config, actor: "test", now: NOW };
        const imported = await importExportFile(store.db, request);
        expect(imported.kind).toBe(kind);
        expect(imported.outcome).toMatchObject({ status: "done", records: 9 });
        expect(imported.notScored).toEqual([]);
        // (and the fortnights, which grade new hires on probation only: none here)
        expect(imported.scored.map((s) => s.period.key)).toEqual(
          expect.arrayContaining(Object.keys(PERIODS)),
        );

        for (const periodKey of Object.keys(PERIODS)) {
          const periodKind = periodKey.includes("W") ? "week" : periodKey.length === 7 ? "month" : "day";
          const cards = await scorecardsOf(store.db, periodKind, periodKey);
          expect(cards.map((c) => c.card.agent).sort(), periodKey).toEqual(Object.keys(agents).sort());
          for (const stored of cards) {
            const agent = stored.card.agent;
            const days = agents[agent as keyof typeof agents] as Record<string, Day>;
            for (const metric of METRICS) {
              const actual = stored.card.items.find((i) => i.metric === metric)?.actual ?? null;
              const want = expected(days, periodKey, metric);
              if (want === null) expect(actual, `${agent} ${periodKey} ${metric}`).toBeNull();
              else expect(actual, `${agent} ${periodKey} ${metric}`).toBeCloseTo(want, 9);
            }
            // The conversion still counting on its day is pending on every card that day is in.
            const pendingDay = (pendingOf as Record<string, string>)[agent];
            const isPending = pendingDay !== undefined && PERIODS[periodKey]!.includes(pendingDay);
            expect(stored.pending.includes("conversion_rate"), `${agent} ${periodKey} pending`).toBe(
              isPending,
            );
          }
        }
      });
});
