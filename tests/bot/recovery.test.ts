import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { drainOwed } from "../../src/bot/drain-owed.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { parseConfig } from "../../src/config.ts";
import { type MetricValues, parsePeriod } from "../../src/engine/index.ts";
import { auditEntries } from "../../src/store/audit-repo.ts";
import type { Store } from "../../src/store/database.ts";
import { recordFollowUp } from "../../src/store/follow-up-repo.ts";
import { importBatch } from "../../src/store/import-repo.ts";
import { owedPeriods, owePeriods, periodsOfDay } from "../../src/store/owed-scoring-repo.ts";
import { facts, scorecards } from "../../src/store/schema.ts";
import { scorecardsOf } from "../../src/store/scorecard-repo.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * 差评挽回率 (bad_review_recovery) from the follow-ups: per agent-day, the agent's bad reviews
 * and how many were recovered, merged into the figures before scoring; a recorded outcome
 * owes a re-score of the day, week and month of the review, which the next drain pays.
 */

const SCHEMES_DIR = fileURLToPath(new URL("../fixtures/schemes/", import.meta.url));
const roster = `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售后一组 }]
agents:
  - { id: zhang, name: 小张, role: aftersales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小张 }] }
  - { id: li, name: 小李, role: aftersales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小李 }] }
  - { id: boss, name: 王主管, role: supervisor, team: t1 }
`;
const RECOVERY_SCHEMES = `${roster}
schemes:
  aftersales: [{ scheme: recovery.yaml }]
  supervisor: [{ scheme: recovery.yaml }]
`;
const BUILTIN_SCHEMES = `${roster}
schemes:
  aftersales: [{ scheme: aftersales }]
  supervisor: [{ scheme: supervisor }]
`;

const NOW = new Date("2026-11-21T02:00:00Z");
const LATER = new Date("2026-11-21T03:00:00Z");
const csat = { csat_rate: { num: 90, den: 100 } };

async function loadRoster(store: Store, config: string): Promise<void> {
  await syncConfig(
    store.db,
    { config: parseConfig(config, "test"), origin: "test", baseDir: SCHEMES_DIR },
    NOW,
  );
}

let imports = 0;
/** One source's figures for agent-days, as an import stores them. */
async function importDay(store: Store, source: string, day: string, values: Record<string, MetricValues>) {
  const outcome = await importBatch(
    store.db,
    {
      source,
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
      fileHash: `h${++imports}`,
      shopId: "s1",
      day,
      unknownAgents: "reject",
      defaultRole: "aftersales",
      actor: "t",
      now: NOW,
    },
  );
  expect(outcome.status).toBe("done");
}

/** A bad review of an agent's order, as an import stores it (shop-local day and time). */
async function badReview(store: Store, agentId: string, order: string, at: string): Promise<void> {
  await store.db.insert(facts).values({
    shopId: "s1",
    agentId,
    day: at.slice(0, 10),
    kind: "bad_review",
    at: new Date(at),
    ref: order,
    factKey: JSON.stringify(["bad_review", order, agentId]),
    detail: { order, customer: "顾客甲", text: "客服态度差" },
  });
}

async function factId(store: Store, order: string): Promise<number> {
  const [row] = await store.db.select({ id: facts.id }).from(facts).where(eq(facts.ref, order));
  return row!.id;
}

async function outcome(store: Store, order: string, result: string, at = NOW): Promise<void> {
  const { recorded } = await recordFollowUp(store.db, {
    factId: await factId(store, order),
    outcome: result,
    note: null,
    doneBy: "boss",
    doneAt: at,
  });
  expect(recorded).toBe(true);
}

/** The stored card's 差评挽回率 actual (a fraction), or undefined when the agent has no card. */
async function recovery(store: Store, agent: string, periodKey: string): Promise<number | null | undefined> {
  const period = parsePeriod(periodKey);
  const card = (await scorecardsOf(store.db, period.kind, period.key)).find((c) => c.card.agent === agent);
  if (!card) return undefined;
  return card.card.items.find((i) => i.metric === "bad_review_recovery")?.actual ?? null;
}

/** The days, week and month of the figures, owed and paid as the bot pays them. */
async function scoreAll(store: Store, now = NOW): Promise<void> {
  const keys = ["2026-11-18", "2026-11-19", "2026-11-20", "2026-W47", "2026-11"];
  await owePeriods(store.db, keys.map(parsePeriod), "test", now);
  const drained = await drainOwed(store.db, { actor: "t", now, wait: true });
  expect(drained.failed).toEqual([]);
}

/**
 * 小张: two bad reviews on Wednesday 11-18 (one recovered, one only contacted) and one on Friday
 * 11-20, a day he has no figures (unreachable). 小李: one on Thursday 11-19, still open.
 */
async function seedTeam(store: Store): Promise<void> {
  await importDay(store, "generic", "2026-11-18", { 小张: csat, 小李: csat });
  await importDay(store, "generic", "2026-11-19", { 小张: csat, 小李: csat });
  await badReview(store, "zhang", "A", "2026-11-18T10:00:00+08:00");
  await badReview(store, "zhang", "B", "2026-11-18T15:00:00+08:00");
  await badReview(store, "li", "C", "2026-11-19T11:00:00+08:00");
  await badReview(store, "zhang", "D", "2026-11-20T09:00:00+08:00");
  await outcome(store, "A", "recovered");
  await outcome(store, "B", "contacted");
  await outcome(store, "D", "unreachable");
}

describe.each(STORE_KINDS)("bad-review recovery on the %s database", (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(() => store.close());

  it("scores an agent-day's recovery as its recovered bad reviews over all of them, open ones not recovered", async () => {
    await loadRoster(store, RECOVERY_SCHEMES);
    await seedTeam(store);
    await scoreAll(store);
    // 11-18: A recovered of A and B → 50%; 11-19: 小李's C is open → 0%.
    expect(await recovery(store, "zhang", "2026-11-18")).toBe(0.5);
    expect(await recovery(store, "li", "2026-11-19")).toBe(0);
    // 小张 has no bad review on 11-19: nothing to measure there (renormalised away).
    expect(await recovery(store, "zhang", "2026-11-19")).toBeNull();
    // 11-20 has only 小张's review D, no figures: it scores no day card …
    expect(await recovery(store, "zhang", "2026-11-20")).toBeUndefined();
    // … but counts in his week and month: A of A, B, D → 1/3.
    expect(await recovery(store, "zhang", "2026-W47")).toBeCloseTo(1 / 3, 10);
    expect(await recovery(store, "zhang", "2026-11")).toBeCloseTo(1 / 3, 10);
    expect(await recovery(store, "li", "2026-11")).toBe(0);
    // The supervisor is scored on the team's counts, not on an average of ratios: 1 of 4.
    expect(await recovery(store, "boss", "2026-11")).toBe(0.25);
    const [day] = await scorecardsOf(store.db, "day", "2026-11-18");
    expect(day?.card.items.find((i) => i.metric === "bad_review_recovery")).toMatchObject({
      actual: 0.5,
      target: 0.3,
      score: 166.7,
    });
  });

  it("keeps the figure an export gives for an agent-day over the follow-ups' count", async () => {
    await loadRoster(store, RECOVERY_SCHEMES);
    await seedTeam(store);
    // The platform's export says 小李's one bad review of 11-19 was changed (1 of 1), though
    // nobody recorded an outcome for it here; 小张's 11-19 figure from it is 0 of 0.
    await importDay(store, "http", "2026-11-19", {
      小李: { bad_review_recovery: { num: 1, den: 1 } },
      小张: { bad_review_recovery: { num: 0, den: 0 } },
    });
    await scoreAll(store);
    expect(await recovery(store, "li", "2026-11-19")).toBe(1);
    expect(await recovery(store, "li", "2026-11")).toBe(1);
    // 小张's other days still come from the follow-ups.
    expect(await recovery(store, "zhang", "2026-11-18")).toBe(0.5);
    expect(await recovery(store, "zhang", "2026-11")).toBeCloseTo(1 / 3, 10);
    expect(await recovery(store, "boss", "2026-11")).toBe(0.5);
  });

  it("leaves a team on an export's ready-made percentage, which cannot be added to counts, rather than failing the month", async () => {
    await loadRoster(store, RECOVERY_SCHEMES);
    await seedTeam(store);
    await importDay(store, "http", "2026-11-19", {
      小李: { bad_review_recovery: { num: 0.4, den: 1, finished: true } },
    });
    await scoreAll(store);
    expect(await recovery(store, "li", "2026-11")).toBe(0.4);
    expect(await recovery(store, "zhang", "2026-11")).toBeNull();
    expect(await recovery(store, "boss", "2026-11")).toBe(0.4);
  });

  it("re-scores the day, week and month of a review once its recovery is recorded, and nothing when nothing changed", async () => {
    await loadRoster(store, RECOVERY_SCHEMES);
    await seedTeam(store);
    await scoreAll(store);
    const computedAt = async () =>
      (await store.db.select({ at: scorecards.computedAt }).from(scorecards)).map((r) => r.at.getTime());
    // The follow-up watch: pays what is owed, and says which periods got new cards.
    const rescore = async (now: Date) => {
      const drained = await drainOwed(store.db, { actor: "watch", now, wait: false });
      return { periods: drained.scored.filter((s) => s.cardCount > 0).map((s) => s.period.key) };
    };

    expect(await rescore(LATER)).toEqual({ periods: [] });
    expect(new Set(await computedAt())).toEqual(new Set([NOW.getTime()]));

    // An outcome other than recovered changes no figure: 小李's C is still one not recovered.
    await outcome(store, "C", "unreachable", LATER);
    expect(await rescore(LATER)).toEqual({ periods: [] });
    expect(new Set(await computedAt())).toEqual(new Set([NOW.getTime()]));

    // A third bad review of 小张 on 11-18 comes in, and is recovered an hour later.
    await badReview(store, "zhang", "E", "2026-11-18T20:00:00+08:00");
    await scoreAll(store);
    expect(await recovery(store, "zhang", "2026-11-18")).toBeCloseTo(1 / 3, 10);
    await outcome(store, "E", "recovered", LATER);
    const result = await rescore(LATER);
    // Its fortnight is graded for new hires on probation only, and no one here is one.
    expect(result.periods).toEqual(periodsOfDay("2026-11-18", ["day", "week", "month"]).map((p) => p.key));
    expect(result.periods).toEqual(["2026-11-18", "2026-W47", "2026-11"]);
    expect(await recovery(store, "zhang", "2026-11-18")).toBeCloseTo(2 / 3, 10);
    expect(await recovery(store, "zhang", "2026-W47")).toBe(0.5);
    expect(await recovery(store, "zhang", "2026-11")).toBe(0.5);
    expect(await recovery(store, "boss", "2026-11")).toBe(0.4);
    const audited = (await auditEntries(store.db, "scorecard.rescore")).filter((e) => e.actor === "watch");
    // A changed total or grade is audited: the month's; days and weeks are watched, not graded.
    expect(audited.map((e) => e.subject).sort()).toEqual(["agent:boss 2026-11", "agent:zhang 2026-11"]);

    // Paid: the next run finds nothing owed and scores nothing.
    const before = await computedAt();
    expect(await rescore(new Date(LATER.getTime() + 300_000))).toEqual({ periods: [] });
    expect(await computedAt()).toEqual(before);
  });

  it("owes nothing for a recovery when no scheme in force scores 差评挽回率", async () => {
    await loadRoster(store, BUILTIN_SCHEMES);
    await seedTeam(store);
    const owedBefore = await owedPeriods(store.db);
    await outcome(store, "C", "recovered", LATER);
    expect(await owedPeriods(store.db)).toEqual(owedBefore);
  });
});
