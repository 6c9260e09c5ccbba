import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CommandDeps } from "../../src/bot/commands/command-deps.ts";
import { answerCommand } from "../../src/bot/commands/run-command.ts";
import { scorePeriod } from "../../src/bot/score-period.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { renderConsole } from "../../src/chat/console/render.ts";
import { renderTable } from "../../src/cli/render-table.ts";
import { rankedCards } from "../../src/cli/score-db.ts";
import { parseConfig } from "../../src/config.ts";
import { digestMessagesFor } from "../../src/digest/digest-messages.ts";
import { digestReply } from "../../src/digest/digest-reply.ts";
import { gatherDigest } from "../../src/digest/team-digest-data.ts";
import { parsePeriod } from "../../src/engine/index.ts";
import { messagesFor } from "../../src/i18n/index.ts";
import { scorecardView } from "../../src/present/scorecard-view.ts";
import { agentProfiles } from "../../src/store/agent-day-repo.ts";
import type { Store } from "../../src/store/database.ts";
import { importBatch } from "../../src/store/import-repo.ts";
import { schemesInForce } from "../../src/store/scheme-repo.ts";
import type { StoredScorecard } from "../../src/store/scorecard-repo.ts";
import { workedExample } from "../helpers.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * Two questions asked of every surface (`/kpi me`, `top`, `team`, the monthly digest, `kpi score`),
 * on the built-in pre-sales scheme in September 2026 (no promotion):
 * - 小二 has figures for conversion (20%), cross-selling (10%), first response (15%) and receptions
 *   (10%) only: 55% of the weight, under the scheme's minCoverage of 70%. No surface may give him
 *   a total, a grade, a coefficient or a place.
 * - 小一's conversion is still 延迟统计 (pending): every surface marks it with *.
 */
const CONFIG = `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售前一组, leaderboard: full }]
agents:
  - { id: a1, name: 小一, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小一 }], chat: { slack: U1 } }
  - { id: a2, name: 小二, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小二 }], chat: { slack: U2 } }
  - { id: a3, name: 小三, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小三 }], chat: { slack: U3 } }
  - { id: boss, name: 王主管, role: supervisor, team: t1, chat: { slack: U_BOSS } }
schemes:
  presales: [{ scheme: presales }]
`;
const NOW = new Date("2026-10-01T02:00:00Z");
const exact = Object.fromEntries(
  Object.entries(workedExample)
    .filter(([id]) => id !== "aov_uplift")
    .map(([id, v]) => [id, v.finished ? { num: Math.round(v.num * 1000), den: 1000 } : v]),
);
const partial = Object.fromEntries(
  ["conversion_rate", "cross_sell_rate", "first_response_time", "receptions"].map((id) => [id, exact[id]!]),
);

describe.each(STORE_KINDS)("coverage and pending figures on every surface (%s)", (kind) => {
  let store: Store;
  let deps: CommandDeps;
  const ask = async (userId: string, text: string) =>
    renderConsole(await answerCommand(deps, { platform: "slack", userId }, text));

  beforeEach(async () => {
    store = await openTestStore(kind);
    const config = parseConfig(CONFIG, "test");
    await syncConfig(store.db, { config, origin: "test", baseDir: "." }, NOW);
    await importBatch(
      store.db,
      {
        source: "generic",
        records: [
          { line: 2, agent: "小一", values: exact, pending: ["conversion_rate"] },
          { line: 3, agent: "小二", values: partial, pending: [] },
          { line: 4, agent: "小三", values: exact, pending: [] },
        ],
        facts: [],
        problems: [],
      },
      {
        fileHash: "h",
        shopId: "s1",
        day: "2026-09-15",
        unknownAgents: "reject",
        defaultRole: "presales",
        actor: "t",
        now: NOW,
      },
    );
    await scorePeriod(store.db, parsePeriod("2026-09"), { actor: "t", now: NOW });
    deps = {
      db: store.db,
      now: () => NOW,
      teams: new Map(config.teams.map((t) => [t.id, t])),
      admins: new Set(),
      defaultLang: "zh-CN",
    };
  });
  afterEach(() => store.close());

  /** What `kpi score --agent` prints for a stored card (the command's own view and table). */
  const kpiScoreAgent = async (stored: StoredScorecard) => {
    const t = messagesFor("zh-CN");
    const scheme = (await schemesInForce(store.db, "2026-09-01")).get("presales")!.scheme;
    return renderTable(scorecardView(scheme, stored.card, t, stored.advice, "小一", stored.pending), t);
  };
  const COVERAGE = "有数据的指标只占权重的 55%（至少需要 70%），本期不评定总分和等级";
  /** The board's rows as `place name` (place "–" when unranked). */
  const rows = (text: string) =>
    [...text.matchAll(/│\s+(\d+|–|-)?\s*│ (小\S+?)\s+│/g)].map((m) => `${m[1] ?? ""} ${m[2]}`);

  it("gives a card with 55% of the weight scored no grade, coefficient or place anywhere", async () => {
    const me = await ask("U2", "me 2026-09");
    expect(me).toContain(COVERAGE);
    expect(me).not.toMatch(/总分 [\d.]+ →/);
    expect(me).not.toContain("组内排名");
    expect(me).not.toContain("绩效系数");

    for (const board of [await ask("U1", "top 2026-09"), await ask("U_BOSS", "team 2026-09")]) {
      // Not on the board, and said why under it; the two with grades share first place.
      expect(rows(board)).toEqual(["1 小一*", "1 小三"]);
      expect(board).toContain("未评级、不排名：小二（有数据的指标只占权重的 55%，至少需要 70%）");
    }

    const profiles = await agentProfiles(store.db);
    const data = await gatherDigest(store.db, {
      members: profiles.filter((p) => p.teamId === "t1"),
      period: parsePeriod("2026-09"),
      now: NOW,
      attentionGrade: "C",
      dsrFallingDays: 15,
      withTrend: false,
      watchMetrics: [],
    });
    const inDigest = data.agents.find((a) => a.profile.name === "小二")!;
    expect([inDigest.place, inDigest.card.grade, inDigest.card.total]).toEqual([null, null, null]);
    const team = { name: "售前一组", leaderboard: "full", leaderboardTop: 10, lang: "zh-CN" } as const;
    const digest = renderConsole(
      digestReply("monthly", team, data, [], { d: digestMessagesFor("zh-CN"), lang: "zh-CN" }),
    );
    expect(digest.split("\n").filter((l) => l.includes("小二") && /\b[SABCD]\b/.test(l))).toEqual([]);

    const outcome = await scorePeriod(store.db, parsePeriod("2026-09"), { actor: "t", now: NOW });
    const { ranks } = rankedCards(outcome.cards, new Map(profiles.map((p) => [p.id, p])));
    expect(ranks.has("a2")).toBe(false);
    expect(ranks.get("a3")?.place).toBe(1);
    const card = outcome.cards.find((c) => c.card.agent === "a2")!;
    expect([card.card.total, card.card.grade, card.card.coefficient]).toEqual([null, null, null]);
    const shown = await kpiScoreAgent(card);
    expect(shown).toContain(COVERAGE);
    expect(shown).not.toMatch(/总分 [\d.]+ →/);
  });

  it("marks 小一's pending conversion with * in me, top, the digest and kpi score --agent", async () => {
    const me = await ask("U1", "me 2026-09");
    expect(me).toMatch(/│ 咨询转化率\s+│\s+≥15% │\s+18%\* │/);
    expect(me).toContain("* 尚未最终确定");
    expect(rows(await ask("U1", "top 2026-09"))).toContain("1 小一*");

    const profiles = await agentProfiles(store.db);
    const data = await gatherDigest(store.db, {
      members: profiles.filter((p) => p.teamId === "t1"),
      period: parsePeriod("2026-09"),
      now: NOW,
      attentionGrade: "C",
      dsrFallingDays: 15,
      withTrend: false,
      watchMetrics: [],
    });
    const team = { name: "售前一组", leaderboard: "full", leaderboardTop: 10, lang: "zh-CN" } as const;
    const digest = renderConsole(
      digestReply("monthly", team, data, [], { d: digestMessagesFor("zh-CN"), lang: "zh-CN" }),
    );
    expect(digest).toMatch(/小一\*/);

    // `kpi score --agent 小一` (tests/cli/import.test.ts runs the command itself).
    const outcome = await scorePeriod(store.db, parsePeriod("2026-09"), { actor: "t", now: NOW });
    const stored = outcome.cards.find((c) => c.card.agent === "a1")!;
    expect(stored.pending).toEqual(["conversion_rate"]);
    const shown = await kpiScoreAgent(stored);
    expect(shown).toMatch(/│ 咨询转化率\s+│\s+≥15% │\s+18%\* │/);
    expect(shown).toContain("* 尚未最终确定");
  });
});
