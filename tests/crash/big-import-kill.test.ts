import { afterAll, describe, expect, it } from "vitest";
import { freshPostgresDatabase } from "../support/stores.ts";
import {
  bigExport,
  compareCards,
  importArgs,
  importKilledWhileScoring,
  kpiOn,
  owedKeys,
} from "./big-import.ts";

/**
 * Issue 16: after `kill -9` during a 10,000-agent import on PostgreSQL, `kpi db check` finds the
 * periods still owed and `kpi db check --repair` brings every scorecard up to date: the cards
 * equal those of the same file imported without a kill. Two days of 10,000 agents here (20,000
 * agent-days, five periods: about a minute on two cores); the month (310,000 agent-days, 37
 * periods, minutes of scoring) runs from bench/crash/big-import.ts.
 */

const AGENTS = 10_000;
const DAYS = 2;

const data = bigExport(AGENTS, DAYS);
const databases: { drop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const d of databases) await d.drop();
  data.remove();
});

describe(`kill -9 while a ${AGENTS.toLocaleString("en-US")}-agent import scores, on PostgreSQL`, () => {
  it("db check lists what is owed (exit 1); --repair scores it all as an import never killed would", async () => {
    const killed = await freshPostgresDatabase();
    const unkilled = await freshPostgresDatabase();
    databases.push(killed, unkilled);
    // The import without a kill runs beside the one that is killed.
    const [reference, crash] = await Promise.all([
      kpiOn(data, unkilled.url, importArgs(data)),
      importKilledWhileScoring(data, killed.url),
    ]);
    expect(reference.code, reference.stderr).toBe(0);
    expect(crash.run.killed).toBe(true);
    expect(crash.atKill.done).toBe(1);

    const owed = await owedKeys(killed.url);
    console.log(
      `killed ${Math.round(crash.run.ms)} ms into the import, periods still owed: ${owed.join(", ")} ` +
        `(the import without a kill took ${Math.round(reference.ms)} ms)`,
    );
    expect(owed.length).toBeGreaterThan(0);
    const check = await kpiOn(data, killed.url, ["db", "check"]);
    expect(check.code).toBe(1);
    const listed = /owed re-scores: (\d+) periods, .*: (.*)$/m.exec(check.stdout);
    expect(listed?.[1]).toBe(String(owed.length));
    expect(listed?.[2]?.split(", ").sort()).toEqual(owed);

    const repair = await kpiOn(data, killed.url, ["db", "check", "--repair"]);
    expect(repair.code, repair.stdout + repair.stderr).toBe(0);
    expect(repair.stdout).toMatch(
      /after the repair:\nowed re-scores: none\ncards that do not match their figures: none/,
    );
    const after = await kpiOn(data, killed.url, ["db", "check"]);
    expect(after.code, after.stdout).toBe(0);

    const cards = await compareCards(killed.url, unkilled.url);
    expect(cards.expected).toBe(cards.cards);
    expect(cards.expected).toBeGreaterThan(4 * AGENTS);
    expect(cards.totals.slice(0, 5)).toEqual([]);
    expect(cards.cardsDiffering.slice(0, 5)).toEqual([]);
  }, 300_000);
});
