import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { agents, scorecards } from "../../src/store/schema.ts";
import { standingOf } from "../../src/store/scorecard-repo.ts";
import { useChatFixture } from "../support/chat-fixture.ts";
import { STORE_KINDS } from "../support/stores.ts";

// The chat fixture's team t1: 小张 (zhang) 94.6 and 小李 (li) 90.6 in 2026-11, both presales.
describe.each(STORE_KINDS)("an agent's standing among the team (%s)", (kind) => {
  const fixture = useChatFixture(kind);
  const zhang: { id: string; teamId: string | null; role: string } = {
    id: "zhang",
    teamId: "t1",
    role: "presales",
  };
  const standing = (who = zhang) => standingOf(fixture.store.db, who, "month", "2026-11", "2026-10");

  /** A copy of 小张's card under another agent, with its own total. */
  async function addPeer(id: string, total: number | null, fields: Partial<typeof agents.$inferInsert> = {}) {
    const db = fixture.store.db;
    const [card] = await db
      .select()
      .from(scorecards)
      .where(and(eq(scorecards.agentId, "zhang"), eq(scorecards.periodKey, "2026-11")));
    await db.insert(agents).values({ id, name: id, role: "presales", teamId: "t1", ...fields });
    await db.insert(scorecards).values({ ...card!, agentId: id, total });
  }

  it("places the agent by total among the same role's active agents with a total", async () => {
    const before = await standing();
    expect(before.own?.card.total).toBe(94.6);
    expect(before.rank).toEqual({ place: 1, of: 2 });
    expect((await standing({ ...zhang, id: "li" })).rank).toEqual({ place: 2, of: 2 });

    await addPeer("better", 97);
    await addPeer("gone", 99, { active: false });
    await addPeer("lead", 99, { role: "supervisor" });
    await addPeer("unscored", null);
    await addPeer("tied", 94.6);
    // better 97; 小张 and tied share second; 小李 fourth. gone, lead and unscored do not count.
    expect((await standing()).rank).toEqual({ place: 2, of: 4 });
    expect((await standing({ ...zhang, id: "tied" })).rank).toEqual({ place: 2, of: 4 });
    expect((await standing({ ...zhang, id: "li" })).rank).toEqual({ place: 4, of: 4 });
  });

  it("gives no place to an agent without a total, and one of one to an agent without a team", async () => {
    await addPeer("unscored", null);
    const unscored = await standing({ ...zhang, id: "unscored" });
    expect(unscored.own?.card.agent).toBeDefined();
    expect(unscored.rank).toBeUndefined();
    expect((await standing({ ...zhang, teamId: null })).rank).toEqual({ place: 1, of: 1 });
  });

  it("reads no card and no previous total for a period never scored", async () => {
    expect(await standingOf(fixture.store.db, zhang, "month", "2025-01", "2024-12")).toEqual({
      own: undefined,
      previousTotal: undefined,
    });
  });
});
