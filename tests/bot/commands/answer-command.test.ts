import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { scorecards } from "../../../src/store/schema.ts";
import { scorecardsOfAgents } from "../../../src/store/scorecard-repo.ts";
import { useChatFixture } from "../../support/chat-fixture.ts";
import { STORE_KINDS } from "../../support/stores.ts";

describe.each(STORE_KINDS)("answering /kpi from the %s database", (kind) => {
  const fixture = useChatFixture(kind);
  const { ask } = fixture;

  it("answers `me last-month` with the linked agent's own scorecard: 94.6, grade B, first in the team", async () => {
    const text = await ask("U_ZHANG", "me last-month");
    expect(text).toContain("小张");
    expect(text).toContain("总分 94.6 → B");
    expect(text).toContain("组内排名：第 1 名（共 2 人）");
    expect(text).not.toContain("小李");
  });

  it("shows the coaching line stored with the card, and works it out for a card stored without one", async () => {
    const [stored] = await scorecardsOfAgents(fixture.store.db, ["zhang"], "month", "2026-11");
    expect(stored?.advice).toMatchObject({ grade: "B", next: { grade: "A" } });
    const withStored = await ask("U_ZHANG", "me last-month");
    expect(withStored).toContain("一次解决率 82%→85%一起达到，可从 B 升到 A");
    // A card saved before advice was stored with it.
    await fixture.store.db
      .update(scorecards)
      .set({ card: sql`(${scorecards.card}::jsonb - 'advice')::text` })
      .where(eq(scorecards.agentId, "zhang"));
    expect(
      (await scorecardsOfAgents(fixture.store.db, ["zhang"], "month", "2026-11"))[0]?.advice,
    ).toBeUndefined();
    expect(await ask("U_ZHANG", "me last-month")).toBe(withStored);
  });

  it("lets a supervisor see an agent and the team, and refuses an agent asking for another", async () => {
    expect(await ask("U_BOSS", "agent 小李 2026-11")).toContain("总分 90.6 → B");
    const team = await ask("U_BOSS", "team 2026-11");
    expect(team).toMatch(/1\s+│ 小张\s+│\s+94\.6/);
    expect(await ask("U_LI", "agent 小张 2026-11")).toContain("你没有权限查看 小张");
    expect(await ask("U_LI", "team 2026-11")).toContain("你没有权限");
  });

  it("tells an unlinked user how to link, and a wrong command its usage", async () => {
    expect(await ask("U_STRANGER", "me")).toContain("link <客服账号>");
    expect(await ask("U_ZHANG", "me 2026-02-30")).toContain("用法：/kpi me [时间段]");
  });
});
