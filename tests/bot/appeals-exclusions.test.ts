import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { watchAppeals } from "../../src/bot/appeal-watch.ts";
import type { CommandDeps } from "../../src/bot/commands/command-deps.ts";
import { answerCommand } from "../../src/bot/commands/run-command.ts";
import { scorePeriod } from "../../src/bot/score-period.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { renderConsole } from "../../src/chat/console/render.ts";
import type { Reply } from "../../src/chat/reply.ts";
import { parseConfig } from "../../src/config.ts";
import { parsePeriod } from "../../src/engine/index.ts";
import { auditEntries } from "../../src/store/audit-repo.ts";
import type { Store } from "../../src/store/database.ts";
import { importBatch } from "../../src/store/import-repo.ts";
import { owedPeriods } from "../../src/store/owed-scoring-repo.ts";
import { facts, outbox } from "../../src/store/schema.ts";
import { scorecardsOfAgents } from "../../src/store/scorecard-repo.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * An appeal accepted with its fact excluded: a long wait comes off long_wait_count on its day,
 * a bad review out of 差评挽回率's denominator; the month is re-scored in the decision's
 * transaction (and owed for the drain). And the watch over undecided appeals, on a driven clock.
 */

const SCHEMES_DIR = fileURLToPath(new URL("../fixtures/schemes/", import.meta.url));
const CONFIG = `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售后一组 }]
agents:
  - { id: zhang, name: 小张, role: aftersales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小张 }] }
  - { id: boss, name: 王主管, role: supervisor, team: t1 }
schemes:
  aftersales: [{ scheme: appeals.yaml }]
  supervisor: [{ scheme: appeals.yaml }]
admins: ["console:root"]
`;
/** Sunday 2026-11-22, 10:00 in Shanghai. */
const NOW = new Date("2026-11-22T02:00:00Z");

async function fact(
  store: Store,
  kind: string,
  ref: string,
  detail: Record<string, unknown>,
): Promise<number> {
  const [row] = await store.db
    .insert(facts)
    .values({
      shopId: "s1",
      agentId: "zhang",
      day: "2026-11-20",
      kind,
      at: new Date("2026-11-20T06:00:00Z"),
      ref,
      factKey: JSON.stringify([kind, ref, "zhang"]),
      detail,
    })
    .returning({ id: facts.id });
  return row!.id;
}

describe.each(STORE_KINDS)("appeals excluding facts (%s)", (kind) => {
  let store: Store;
  let deps: CommandDeps;
  let clock: Date;
  const ask = async (who: string, text: string) =>
    renderConsole(await answerCommand(deps, { platform: "console", userId: who }, text));
  const item = async (metric: string) => {
    const [card] = await scorecardsOfAgents(store.db, ["zhang"], "month", "2026-11");
    return { item: card!.card.items.find((i) => i.metric === metric)!, stored: card! };
  };

  beforeEach(async () => {
    store = await openTestStore(kind);
    clock = NOW;
    const config = parseConfig(CONFIG, "test");
    await syncConfig(store.db, { config, origin: "test", baseDir: SCHEMES_DIR }, NOW);
    await importBatch(
      store.db,
      {
        source: "generic",
        records: [
          {
            line: 2,
            agent: "小张",
            values: { csat_rate: { num: 90, den: 100 }, long_wait_count: { num: 2, den: 1 } },
            pending: [],
          },
        ],
        facts: [],
        problems: [],
      },
      {
        fileHash: "h",
        shopId: "s1",
        day: "2026-11-20",
        unknownAgents: "reject",
        defaultRole: "aftersales",
        actor: "t",
        now: NOW,
      },
    );
    deps = {
      db: store.db,
      now: () => clock,
      teams: new Map(),
      admins: new Set(["console:root"]),
      defaultLang: "zh-CN",
      appeals: { deadlineDays: 3, remindAfterWorkingDays: 2, escalateAfterWorkingDays: 1 },
    };
  });
  afterEach(() => store.close());

  it("a long wait excluded: one fewer on its day, the month re-scored, marked †", async () => {
    const wait = await fact(store, "long_wait", "S1", { session: "S1", waitSeconds: 420 });
    await scorePeriod(store.db, parsePeriod("2026-11"), { actor: "t", now: NOW });
    expect((await item("long_wait_count")).item.actual).toBe(2);
    expect(await ask("zhang", `申诉 #${wait} 客户离开后才回来，会话未关闭`)).toContain(`已提交申诉 #1`);
    const card = (await store.db.select().from(outbox)).find((m) => m.key.startsWith("appeal:1:card"));
    expect(renderConsole(card!.reply as Reply)).toContain("420s");
    expect(await ask("boss", "申诉 同意 1 排除")).toContain("已同意申诉 #1");
    const after = await item("long_wait_count");
    expect(after.item.actual).toBe(1);
    expect(after.stored.corrected).toEqual(["long_wait_count"]);
    expect((await owedPeriods(store.db)).map((o) => o.periodKey)).toContain("2026-11");
    const [audit] = await auditEntries(store.db, "appeal.accepted");
    expect(audit!.detail).toMatchObject({ fact: wait, after: "excluded" });
  });

  it("a bad review excluded: out of 差评挽回率's denominator", async () => {
    const first = await fact(store, "bad_review", "O1", { order: "O1", text: "物流太慢" });
    await fact(store, "bad_review", "O2", { order: "O2", text: "客服态度差" });
    await scorePeriod(store.db, parsePeriod("2026-11"), { actor: "t", now: NOW });
    expect((await item("bad_review_recovery")).item.actual).toBe(0);
    await ask("zhang", `申诉 #${first} 差评是物流问题，不是客服原因`);
    // The button accepts a fact's appeal at once: its exclusion needs no value.
    const { appealClick } = await import("../../src/bot/commands/appeal-clicks.ts");
    const clicked = await appealClick(deps, {
      caller: { platform: "console", userId: "boss" },
      actionId: "appeal:accept",
      value: "1",
    } as never);
    expect(renderConsole(clicked!)).toContain("已同意申诉 #1");
    // One bad review left, not recovered: 0 of 1 (the figure's denominator went from 2 to 1).
    const recovery = await item("bad_review_recovery");
    expect(recovery.item.actual).toBe(0);
    expect(recovery.stored.corrected).toEqual(["bad_review_recovery"]);
  });

  it("reminds the decider after two working days, then tells the admins, each once", async () => {
    const wait = await fact(store, "long_wait", "S9", { session: "S9", waitSeconds: 400 });
    expect(await ask("zhang", `申诉 #${wait} 系统故障`)).toContain("已提交申诉 #1");
    const watch = () =>
      watchAppeals({
        db: store.db,
        config: deps.appeals!,
        platforms: ["console"],
        admins: deps.admins,
        teams: new Map(),
        defaultLang: "zh-CN",
        now: () => clock,
      });
    // Raised on Sunday the 22nd: Monday is one working day, Tuesday two.
    clock = new Date("2026-11-23T09:00:00Z");
    expect(await watch()).toBe(0);
    clock = new Date("2026-11-24T09:00:00Z");
    expect(await watch()).toBe(1);
    expect(await watch()).toBe(0);
    clock = new Date("2026-11-25T09:00:00Z");
    expect(await watch()).toBe(1);
    const keys = (await store.db.select().from(outbox)).map((m) => m.key);
    expect(keys).toContain("appeal:1:reminder:console:user:boss");
    expect(keys).toContain("appeal:1:escalation:console:user:root");
  });
});
