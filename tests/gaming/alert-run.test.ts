import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gamingClick } from "../../src/bot/commands/alerts-command.ts";
import { answerCommand } from "../../src/bot/commands/run-command.ts";
import { renderConsole } from "../../src/chat/console/render.ts";
import type { Config } from "../../src/config.ts";
import { raiseGamingAlerts } from "../../src/gaming/alert-run.ts";
import type { NudgeDeps } from "../../src/nudges/nudge-deps.ts";
import { auditEntries } from "../../src/store/audit-repo.ts";
import type { Store } from "../../src/store/database.ts";
import { gamingSignalsBetween, openGamingAlerts } from "../../src/store/gaming-repo.ts";
import { at, buttons, queued, seedNudgeFixture } from "../nudges/nudge-fixture.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";
import { commandDepsOf, JUDGED_WEEK, storeFiveWeeks } from "./gaming-fixture.ts";

const MONDAY = at("2026-11-30 10:30");

describe.each(STORE_KINDS)("gaming alerts (%s)", (kind) => {
  let store: Store;
  let deps: NudgeDeps & { config: Config };
  beforeEach(async () => {
    store = await openTestStore(kind);
    deps = await seedNudgeFixture(store);
  });
  afterEach(() => store.close());

  it("stores a batch's conversations as agent-day signals per kind, replacing them on a re-import", async () => {
    const first = await storeFiveWeeks(store, MONDAY);
    expect(first.unknownAgent).toBe(0);
    const rows = await gamingSignalsBetween(store.db, "2026-11-23", "2026-11-29", ["zhang"]);
    expect(new Set(rows.map((r) => r.kind))).toEqual(
      new Set([
        "split_answers",
        "invite_targeting",
        "review_guidance",
        "threshold_delay",
        "transfer_before_limit",
      ]),
    );
    expect(rows.length).toBe(6 * 5);
    await storeFiveWeeks(store, MONDAY);
    expect(await gamingSignalsBetween(store.db, "2026-11-23", "2026-11-29", ["zhang"])).toHaveLength(
      rows.length,
    );
  });

  it("alerts the supervisor of the agent who split his answers, not the honest one, once", async () => {
    await storeFiveWeeks(store, MONDAY);
    const report = await raiseGamingAlerts(
      { ...deps, config: { ...deps.config, holdForDuty: false } },
      { week: JUDGED_WEEK, now: MONDAY },
    );
    const open = await openGamingAlerts(store.db);
    expect(open.map((a) => [a.agentId, a.week, a.kind])).toEqual([["zhang", JUDGED_WEEK, "split_answers"]]);
    expect(report).toMatchObject({ raised: 1, queued: 1, told: 1 });
    const sent = await queued(store);
    expect(sent.map((q) => q.to)).toEqual(["U_BOSS"]);
    expect(sent[0]!.text).toContain("小张");
    expect(sent[0]!.text).toContain("拆句回复");
    expect(sent[0]!.text).toMatch(/问答比 [\d.]+，合并拆句后 [\d.]+/);
    expect(buttons(sent[0]!.reply)).toEqual([["gaming:fine", String(open[0]!.id)]]);

    const again = await raiseGamingAlerts(deps, { week: JUDGED_WEEK, now: at("2026-11-30 11:00") });
    expect(again).toMatchObject({ raised: 0, queued: 0, told: 0 });
    expect(await queued(store)).toHaveLength(1);
  });

  it("lists open alerts to the supervisor only, and marks one fine once, audited", async () => {
    await storeFiveWeeks(store, MONDAY);
    await raiseGamingAlerts(deps, { week: JUDGED_WEEK, now: MONDAY });
    const [alert] = await openGamingAlerts(store.db);
    const commands = commandDepsOf(store, deps.config, MONDAY);
    const ask = async (userId: string, text: string) =>
      renderConsole(await answerCommand(commands, { platform: "slack", userId }, text));

    expect(await ask("U_BOSS", "alerts")).toContain(`#${alert!.id} 小张`);
    expect(await ask("U_ZHANG", "alerts")).toContain("没有未处理的刷指标提醒");
    expect(await ask("U_LI", `alerts fine ${alert!.id}`)).toContain("只有其主管或管理员");
    expect(await ask("U_BOSS", `预警 没问题 ${alert!.id} 新人，已辅导`)).toContain("已将 小张 的提醒");
    expect(await ask("U_BOSS", `alerts fine ${alert!.id}`)).toContain("已由 王主管");
    expect(await ask("U_BOSS", "alerts")).toContain("没有未处理的刷指标提醒");
    const audits = await auditEntries(store.db, "gaming.fine");
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      subject: `gaming_alert:${alert!.id}`,
      detail: { note: "新人，已辅导", markedBy: "boss" },
    });
  });

  it("marks an alert fine from its button, and refuses the agent's own click", async () => {
    await storeFiveWeeks(store, MONDAY);
    await raiseGamingAlerts(deps, { week: JUDGED_WEEK, now: MONDAY });
    const [alert] = await openGamingAlerts(store.db);
    const commands = commandDepsOf(store, deps.config, MONDAY);
    const click = (userId: string) =>
      gamingClick(commands, {
        caller: { platform: "slack", userId },
        actionId: "gaming:fine",
        value: String(alert!.id),
      });
    expect(renderConsole((await click("U_ZHANG"))!)).toContain("只有其主管或管理员");
    expect(renderConsole((await click("U_BOSS"))!)).toContain("已将 小张 的提醒");
    expect(await openGamingAlerts(store.db)).toEqual([]);
  });

  it("raises nothing for a week without conversations or figures", async () => {
    expect(await raiseGamingAlerts(deps, { week: "2026-W40", now: MONDAY })).toMatchObject({
      raised: 0,
      queued: 0,
    });
  });
});
