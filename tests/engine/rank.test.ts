import { describe, expect, it } from "vitest";
import { rankCards, type Scorecard } from "../../src/engine/index.ts";

const card = (
  agent: string,
  role: string,
  team: string,
  total: number | null,
  extra: Partial<Scorecard> = {},
) => ({ agent, role, team, total, period: "2026-11", items: [], ...extra }) as unknown as Scorecard;

describe("one ranking for every surface", () => {
  const cards = [
    card("a", "presales", "一组", 98),
    card("b", "presales", "一组", 101),
    card("c", "presales", "一组", 98),
    card("d", "presales", "一组", 90),
    card("trainee", "trainee", "一组", 120),
    card("new", "presales", "一组", 130, { probation: true }),
    card("boss", "supervisor", "一组", 110),
    card("x", "presales", "二组", 105),
    card("thin", "presales", "一组", null, { belowCoverage: { minCoverage: 70 } }),
  ];
  const ranks = rankCards(cards);

  it("ranks agents of one team and role together, equal totals sharing a place", () => {
    expect(["b", "a", "c", "d"].map((id) => [ranks.get(id)!.place, ranks.get(id)!.of])).toEqual([
      [1, 4],
      [2, 4],
      [2, 4],
      [4, 4],
    ]);
  });

  it("keeps trainees, new hires on probation, supervisors and other teams apart", () => {
    for (const id of ["trainee", "new", "boss", "x"])
      expect(ranks.get(id)).toMatchObject({ place: 1, of: 1 });
    expect(new Set(["a", "trainee", "new", "boss", "x"].map((id) => ranks.get(id)!.cohort)).size).toBe(5);
  });

  it("gives no place to a card without a grade", () => {
    expect(ranks.has("thin")).toBe(false);
  });
});
