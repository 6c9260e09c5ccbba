import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkDb, repairDb } from "../../src/bot/db-check.ts";
import { drainOwed } from "../../src/bot/drain-owed.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { parseConfig } from "../../src/config.ts";
import { type MetricValues, parsePeriod } from "../../src/engine/index.ts";
import { withClaim } from "../../src/store/claims.ts";
import type { Store } from "../../src/store/database.ts";
import { type ImportOutcome, importBatch } from "../../src/store/import-repo.ts";
import { owedPeriod, owedPeriods, owePeriods, settleOwed } from "../../src/store/owed-scoring-repo.ts";
import { scorecards } from "../../src/store/schema.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * Scoring owed: an import writes the periods it changes into owed_scoring in its own
 * transaction, so a crash between storing the figures and scoring them leaves the debt, not
 * stale cards; a drain pays it, from anywhere, any number of times.
 */

const config = `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售前一组 }]
agents:
  - { id: zhang, name: 小张, role: presales, team: t1, accounts: [{ shop: s1, account: 小张 }] }
  - { id: li, name: 小李, role: presales, team: t1, accounts: [{ shop: s1, account: 小李 }] }
`;
const NOW = new Date("2026-11-21T02:00:00Z");
const LATER = new Date("2026-11-21T03:00:00Z");
const figures = (frt: number): MetricValues => ({
  first_response_time: { num: frt * 100, den: 100 },
  conversion_rate: { num: 15, den: 100 },
});
/** The periods of Wednesday 2026-11-18 the bot keeps cards for. */
const PERIODS_OF_1118 = ["2026-11-18", "2026-W47", "2026-11-09~2026-11-22", "2026-11"];

let hashes = 0;
async function importDay(
  store: Store,
  day: string,
  values: Record<string, MetricValues>,
  now = NOW,
): Promise<ImportOutcome> {
  return importBatch(
    store.db,
    {
      source: "generic",
      records: Object.entries(values).map(([agent, v], i) => ({
        line: i + 2,
        agent,
        values: v,
        pending: [],
      })),
      facts: [],
      problems: [],
    },
    {
      fileHash: `h${++hashes}`,
      shopId: "s1",
      day,
      unknownAgents: "reject",
      defaultRole: "presales",
      actor: "t",
      now,
    },
  );
}

async function cardCount(store: Store, key: string): Promise<number> {
  const rows = await store.db.select().from(scorecards).where(eq(scorecards.periodKey, key));
  return rows.length;
}

describe.each(STORE_KINDS)("scoring owed, on the %s database", (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(kind);
    await syncConfig(store.db, { config: parseConfig(config, "test"), origin: "test", baseDir: "." }, NOW);
  });
  afterEach(() => store.close());

  it("owes the day, week, fortnight and month of an import in its own transaction; a drain pays it", async () => {
    // The import commits and the process dies before scoring: the debt is stored, the cards are not.
    expect((await importDay(store, "2026-11-18", { 小张: figures(20), 小李: figures(40) })).status).toBe(
      "done",
    );
    expect((await owedPeriods(store.db)).map((o) => o.periodKey)).toEqual(PERIODS_OF_1118);
    expect(await cardCount(store, "2026-11")).toBe(0);
    const check = await checkDb(store.db);
    expect(check.owed).toHaveLength(4);
    expect(check.mismatches.map((m) => [m.periodKey, m.missing, m.stale])).toEqual([
      ["2026-11", 2, 0],
      ["2026-11-18", 2, 0],
      ["2026-W47", 2, 0],
    ]);

    const drained = await drainOwed(store.db, { actor: "t", now: NOW, wait: false });
    expect(drained.failed).toEqual([]);
    // Days first, then weeks …: the fortnight has no card (no one is on probation).
    expect(drained.scored.map((s) => [s.period.key, s.cardCount])).toEqual([
      ["2026-11-18", 2],
      ["2026-W47", 2],
      ["2026-11-09~2026-11-22", 0],
      ["2026-11", 2],
    ]);
    expect(await owedPeriods(store.db)).toEqual([]);
    expect(await checkDb(store.db)).toEqual({ owed: [], mismatches: [], unscorable: [] });
    // Paid: draining again scores nothing.
    expect((await drainOwed(store.db, { actor: "t", now: NOW, wait: false })).scored).toEqual([]);
  });

  it("owes nothing for a rejected import or the same file again", async () => {
    const rejected = await importDay(store, "2026-11-18", { 小张: figures(20), 无名氏: figures(30) });
    expect(rejected.status).toBe("rejected");
    expect(await owedPeriods(store.db)).toEqual([]);
    await importDay(store, "2026-11-18", { 小张: figures(20) });
    await drainOwed(store.db, { actor: "t", now: NOW, wait: false });
    // The same figures again under a new hash: stored, nothing changed, nothing owed.
    expect((await importDay(store, "2026-11-18", { 小张: figures(20) })).status).toBe("done");
    expect(await owedPeriods(store.db)).toEqual([]);
  });

  it("keeps a period owed when figures come in while it is being scored", async () => {
    await importDay(store, "2026-11-18", { 小张: figures(20) });
    const seen = (await owedPeriod(store.db, "2026-11"))!;
    // Another import owes the month again before this drainer settles what it scored.
    await importDay(store, "2026-11-19", { 小张: figures(25) }, LATER);
    expect(await settleOwed(store.db, "2026-11", seen.generation)).toBe(false);
    const owedAgain = (await owedPeriod(store.db, "2026-11"))!;
    expect(owedAgain.generation).toBeGreaterThan(seen.generation);
    expect(owedAgain.owedSince).toEqual(NOW);
    expect(owedAgain.reason).toMatch(/^import:\d+$/);
    expect(await settleOwed(store.db, "2026-11", owedAgain.generation)).toBe(true);
  });

  it("finds cards older than their figures and missing cards, and --repair scores them", async () => {
    await importDay(store, "2026-11-18", { 小张: figures(20), 小李: figures(40) });
    await drainOwed(store.db, { actor: "t", now: NOW, wait: false });
    // What a crash before owed_scoring existed left: a correction stored, its cards not re-scored,
    // and a day whose cards never got written.
    await importDay(store, "2026-11-18", { 小张: figures(60) }, LATER);
    await importDay(store, "2026-11-19", { 小李: figures(30) }, LATER);
    await store.db.execute(sql`DELETE FROM owed_scoring`);

    const check = await checkDb(store.db);
    expect(check.owed).toEqual([]);
    expect(check.mismatches.map((m) => [m.periodKey, m.missing, m.stale])).toEqual([
      ["2026-11", 0, 2],
      ["2026-11-18", 0, 1],
      ["2026-11-19", 1, 0],
      ["2026-W47", 0, 2],
    ]);

    const repair = await repairDb(store.db, { actor: "repair", now: LATER });
    expect(repair.drained.scored.map((s) => s.period.key)).toEqual([
      "2026-11-18",
      "2026-11-19",
      "2026-W47",
      "2026-11",
    ]);
    expect(repair.after).toEqual({ owed: [], mismatches: [], unscorable: [] });
    const [month] = await store.db
      .select({ card: scorecards.card })
      .from(scorecards)
      .where(eq(scorecards.agentId, "zhang"));
    expect(month).toBeDefined();
    const zhangDay = (
      await store.db.select().from(scorecards).where(eq(scorecards.periodKey, "2026-11-18"))
    ).find((c) => c.agentId === "zhang");
    const frt = (zhangDay!.card as { items: { metric: string; actual: number | null }[] }).items.find(
      (i) => i.metric === "first_response_time",
    );
    expect(frt?.actual).toBe(60);
  });

  it("lets one process at a time score a period: the other skips it, or waits with wait", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const first = withClaim(store.db, "period:2026-11", false, async () => {
      entered();
      await held;
      return "first";
    });
    await inside;
    expect(await withClaim(store.db, "period:2026-11", false, async () => "second")).toEqual({
      claimed: false,
    });
    expect(await withClaim(store.db, "period:2026-W47", false, async () => "other")).toEqual({
      claimed: true,
      value: "other",
    });
    const waiting = withClaim(store.db, "period:2026-11", true, async () => "waited");
    release();
    expect(await first).toEqual({ claimed: true, value: "first" });
    expect(await waiting).toEqual({ claimed: true, value: "waited" });
  });

  it("leaves a period another drainer holds to it, and scores it once that one is done", async () => {
    await importDay(store, "2026-11-18", { 小张: figures(20) });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const holder = withClaim(store.db, "period:2026-11", false, async () => {
      entered();
      await held;
    });
    await inside;
    const skipping = await drainOwed(store.db, { actor: "t", now: NOW, wait: false });
    expect(skipping.busy).toEqual(["2026-11"]);
    expect((await owedPeriods(store.db)).map((o) => o.periodKey)).toEqual(["2026-11"]);
    release();
    await holder;
    const after = await drainOwed(store.db, { actor: "t", now: NOW, wait: true });
    expect(after.scored.map((s) => s.period.key)).toEqual(["2026-11"]);
    expect(await owedPeriods(store.db)).toEqual([]);
    expect(await owePeriods(store.db, [parsePeriod("2026-11")], "t", NOW)).toBe(1);
  });
});
