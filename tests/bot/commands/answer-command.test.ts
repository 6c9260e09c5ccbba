import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { answerCommand, type CommandDeps } from "../../../src/bot/commands/run-command.ts";
import { scorePeriod } from "../../../src/bot/score-period.ts";
import { syncConfig } from "../../../src/bot/sync-config.ts";
import { renderConsole } from "../../../src/chat/console/render.ts";
import { parseConfig } from "../../../src/config.ts";
import { parsePeriod } from "../../../src/engine/index.ts";
import type { Store } from "../../../src/store/database.ts";
import { importBatch } from "../../../src/store/import-repo.ts";
import { workedExample } from "../../helpers.ts";
import { openTestStore, STORE_KINDS } from "../../support/stores.ts";

const CONFIG = `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售前一组 }]
agents:
  - { id: zhang, name: 小张, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: "旗舰店:小张" }], chat: { slack: U_ZHANG } }
  - { id: li, name: 小李, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: "旗舰店:小李" }], chat: { slack: U_LI } }
  - { id: boss, name: 王主管, role: supervisor, team: t1, chat: { slack: U_BOSS } }
schemes:
  presales: [{ scheme: seed-example }]
  supervisor: [{ scheme: supervisor }]
`;
const NOW = new Date("2026-12-01T02:00:00Z");

describe.each(STORE_KINDS)("answering /kpi from the %s database", (kind) => {
  let store: Store;
  let deps: CommandDeps;
  const ask = async (userId: string, text: string) =>
    renderConsole(await answerCommand(deps, { platform: "slack", userId }, text));

  beforeEach(async () => {
    store = await openTestStore(kind);
    const config = parseConfig(CONFIG, "test");
    await syncConfig(store.db, { config, origin: "test", baseDir: "." }, NOW);
    // The worked example's finished rates as counts out of 1,000, so the team rolls up exactly.
    const exact = Object.fromEntries(
      Object.entries(workedExample).map(([id, v]) => [
        id,
        v.finished ? { num: Math.round(v.num * 1000), den: 1000 } : v,
      ]),
    );
    const lower = { ...exact, conversion_rate: { num: 120, den: 1000 } };
    await importBatch(
      store.db,
      {
        source: "generic",
        records: [
          { line: 2, agent: "旗舰店:小张", values: exact, pending: [] },
          { line: 3, agent: "旗舰店:小李", values: lower, pending: [] },
        ],
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
    await scorePeriod(store.db, parsePeriod("2026-11"), { actor: "t", now: NOW });
    deps = {
      db: store.db,
      now: () => NOW,
      teams: new Map(config.teams.map((t) => [t.id, t])),
      admins: new Set(),
      defaultLang: "zh-CN",
    };
  });
  afterEach(() => store.close());

  it("answers `me last-month` with the linked agent's own scorecard: 94.6, grade B, first in the team", async () => {
    const text = await ask("U_ZHANG", "me last-month");
    expect(text).toContain("小张");
    expect(text).toContain("总分 94.6 → B");
    expect(text).toContain("组内排名 1/2");
    expect(text).not.toContain("小李");
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
    expect(await ask("U_ZHANG", "me 2026-02-30")).toContain("用法：/kpi me [period]");
  });
});
