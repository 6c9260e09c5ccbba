/**
 * A small scored team for chat tests on either database: 小张 (zhang) and 小李 (li) report to
 * 王主管 (boss) in 售前一组; each has a Slack, Feishu and DingTalk user id. November 2026 is scored
 * from one day of the worked example: zhang's month is 94.6 → B and first in the team, li's 90.6.
 */

import { afterEach, beforeEach } from "vitest";
import type { CommandDeps } from "../../src/bot/commands/command-deps.ts";
import { answerCommand } from "../../src/bot/commands/run-command.ts";
import { scorePeriod } from "../../src/bot/score-period.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { renderConsole } from "../../src/chat/console/render.ts";
import { parseConfig } from "../../src/config.ts";
import { parsePeriod } from "../../src/engine/index.ts";
import type { Store } from "../../src/store/database.ts";
import { importBatch } from "../../src/store/import-repo.ts";
import { workedExample } from "../helpers.ts";
import { openTestStore, type StoreKind } from "./stores.ts";

export const CHAT_FIXTURE_CONFIG = `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售前一组 }]
agents:
  - { id: zhang, name: 小张, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: "旗舰店:小张" }], chat: { slack: U_ZHANG, feishu: ou_zhang, dingtalk: staff_zhang } }
  - { id: li, name: 小李, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: "旗舰店:小李" }], chat: { slack: U_LI, feishu: ou_li, dingtalk: staff_li } }
  - { id: boss, name: 王主管, role: supervisor, team: t1, chat: { slack: U_BOSS, feishu: ou_boss, dingtalk: staff_boss } }
schemes:
  presales: [{ scheme: seed-example }]
  supervisor: [{ scheme: supervisor }]
`;

/** The fixture's clock: 2026-12-01 10:00 in Shanghai, so "last-month" is 2026-11. */
export const CHAT_FIXTURE_NOW = new Date("2026-12-01T02:00:00Z");

/** Loads the team and its November into the store; returns the command use-case's dependencies. */
export async function seedChatFixture(store: Store, configText = CHAT_FIXTURE_CONFIG): Promise<CommandDeps> {
  const config = parseConfig(configText, "test");
  await syncConfig(store.db, { config, origin: "test", baseDir: "." }, CHAT_FIXTURE_NOW);
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
      now: CHAT_FIXTURE_NOW,
    },
  );
  await scorePeriod(store.db, parsePeriod("2026-11"), { actor: "t", now: CHAT_FIXTURE_NOW });
  return {
    db: store.db,
    now: () => CHAT_FIXTURE_NOW,
    teams: new Map(config.teams.map((t) => [t.id, t])),
    admins: new Set(),
    defaultLang: "zh-CN",
  };
}

export interface ChatFixture {
  store: Store;
  /** A test may replace them (another clock, another team language) before it asks. */
  deps: CommandDeps;
  /** What the console shows for `text` sent by a Slack user. */
  ask(userId: string, text: string): Promise<string>;
}

/** Inside a describe: a fresh store seeded with the fixture before each test, closed after it. */
export function useChatFixture(kind: StoreKind, configText = CHAT_FIXTURE_CONFIG): ChatFixture {
  const fixture = {
    async ask(userId: string, text: string) {
      return renderConsole(await answerCommand(fixture.deps, { platform: "slack", userId }, text));
    },
  } as ChatFixture;
  beforeEach(async () => {
    fixture.store = await openTestStore(kind);
    fixture.deps = await seedChatFixture(fixture.store, configText);
  });
  afterEach(() => fixture.store.close());
  return fixture;
}
