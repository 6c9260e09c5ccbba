import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CommandDeps } from "../../../src/bot/commands/command-deps.ts";
import { answerCommand } from "../../../src/bot/commands/run-command.ts";
import { scorePeriod } from "../../../src/bot/score-period.ts";
import { syncConfig } from "../../../src/bot/sync-config.ts";
import { renderConsole } from "../../../src/chat/console/render.ts";
import { parseConfig } from "../../../src/config.ts";
import { parsePeriod } from "../../../src/engine/index.ts";
import type { Store } from "../../../src/store/database.ts";
import { importBatch } from "../../../src/store/import-repo.ts";
import { openTestStore, STORE_KINDS } from "../../support/stores.ts";

/**
 * A pre-sales agent's November under the built-in scheme, with figures on both sides of 双11
 * (the default window 10-20 … 11-11): 100 sessions at 50 s on 11-05, 300 at 40 s on 11-20.
 * `explain` shows each stretch against its own target and how they combine, by volume:
 * 50 s against ≤60 s scores 120 (the cap), 40 s against ≤30 s scores 30/40 = 75,
 * (120·100 + 75·300) ÷ 400 = 86.25. The month's figure is 17,000 s ÷ 400 = 42.5 s.
 */
const CONFIG = `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售前一组 }]
agents:
  - { id: zhang, name: 小张, role: presales, team: t1, accounts: [{ shop: s1, account: 小张 }], chat: { slack: U_ZHANG } }
schemes:
  presales: [{ scheme: presales }]
`;
const NOW = new Date("2026-12-01T02:00:00Z");

describe.each(STORE_KINDS)("`explain` across 双11 (%s)", (kind) => {
  let store: Store;
  let deps: CommandDeps;
  const ask = async (text: string) =>
    renderConsole(await answerCommand(deps, { platform: "slack", userId: "U_ZHANG" }, text));

  beforeEach(async () => {
    store = await openTestStore(kind);
    const config = parseConfig(CONFIG, "test");
    await syncConfig(store.db, { config, origin: "test", baseDir: "." }, NOW);
    const days = [
      ["2026-11-05", { num: 5000, den: 100 }],
      ["2026-11-20", { num: 12000, den: 300 }],
    ] as const;
    for (const [day, frt] of days)
      await importBatch(
        store.db,
        {
          source: "generic",
          records: [{ line: 2, agent: "小张", values: { first_response_time: frt }, pending: [] }],
          facts: [],
          problems: [],
        },
        {
          fileHash: day,
          shopId: "s1",
          day,
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

  it("shows November's first response time stretch by stretch, combined by volume (86.25)", async () => {
    const text = await ask("explain 首次响应时间 last-month");
    expect(text).toContain("你在 2026-11：42.5 s");
    expect(text).toContain(
      "首次响应时间分段计分：11-01–11-11（双11） 目标 ≤60 s，实际 50 s，得分 120，样本量 100；" +
        "11-12–11-30 目标 ≤30 s，实际 40 s，得分 75，样本量 300；按量加权得 86.25 分",
    );
    // The same by the month's key; the card itself says the same.
    expect(await ask("explain FRT 2026-11")).toContain("按量加权得 86.25 分");
    expect(await ask("me last-month")).toContain("按量加权得 86.25 分");
  });

  it("says this month so far when no period is asked, with no split where no season falls", async () => {
    const text = await ask("explain FRT");
    expect(text).toContain("你本月（2026-12）还没有这个指标的数据");
    expect(text).not.toContain("分段计分");
  });
});
