import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CommandDeps } from "../../src/bot/commands/command-deps.ts";
import { answerCommand } from "../../src/bot/commands/run-command.ts";
import { scorePeriod } from "../../src/bot/score-period.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { renderConsole } from "../../src/chat/console/render.ts";
import { rankedCards } from "../../src/cli/score-db.ts";
import { parseConfig } from "../../src/config.ts";
import { gatherDigest } from "../../src/digest/team-digest-data.ts";
import { parsePeriod } from "../../src/engine/index.ts";
import { agentProfiles } from "../../src/store/agent-day-repo.ts";
import type { Store } from "../../src/store/database.ts";
import { importBatch } from "../../src/store/import-repo.ts";
import { workedExample } from "../helpers.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * One question — who is where in 售前一组's November — asked of every surface that answers it:
 * `/kpi me`, `/kpi team`, `/kpi top`, the monthly digest and `kpi score`. Five pre-sales agents
 * (two tied), one of them a new hire on probation, a trainee, and their supervisor.
 */
const CONFIG = `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售前一组 }]
agents:
  - { id: a1, name: 小一, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小一 }], chat: { slack: U1 } }
  - { id: a2, name: 小二, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小二 }], chat: { slack: U2 } }
  - { id: a3, name: 小三, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小三 }], chat: { slack: U3 } }
  - { id: a4, name: 小四, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小四 }], chat: { slack: U4 } }
  - { id: a5, name: 小五, role: presales, team: t1, supervisor: boss, traineeSince: "2026-11-02", accounts: [{ shop: s1, account: 小五 }], chat: { slack: U5 } }
  - { id: tr, name: 小新, role: trainee, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小新 }], chat: { slack: U6 } }
  - { id: boss, name: 王主管, role: supervisor, team: t1, chat: { slack: U_BOSS } }
`;
const NOW = new Date("2026-12-01T02:00:00Z");
const exact = Object.fromEntries(
  Object.entries(workedExample).map(([id, v]) => [
    id,
    v.finished ? { num: Math.round(v.num * 1000), den: 1000 } : v,
  ]),
);
const conversion = (perMille: number) => ({ ...exact, conversion_rate: { num: perMille, den: 1000 } });
const FIGURES: Record<string, typeof exact> = {
  小一: conversion(180),
  小二: conversion(150),
  小三: conversion(150),
  小四: conversion(120),
  小五: conversion(200),
  小新: {
    ...exact,
    avg_response_time: { num: 500, den: 10 },
    script_compliance: { num: 98, den: 100 },
    training_pass_rate: { num: 19, den: 20 },
  },
};

describe.each(STORE_KINDS)("one ranking on every surface (%s)", (kind) => {
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
        records: Object.entries(FIGURES).map(([agent, values], i) => ({
          line: i + 2,
          agent,
          values,
          pending: [],
        })),
        facts: [],
        problems: [],
      },
      {
        fileHash: "h",
        shopId: "s1",
        day: "2026-11-20",
        unknownAgents: "reject",
        defaultRole: "presales",
        actor: "t",
        now: NOW,
      },
    );
    for (const key of ["2026-11-20", "2026-11"])
      await scorePeriod(store.db, parsePeriod(key), { actor: "t", now: NOW });
    deps = {
      db: store.db,
      now: () => NOW,
      teams: new Map(config.teams.map((t) => [t.id, t])),
      admins: new Set(),
      defaultLang: "zh-CN",
    };
  });
  afterEach(() => store.close());

  /** Places read off a /kpi team or top board: name → place. */
  const board = (text: string) =>
    new Map([...text.matchAll(/│\s+(\d+) │ (\S+?)\*?\s+│/g)].map((m) => [m[2]!, Number(m[1])]));

  it("gives every agent the same place in me, team, top, the digest and kpi score", async () => {
    const profiles = await agentProfiles(store.db);
    const byName = new Map(profiles.map((p) => [p.id, p.name]));
    const { ranks } = rankedCards(
      (await scorePeriod(store.db, parsePeriod("2026-11"), { actor: "t", now: NOW })).cards,
      new Map(profiles.map((p) => [p.id, p])),
    );
    const fromScore = new Map([...ranks].map(([id, r]) => [byName.get(id)!, r.place]));
    const digest = await gatherDigest(store.db, {
      members: profiles.filter((p) => p.teamId === "t1"),
      period: parsePeriod("2026-11"),
      now: NOW,
      attentionGrade: "C",
      dsrFallingDays: 15,
      withTrend: false,
      watchMetrics: [],
    });
    const fromDigest = new Map(
      digest.agents.flatMap((a) => (a.place === null ? [] : [[a.profile.name, a.place] as const])),
    );
    const fromTeam = board(await ask("U_BOSS", "team 2026-11"));
    const fromTop = board(await ask("U1", "top 2026-11"));
    const fromMe = new Map<string, number>();
    for (const [name, user] of [
      ["小一", "U1"],
      ["小二", "U2"],
      ["小三", "U3"],
      ["小四", "U4"],
    ] as const) {
      const place = /第 (\d+) 名（共 4 人）/.exec(await ask(user, "me 2026-11"))?.[1];
      fromMe.set(name, Number(place));
    }

    // The four pre-sales agents are ranked together, the tie sharing second place; the new hire
    // on probation and the trainee are each first of their own group; the supervisor has none.
    const expected = new Map([
      ["小一", 1],
      ["小二", 2],
      ["小三", 2],
      ["小四", 4],
      ["小五", 1],
      ["小新", 1],
    ]);
    expect(fromScore).toEqual(expected);
    expect(fromDigest).toEqual(expected);
    expect(fromTeam).toEqual(expected);
    expect(fromTop).toEqual(expected);
    expect(fromMe).toEqual(new Map([...expected].filter(([name]) => fromMe.has(name))));
    expect(fromTeam.has("王主管")).toBe(false);
  });

  it("shows the month so far under a watched day, and the board of the month for `top` on a day", async () => {
    const day = await ask("U2", "me 2026-11-20");
    expect(day).toContain("只看各项是否达标");
    expect(day).toMatch(/2026-11 至今：总分 [\d.]+，等级 \w，组内第 2 名（共 4 人）/);
    const top = await ask("U2", "top 2026-11-20");
    expect(top).toContain("以下是按月考核的 2026-11 至今排名");
    expect(board(top).get("小二")).toBe(2);
  });
});
