import { describe, expect, it } from "vitest";
import { honestWeeksAlerted, runBench, tabulate } from "../../bench/gaming/measure.ts";
import { precisionOf, rowMet, tableLines } from "../../bench/gaming/table.ts";

/**
 * A smaller run of bench/gaming (npm run bench:gaming; docs/gaming.md): 40 honest agents (200
 * honest agent-weeks) and 3 gamers per kind and strength, seed 5.
 */
describe("the gaming detectors on generated logs", () => {
  const judged = runBench({ seed: 5, honestAgents: 40, gamersPerCell: 3 });
  const rows = tabulate(judged);

  it("raise at most one false alert per 100 honest agent-weeks, all detectors together", () => {
    const { alerted, of } = honestWeeksAlerted(judged);
    expect(of).toBe(200);
    expect(alerted).toBeLessThanOrEqual(2);
  });

  it("catch every blatant gamer their rule is about", () => {
    for (const row of rows.filter((r) => r.kind !== "figure_jump"))
      expect([row.kind, row.recall.blatant.caught]).toEqual([row.kind, row.recall.blatant.of]);
  });

  it("are precise and meet the bench's targets", () => {
    for (const row of rows)
      expect([row.kind, precisionOf(row) >= 0.9, rowMet(row)]).toEqual([row.kind, true, true]);
    expect(tableLines(judged).allMet).toBe(true);
  });

  it("miss some subtle gamers, as planted at the edge of what a week shows", () => {
    const subtle = rows.reduce((s, r) => s + r.recall.subtle.caught, 0);
    const of = rows.reduce((s, r) => s + r.recall.subtle.of, 0);
    expect(subtle).toBeLessThan(of);
  });
});
