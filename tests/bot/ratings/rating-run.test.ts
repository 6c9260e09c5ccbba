import { like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rateReply } from "../../../src/bot/ratings/rate-command.ts";
import { runRatingRequests } from "../../../src/ratings/rating-run.ts";
import { outbox } from "../../../src/store/schema.ts";
import { CHAT_FIXTURE_CONFIG, useChatFixture } from "../../support/chat-fixture.ts";
import { STORE_KINDS } from "../../support/stores.ts";

const RATED_CONFIG = CHAT_FIXTURE_CONFIG.replace(
  "presales: [{ scheme: seed-example }]",
  "presales: [{ scheme: presales-rated }]",
);

/** 10:00 in Shanghai on a day of December 2026 (the 1st is a Tuesday). */
const at = (day: number) => new Date(`2026-12-${String(day).padStart(2, "0")}T02:00:00Z`);

describe.each(STORE_KINDS)("rating requests on %s", (kind) => {
  const fx = useChatFixture(kind, RATED_CONFIG);
  const run = (day: number) =>
    runRatingRequests(fx.store.db, {
      now: at(day),
      platforms: ["console"],
      admins: ["console:root"],
      teams: fx.deps.teams,
      defaultLang: "zh-CN",
    });
  const keys = async () =>
    (await fx.store.db.select({ key: outbox.key }).from(outbox).where(like(outbox.key, "rating-%")))
      .map((r) => r.key)
      .sort();

  it("queues the card once per team, reminds each working day until rated, escalates after 3 days, then stops", async () => {
    expect(await run(1)).toBe(1);
    expect(await run(1)).toBe(0);
    expect(await keys()).toEqual(["rating-card:t1:2026-11:boss"]);
    expect(await run(2)).toBe(1);
    expect(await run(2)).toBe(0);
    // Friday the 4th: four days after the month closed, the admin hears of it too.
    expect(await run(4)).toBe(2);
    expect(await keys()).toContain("rating-escalation:console:root:2026-11:2026-12-04");
    // Saturday and Sunday: nothing.
    expect(await run(5)).toBe(0);
    const boss = {
      kind: "agent" as const,
      caller: { platform: "console" as const, userId: "boss" },
      admin: false,
    };
    fx.deps.now = () => at(7);
    const roster = {
      byId: new Map(
        (await import("../../../src/store/agent-day-repo.ts").then((r) => r.agentProfiles(fx.store.db))).map(
          (a) => [a.id, a],
        ),
      ),
      admins: new Set<string>(),
    };
    const viewer = { ...boss, agent: roster.byId.get("boss")! };
    for (const who of ["zhang", "li"])
      for (const item of ["teamwork", "learning_growth"])
        await rateReply(fx.deps, viewer, roster, [who, item, "优秀"], "zh-CN");
    expect(await run(7)).toBe(0);
    expect(await run(8)).toBe(0);
  });
});
