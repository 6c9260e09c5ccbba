import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../src/bot/commands/parse-command.ts";
import { syncConfig } from "../../../src/bot/sync-config.ts";
import { renderConsole } from "../../../src/chat/console/render.ts";
import type { Reply } from "../../../src/chat/reply.ts";
import { parseConfig } from "../../../src/config.ts";
import { digestPeriod } from "../../../src/digest/digest-period.ts";
import { digestTeams, publishDigest } from "../../../src/digest/publish-digest.ts";
import { auditEntries } from "../../../src/store/audit-repo.ts";
import { outbox } from "../../../src/store/schema.ts";
import { CHAT_FIXTURE_CONFIG, CHAT_FIXTURE_NOW, useChatFixture } from "../../support/chat-fixture.ts";
import { STORE_KINDS } from "../../support/stores.ts";

/**
 * Appeals (申诉) by chat, on the fixture's team: 小张 (U_ZHANG) and 小李 report to 王主管
 * (U_BOSS); it is 2026-12-01, so "last month" is 2026-11, whose appeals close on 2026-12-03.
 * zhang's first response time is 25 s (target ≤30 s).
 */

describe("parsing appeal commands", () => {
  it("reads a raise, with or without a period, the reason as typed", () => {
    expect(parseCommand("appeal first_response_time 系统统计 有误")).toEqual({
      ok: true,
      command: { name: "appeal", action: "raise", target: "first_response_time", reason: "系统统计 有误" },
    });
    expect(parseCommand("申诉 首次响应时间 2026-11 漏算了转接")).toEqual({
      ok: true,
      command: {
        name: "appeal",
        action: "raise",
        target: "首次响应时间",
        period: { key: "2026-11" },
        reason: "漏算了转接",
      },
    });
    expect(parseCommand("申诉 同意 3 28秒")).toEqual({
      ok: true,
      command: { name: "appeal", action: "accept", id: "3", value: "28秒" },
    });
    expect(parseCommand("appeal reject #3 the logs show it")).toEqual({
      ok: true,
      command: { name: "appeal", action: "reject", id: "#3", reason: "the logs show it" },
    });
  });

  it("gives the usage for a missing reason, id or value, and refuses control characters", () => {
    expect(parseCommand("appeal")).toMatchObject({ ok: false, usage: { problem: "missing-argument" } });
    expect(parseCommand("appeal first_response_time")).toMatchObject({
      ok: false,
      usage: { problem: "missing-argument", argument: "reason" },
    });
    expect(parseCommand("appeal accept 3")).toMatchObject({
      ok: false,
      usage: { problem: "missing-argument", argument: "value|exclude" },
    });
    expect(parseCommand("appeal reject 3")).toMatchObject({
      ok: false,
      usage: { problem: "missing-argument", argument: "reason" },
    });
    expect(parseCommand("appeal accept 3 28秒 extra")).toMatchObject({
      ok: false,
      usage: { problem: "extra-words" },
    });
    expect(parseCommand("appeal x bad\u0007reason")).toMatchObject({
      ok: false,
      usage: { problem: "bad-characters" },
    });
  });
});

describe.each(STORE_KINDS)("appeals on %s", (kind) => {
  const fixture = useChatFixture(kind);
  const messages = async () => {
    const rows = await fixture.store.db.select().from(outbox).orderBy(outbox.id);
    return rows.map((r) => ({ key: r.key, to: r.destination, text: renderConsole(r.reply as Reply) }));
  };

  it("raises an appeal and sends the supervisor the card with the evidence", async () => {
    const said = await fixture.ask("U_ZHANG", "申诉 首次响应时间 转接的会话被算进来了");
    expect(said).toContain("已提交申诉 #1");
    expect(said).toContain("王主管");
    expect(said).toContain("2026-12-03");
    const [card] = await messages();
    expect(card!.key).toBe("appeal:1:card:console:user:boss");
    expect(card!.text).toContain("申诉 #1：小张 首次响应时间 2026-11");
    expect(card!.text).toContain("转接的会话被算进来了");
    expect(card!.text).toContain("≤30 s");
    expect(card!.text).toContain("/kpi 申诉 同意 1");
    // One open appeal per item.
    expect(await fixture.ask("U_ZHANG", "申诉 first_response_time 再说一次")).toContain(
      "已有待处理的申诉 #1",
    );
    expect((await auditEntries(fixture.store.db, "appeal.raised")).length).toBe(1);
  });

  it("refuses after the deadline, naming it, and a period still running", async () => {
    fixture.deps.now = () => new Date("2026-12-04T02:00:00Z");
    expect(await fixture.ask("U_ZHANG", "申诉 首次响应时间 有误")).toContain("截止到 2026-12-03");
    expect(await fixture.ask("U_ZHANG", "申诉 首次响应时间 本月 有误")).toContain("还没有结束");
    expect(await fixture.ask("U_ZHANG", "申诉 不存在的指标 有误")).toContain("既不是指标");
  });

  it("lets only the agent's supervisor or an admin decide; never the agent, not another team's lead", async () => {
    await fixture.ask("U_ZHANG", "申诉 首次响应时间 有误");
    expect(await fixture.ask("U_ZHANG", "申诉 同意 1 40秒")).toContain("不能处理自己的申诉");
    expect(await fixture.ask("U_LI", "申诉 同意 1 40秒")).toContain("只能由该客服的主管或管理员处理");
    // Another team's supervisor.
    const other = CHAT_FIXTURE_CONFIG.replace(
      "teams: [{ id: t1, shop: s1, name: 售前一组 }]",
      "teams: [{ id: t1, shop: s1, name: 售前一组 }, { id: t2, shop: s1, name: 售前二组 }]",
    ).replace(
      "schemes:",
      "  - { id: chen, name: 陈主管, role: supervisor, team: t2, chat: { slack: U_CHEN } }\n  - { id: wu, name: 小吴, role: presales, team: t2, supervisor: chen }\nschemes:",
    );
    await syncConfig(
      fixture.store.db,
      { config: parseConfig(other, "test"), origin: "test", baseDir: "." },
      CHAT_FIXTURE_NOW,
    );
    expect(await fixture.ask("U_CHEN", "申诉 驳回 1 不行")).toContain("只能由该客服的主管或管理员处理");
    expect(await fixture.ask("U_BOSS", "申诉 同意 1 很快")).toContain("不是有效的更正值");
    expect(await fixture.ask("U_BOSS", "申诉 同意 1 排除")).toContain("同意时写更正后的数值");
  });

  it("accepted with a corrected value: re-scored, audited, the agent told, marked on /kpi me", async () => {
    const before = await fixture.ask("U_ZHANG", "me last-month");
    await fixture.ask("U_ZHANG", "申诉 首次响应时间 转接的会话被算进来了");
    const decided = await fixture.ask("U_BOSS", "申诉 同意 1 40秒");
    expect(decided).toContain("已同意申诉 #1");
    expect(decided).toContain("25 s→40 s");
    const after = await fixture.ask("U_ZHANG", "me last-month");
    expect(after).not.toEqual(before);
    expect(after).toContain("40 s†");
    expect(after).toContain("已申诉更正：首次响应时间");
    const [audit] = await auditEntries(fixture.store.db, "appeal.accepted");
    expect(audit!.detail).toMatchObject({
      agent: "zhang",
      metric: "first_response_time",
      before: 25,
      after: 40,
    });
    expect(audit!.actor).toBe("slack:U_BOSS");
    const told = (await messages()).find((m) => m.key.startsWith("appeal:1:decision"));
    expect(told!.to).toEqual({ kind: "user", userId: "zhang" });
    expect(told!.text).toContain("已由 王主管 同意：25 s→40 s");
    expect(told!.text).toMatch(/2026-11 总分 [\d.]+ \S+→[\d.]+/);
    // Decided once: a second decision is told who decided.
    expect(await fixture.ask("U_BOSS", "申诉 驳回 1 算了")).toContain("已由 王主管");
    // The list shows it with its status.
    expect(await fixture.ask("U_ZHANG", "申诉列表")).toContain("已同意（王主管）");
  });

  it("rejected: the agent is told the supervisor's reason, and it is audited", async () => {
    await fixture.ask("U_ZHANG", "申诉 首次响应时间 有误");
    expect(await fixture.ask("U_BOSS", "申诉 驳回 1 后台数据核对无误")).toContain("已驳回申诉 #1");
    const told = (await messages()).find((m) => m.key.startsWith("appeal:1:decision"));
    expect(told!.text).toContain("已被 王主管 驳回。理由：后台数据核对无误");
    const [audit] = await auditEntries(fixture.store.db, "appeal.rejected");
    expect(audit!.detail).toMatchObject({ decisionReason: "后台数据核对无误", before: 25 });
    expect(await fixture.ask("U_ZHANG", "me last-month")).not.toContain("†");
  });

  it("the buttons answer with the command to send, filled in", async () => {
    const me = await fixture.ask("U_ZHANG", "me last-month");
    expect(me).toContain("申诉");
    await fixture.ask("U_ZHANG", "申诉 首次响应时间 有误");
    const { appealClick } = await import("../../../src/bot/commands/appeal-clicks.ts");
    const reject = await appealClick(fixture.deps, {
      caller: { platform: "slack", userId: "U_BOSS" },
      actionId: "appeal:reject",
      value: "1",
    } as never);
    expect(renderConsole(reject!)).toContain("/kpi 申诉 驳回 1 <理由>");
    const start = await appealClick(fixture.deps, {
      caller: { platform: "slack", userId: "U_ZHANG" },
      actionId: "appeal:start",
      value: "item:2026-11",
    } as never);
    expect(renderConsole(start!)).toContain("/kpi 申诉 <指标> 2026-11 <理由>");
  });

  it("the next digest's revisions name the appeal, however small the move", async () => {
    const config = parseConfig(CHAT_FIXTURE_CONFIG, "test");
    const publish = async (kind: "daily" | "monthly", now: Date) => {
      const [team] = await digestTeams(fixture.store.db, config);
      const deps = { db: fixture.store.db, config, platforms: ["console" as const], now: () => now };
      return publishDigest(deps, team!, kind, digestPeriod(kind, now, team!.timeZone));
    };
    await publish("monthly", CHAT_FIXTURE_NOW);
    await fixture.ask("U_ZHANG", "申诉 首次响应时间 有误");
    await fixture.ask("U_BOSS", "申诉 同意 1 40秒");
    const next = new Date("2026-12-02T01:00:00Z");
    expect(await publish("daily", next)).toMatchObject({ status: "queued", revisions: 1 });
    const digest = (await messages()).filter((m) => m.key.startsWith("digest:daily")).at(-1)!;
    expect(digest.text).toMatch(/小张 2026-11 [\d.]+→[\d.]+（首次响应时间 申诉更正 25 s→40 s/);
  });
});
