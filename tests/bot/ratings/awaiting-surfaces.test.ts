import { describe, expect, it } from "vitest";
import { drainOwed } from "../../../src/bot/drain-owed.ts";
import { renderConsole } from "../../../src/chat/console/render.ts";
import { parseConfig } from "../../../src/config.ts";
import { composeDigest, digestTeams } from "../../../src/digest/publish-digest.ts";
import { parsePeriod } from "../../../src/engine/index.ts";
import type { Db } from "../../../src/store/database.ts";
import { CHAT_FIXTURE_CONFIG, CHAT_FIXTURE_NOW, useChatFixture } from "../../support/chat-fixture.ts";
import { STORE_KINDS } from "../../support/stores.ts";

/**
 * A month awaiting the supervisor's rating reads the same on every surface: "等待主管评分", the
 * items, whose cards; `/kpi me` (rate-command.test.ts), `/kpi team`, `/kpi top`, `explain`, the
 * monthly digest and the supervisor's table (`kpi score`: tests/cli/rated-items.test.ts).
 */

const RATED_CONFIG = CHAT_FIXTURE_CONFIG.replace(
  "presales: [{ scheme: seed-example }]",
  "presales: [{ scheme: presales-rated }]",
);
const BOTH_WAIT = "等待主管评分（团队协作、学习成长）：";
const TAIL = "；评分后才计总分、等级、排名和绩效系数";

describe.each(STORE_KINDS)("a month awaiting its ratings, on every surface (%s)", (kind) => {
  const fx = useChatFixture(kind, RATED_CONFIG);
  const score = () => drainOwed(fx.store.db, { actor: "t", now: CHAT_FIXTURE_NOW, wait: true });
  const rateZhang = async () => {
    await fx.ask("U_BOSS", "rate 小张 团队协作 优秀");
    await fx.ask("U_BOSS", "rate 小张 学习成长 良好");
    await score();
  };

  it("/kpi team names whose cards await it instead of saying there is no card, and ranks them once rated", async () => {
    const before = await fx.ask("U_BOSS", "team last-month");
    expect(before).toMatch(new RegExp(`${BOTH_WAIT}(小张、小李|小李、小张)${TAIL}`));
    expect(before).not.toContain("没有");
    await rateZhang();
    const after = await fx.ask("U_BOSS", "team last-month");
    expect(after).toContain(`${BOTH_WAIT}小李${TAIL}`);
    expect(after).toMatch(/1\s+│?\s*小张/);
  });

  it("/kpi top says the same to an agent", async () => {
    expect(await fx.ask("U_LI", "top last-month")).toMatch(new RegExp(`${BOTH_WAIT}(小张、小李|小李、小张)`));
  });

  it("explain says the item awaits the rating, then gives the rating's score", async () => {
    expect(await fx.ask("U_ZHANG", "explain 团队协作 last-month")).toContain(
      "等待主管评分：团队协作；评分后才计总分、等级和绩效系数",
    );
    await rateZhang();
    const after = await fx.ask("U_ZHANG", "explain 团队协作 last-month");
    expect(after).not.toContain("等待主管评分");
    expect(after).toContain("100");
  });

  it("the monthly digest and the supervisor's table name whose cards await it; an anonymous board only counts them", async () => {
    const compose = async (configText: string) => {
      const config = parseConfig(configText, "test");
      const deps = {
        db: fx.store.db as Db,
        config,
        platforms: ["slack" as const],
        now: () => CHAT_FIXTURE_NOW,
      };
      const [team] = await digestTeams(fx.store.db, config);
      return composeDigest(deps, team!, "monthly", parsePeriod("2026-11"));
    };
    const digest = await compose(RATED_CONFIG);
    const channel = renderConsole(digest.channel);
    expect(channel).toMatch(new RegExp(`${BOTH_WAIT}(小张、小李|小李、小张)${TAIL}`));
    expect(renderConsole(digest.supervisorTable!)).toMatch(new RegExp(`${BOTH_WAIT}(小张、小李|小李、小张)`));
    const anonymous = await compose(
      RATED_CONFIG.replace("name: 售前一组 }", "name: 售前一组, leaderboard: anonymous }"),
    );
    expect(renderConsole(anonymous.channel)).toContain(`${BOTH_WAIT}2 人${TAIL}`);
    await rateZhang();
    const after = renderConsole((await compose(RATED_CONFIG)).channel);
    expect(after).toContain(`${BOTH_WAIT}小李${TAIL}`);
    expect(after).toContain("小张");
  });
});
