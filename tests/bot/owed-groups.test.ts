import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { drainOwed } from "../../src/bot/drain-owed.ts";
import { daysRead, spanGroups } from "../../src/bot/owed-groups.ts";
import { cardsOfPeriod, storedInputs } from "../../src/bot/score-period.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { parseConfig } from "../../src/config.ts";
import { dayKey, type MetricValues, type Period, parseDay, parsePeriod } from "../../src/engine/index.ts";
import { withClaim } from "../../src/store/claims.ts";
import type { Store } from "../../src/store/database.ts";
import {
  owedPeriod,
  owedPeriods,
  owePeriodsOfDays,
  periodsOfDay,
  settleOwed,
} from "../../src/store/owed-scoring-repo.ts";
import { agentDays } from "../../src/store/schema.ts";
import { type StoredScorecard, scorecardsOf } from "../../src/store/scorecard-repo.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * The periods one drain owes are scored in groups from one load of their agent-days (and cards
 * worked out ahead while the one before is saved): the cards must be, to the last bit, the ones
 * each period scored from a load of its own gives, and a period owed again after the load was
 * made must be scored from its figures as they are then.
 */

const CONFIG = `
shops: [{ id: s1, name: 旗舰店, platform: taobao, category: beauty }]
teams: [{ id: t1, shop: s1, name: 售前一组 }]
agents:
  - { id: a1, name: 小一, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小一 }] }
  - { id: a2, name: 小二, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小二 }] }
  - { id: a3, name: 小三, role: presales, team: t1, supervisor: boss, traineeSince: "2026-10-19", accounts: [{ shop: s1, account: 小三 }] }
  - { id: tr, name: 小新, role: trainee, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小新 }] }
  - { id: boss, name: 王主管, role: supervisor, team: t1 }
`;
const NOW = new Date("2026-12-02T02:00:00Z");
const AGENTS = ["a1", "a2", "a3", "tr"];

/** Figures that differ by agent and day, with fractions whose sums depend on their order. */
function figuresOf(agent: number, day: number, shift = 0): MetricValues {
  const n = (agent * 7 + day * 3 + shift) % 11;
  return {
    conversion_rate: { num: 10 + n, den: 90 + agent },
    aov: { num: 1000.1 + n * 13.7 + day * 0.3, den: 10 + (day % 3) },
    cross_sell_rate: { num: 3 + (n % 4), den: 17 },
    first_response_time: { num: (18.4 + n) * 50, den: 50 },
    receptions: { num: 150 + n * 9, den: 1 },
    csat_rate: { num: 40 + n, den: 47 },
    resolution_rate: { num: 0.1 * (800 + n), den: 100 },
    attendance_rate: { num: n === 3 ? 0 : 1, den: 1 },
    avg_response_time: { num: 400 + n * 10, den: 10 },
    script_compliance: { num: 90 + (n % 9), den: 100 },
  };
}

/** What an import stores: the agent-days, and the periods of their days owed, in one go. */
async function storeDays(store: Store, days: string[], shift = 0, runId = 1): Promise<void> {
  await store.db
    .insert(agentDays)
    .values(
      days.flatMap((day) =>
        AGENTS.map((agentId, a) => ({
          shopId: "s1",
          agentId,
          day,
          source: "generic",
          values: figuresOf(a, parseDay(day), shift),
          pending: a === 1 && day.endsWith("0") ? ["resolution_rate"] : [],
          importRunId: runId,
          updatedAt: NOW,
        })),
      ),
    )
    .onConflictDoUpdate({
      target: [agentDays.day, agentDays.shopId, agentDays.agentId, agentDays.source],
      set: { values: sql`excluded.values`, importRunId: sql`excluded.import_run_id` },
    });
  await owePeriodsOfDays(store.db, days, `import:${runId}`, NOW);
}

const daysFrom = (first: string, count: number) =>
  Array.from({ length: count }, (_, i) => dayKey(parseDay(first) + i));

/** Each card as its text, by agent: equal only when equal to the last bit and key. */
const texts = (cards: StoredScorecard[]) =>
  new Map(
    cards
      .map((c): [string, string] => [c.card.agent, JSON.stringify(c)])
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );

describe("grouping owed periods for one load", () => {
  const period = (key: string) => parsePeriod(key);
  it("puts a month's days, weeks, fortnights and the month in one group, in the order given", () => {
    const keys = [
      ...daysFrom("2026-11-01", 30),
      ...["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48", "2026-W49"],
      "2026-10-26~2026-11-08",
      "2026-11-09~2026-11-22",
      "2026-11-23~2026-12-06",
      "2026-11",
    ];
    expect(spanGroups(keys, period)).toEqual([keys]);
  });

  it("splits five months into a group a month, each reading no more than seventy days", () => {
    const keys = ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11", ...daysFrom("2026-07-01", 153)];
    const groups = spanGroups(keys, period);
    expect(groups.flat().sort()).toEqual([...keys].sort());
    for (const group of groups) {
      const reads = group.map((k) => daysRead(parsePeriod(k)));
      expect(Math.max(...reads.map((r) => r.to)) - Math.min(...reads.map((r) => r.from))).toBeLessThan(70);
    }
    expect(groups.map((group) => group.filter((k) => k.length === 7))).toEqual([
      ["2026-07"],
      ["2026-08"],
      ["2026-09"],
      ["2026-10"],
      ["2026-11"],
    ]);
  });
});

describe.each(STORE_KINDS)("scoring owed periods from one load (%s)", (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(kind);
    await syncConfig(store.db, { config: parseConfig(CONFIG, "test"), origin: "test", baseDir: "." }, NOW);
  });
  afterEach(() => store.close());

  /** The period's cards as scoring it alone from the store gives them. */
  const alone = async (period: Period) =>
    (await cardsOfPeriod(store.db, period, storedInputs(store.db))).cards;

  it("gives exactly the cards each period scored from a load of its own gives, and saves them as they are", async () => {
    // October's last week and November: weeks across the month's edge, October for AOV uplift.
    await storeDays(store, daysFrom("2026-10-26", 36));
    const owed = (await owedPeriods(store.db)).map((o) => o.periodKey);
    const drained = await drainOwed(store.db, { actor: "t", now: NOW, wait: false });
    expect(drained.failed).toEqual([]);
    expect(drained.scored.map((s) => s.period.key).sort()).toEqual([...owed].sort());
    expect(await owedPeriods(store.db)).toEqual([]);
    const kinds = new Set(drained.scored.filter((s) => s.cardCount > 0).map((s) => s.period.kind));
    expect([...kinds].sort()).toEqual(["day", "fortnight", "month", "week"]);
    // A drain counts the cards it saved (DrainedPeriod): the saved ones are what it scored.
    for (const { period, cardCount } of drained.scored) {
      const saved = await scorecardsOf(store.db, period.kind, period.key);
      expect(saved.length, period.key).toBe(cardCount);
      expect(texts(saved), period.key).toEqual(texts(await alone(period)));
    }
  });

  it("scores a period owed again after the shared load from its figures as they are then, even one settled and owed anew meanwhile", async () => {
    const days = daysFrom("2026-11-16", 3);
    await storeDays(store, days);
    const week = parsePeriod("2026-W47");
    // Another drainer holds the week: this drain scores the days first (making the shared
    // load), then waits for it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const holder = withClaim(store.db, `period:${week.key}`, false, async () => {
      entered();
      await held;
    });
    await inside;
    let corrected: Promise<void> | undefined;
    const generations: number[] = [];
    const draining = drainOwed(store.db, {
      actor: "t",
      now: NOW,
      wait: true,
      onProgress: (done) => {
        if (done !== days.length) return;
        // Meanwhile the other drainer pays the week, and a correction owes it anew.
        corrected = (async () => {
          try {
            const listed = (await owedPeriod(store.db, week.key))!;
            expect(await settleOwed(store.db, week.key, listed.generation)).toBe(true);
            await storeDays(store, ["2026-11-17"], 5, 2);
            generations.push(listed.generation, (await owedPeriod(store.db, week.key))!.generation);
          } finally {
            release();
          }
        })();
      },
    });
    await holder;
    await corrected;
    const drained = await draining;
    expect(drained.failed).toEqual([]);
    // Owed anew, the week has a generation it never had: the drain cannot take it for the listed one.
    expect(generations[1]).not.toBe(generations[0]);
    const scoredWeek = drained.scored.find((s) => s.period.key === week.key)!;
    expect(scoredWeek.cardCount).toBe((await alone(week)).length);
    expect(texts(await scorecardsOf(store.db, "week", week.key))).toEqual(texts(await alone(week)));
    // The day corrected was paid before the correction: owed still, for the next drain.
    expect((await owedPeriods(store.db)).map((o) => o.periodKey)).toEqual(["2026-11-17"]);
    await drainOwed(store.db, { actor: "t", now: NOW, wait: false });
    for (const period of periodsOfDay("2026-11-17"))
      expect(texts(await scorecardsOf(store.db, period.kind, period.key)), period.key).toEqual(
        texts(await alone(period)),
      );
  });
});
