import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CommandDeps } from "../../../src/bot/commands/command-deps.ts";
import { followUpClick } from "../../../src/bot/commands/follow-up-done.ts";
import { answerCommand } from "../../../src/bot/commands/run-command.ts";
import { renderConsole } from "../../../src/chat/console/render.ts";
import type { Reply } from "../../../src/chat/reply.ts";
import { auditEntries } from "../../../src/store/audit-repo.ts";
import type { Store } from "../../../src/store/database.ts";
import { facts, followUps, notices } from "../../../src/store/schema.ts";
import { seedChatFixture } from "../../support/chat-fixture.ts";
import { openTestStore, STORE_KINDS } from "../../support/stores.ts";

/** A bad review of an agent in the fixture's shop, as an import stores it; returns its id. */
async function badReview(store: Store, agentId: string | null, at: string, text: string): Promise<number> {
  const order = `o-${agentId}-${at}`;
  const [row] = await store.db
    .insert(facts)
    .values({
      shopId: "s1",
      agentId,
      day: at.slice(0, 10),
      kind: "bad_review",
      at: new Date(at),
      ref: order,
      factKey: `bad_review|${order}|${agentId}`,
      detail: { order, customer: "顾客甲", text },
    })
    .returning({ id: facts.id });
  return row!.id;
}

/** A rating below 4 of an agent's session, as an import stores it; returns its id. */
async function lowRating(store: Store, agentId: string, at: string, score: number): Promise<number> {
  const session = `S-${agentId}-${at}`;
  const [row] = await store.db
    .insert(facts)
    .values({
      shopId: "s1",
      agentId,
      day: at.slice(0, 10),
      kind: "low_rating",
      at: new Date(at),
      ref: session,
      factKey: `low_rating|${session}|${agentId}`,
      detail: { session, score },
    })
    .returning({ id: facts.id });
  return row!.id;
}

const buttonsOf = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === "actions" ? [b.actions] : []));

// The fixture's clock is 2026-12-01 10:00 in Shanghai.
describe.each(STORE_KINDS)("bad-review follow-ups on the %s database", (kind) => {
  let store: Store;
  let deps: CommandDeps;
  let overdue: number;
  let soon: number;
  let lis: number;
  const reply = (userId: string, text: string) => answerCommand(deps, { platform: "slack", userId }, text);
  const ask = async (userId: string, text: string) => renderConsole(await reply(userId, text));

  beforeEach(async () => {
    store = await openTestStore(kind);
    deps = await seedChatFixture(store);
    soon = await badReview(store, "zhang", "2026-11-30T12:00:00+08:00", "发货太慢，客服不理人");
    overdue = await badReview(store, "zhang", "2026-11-29T09:00:00+08:00", "质量太差");
    lis = await badReview(store, "li", "2026-11-30T14:30:00+08:00", "尺码不对");
  });
  afterEach(() => store.close());

  it("shows an agent their own open bad reviews, soonest due first, due 24 h after the review on the shop's clock", async () => {
    const text = await ask("U_ZHANG", "followups");
    expect(text).toContain("待跟进差评（2）");
    expect(text).not.toContain("尺码不对");
    expect(text).toMatch(
      new RegExp(`${overdue}\\s+│ 小张\\s+│ 11-29 09:00 │ 11-30 09:00 │ 已超时 25小时\\s+│ 质量太差`),
    );
    expect(text).toMatch(new RegExp(`${soon}\\s+│ 小张\\s+│ 11-30 12:00 │ 12-01 12:00 │ 还剩 2小时`));
    expect(text.indexOf("质量太差")).toBeLessThan(text.indexOf("发货太慢"));
  });

  it("counts a long-overdue follow-up in days and hours rather than thousands of hours", async () => {
    const old = await badReview(store, "zhang", "2026-11-20T07:30:00+08:00", "包装破损");
    expect(await ask("U_ZHANG", "followups")).toMatch(
      new RegExp(`${old}\\s+│ 小张 .*│ 已超时 10天2小时\\s+│ 包装破损`),
    );
  });

  it("shows a supervisor the team's, each row with contacted / recovered / unreachable buttons", async () => {
    const answer = await reply("U_BOSS", "followups");
    const text = renderConsole(answer);
    expect(text).toContain("待跟进差评（3）");
    expect(text).toContain("尺码不对");
    expect(text).toContain("[已联系] [已挽回] [联系不上]");
    const buttons = buttonsOf(answer);
    expect(buttons).toHaveLength(3);
    expect(buttons[0]!.map((a) => [a.id, a.value])).toEqual([
      ["followup:contacted", String(overdue)],
      ["followup:recovered", String(overdue)],
      ["followup:unreachable", String(overdue)],
    ]);
    expect(await ask("U_LI", "followups")).toContain("待跟进差评（1）");
  });

  it("puts buttons on the first five rows only and lists twenty", async () => {
    for (let i = 0; i < 20; i++)
      await badReview(store, "li", `2026-11-30T15:${String(i).padStart(2, "0")}:00+08:00`, `差评${i}`);
    const answer = await reply("U_BOSS", "followups");
    expect(buttonsOf(answer)).toHaveLength(5);
    const table = answer.blocks.find((b) => b.kind === "table");
    expect(table?.kind === "table" && table.rows).toHaveLength(20);
    expect(renderConsole(answer)).toContain("第 1/2 页，后面还有 3 条：发送 `/kpi followups 2` 查看下一页。");
    const next = await reply("U_BOSS", "followups 2");
    const rest = next.blocks.find((b) => b.kind === "table");
    expect(rest?.kind === "table" && rest.rows.map((r) => r[5])).toEqual(["差评17", "差评18", "差评19"]);
    expect(renderConsole(next)).toContain("第 2/2 页（最后一页）。");
    // Past the last page: the last page.
    expect(renderConsole(await reply("U_BOSS", "followups 9"))).toContain("第 2/2 页");
  });

  it("lists the low ratings a nudge asked to review and nobody recorded, with a 'reviewed' button each", async () => {
    const asked = await lowRating(store, "zhang", "2026-11-30T15:00:00+08:00", 2);
    const notAsked = await lowRating(store, "zhang", "2026-11-30T16:00:00+08:00", 1);
    const recorded = await lowRating(store, "zhang", "2026-11-30T17:00:00+08:00", 3);
    for (const id of [asked, recorded])
      await store.db.insert(notices).values({
        subject: `low_rating:${id}`,
        agentId: "zhang",
        kind: "nudge",
        outboxKey: "nudge:zhang",
        createdAt: new Date("2026-12-01T09:00:00+08:00"),
      });
    await store.db
      .insert(followUps)
      .values({ factId: recorded, outcome: "reviewed", doneBy: "zhang", doneAt: new Date() });

    const answer = await reply("U_ZHANG", "followups");
    const text = renderConsole(answer);
    expect(text).toContain("■ 待复盘的低分评价（1）");
    expect(text).toMatch(new RegExp(`${asked}\\s+│ 小张\\s+│ S-zhang-.*│\\s+2 │ 11-30 15:00`));
    expect(text).not.toContain(`│ ${notAsked} `);
    expect(text).not.toContain(`│ ${recorded} `);
    expect(
      buttonsOf(answer)
        .at(-1)!
        .map((a) => [a.id, a.value]),
    ).toEqual([["followup:reviewed", String(asked)]]);
    // 小李 sees none of 小张's.
    expect(await ask("U_LI", "followups")).not.toContain("待复盘");
  });

  it("records `done` once, audited, and the review leaves the list", async () => {
    expect(await ask("U_ZHANG", `done ${soon} recovered 已补发`)).toContain(
      `已记录：差评 #${soon}（小张）跟进结果「已挽回」`,
    );
    const [row] = await store.db.select().from(followUps).where(eq(followUps.factId, soon));
    expect(row).toMatchObject({ outcome: "recovered", note: "已补发", doneBy: "zhang" });
    const [audit] = await auditEntries(store.db, "followup.done");
    expect(audit).toMatchObject({ actor: "slack:U_ZHANG", subject: `fact:${soon}` });
    expect(await ask("U_ZHANG", "followups")).not.toContain("发货太慢");
    expect(await ask("U_BOSS", `done ${soon} unreachable`)).toContain(
      `差评 #${soon} 的跟进已由 小张 于 12-01 10:00 记录为「已挽回」`,
    );
    expect((await store.db.select().from(followUps)).map((r) => r.outcome)).toEqual(["recovered"]);
  });

  it("lets the agent's supervisor record it, and refuses another agent", async () => {
    expect(await ask("U_LI", `done ${soon} contacted`)).toContain(`你不能记录差评 #${soon} 的跟进`);
    expect(await store.db.select().from(followUps)).toEqual([]);
    expect(await ask("U_BOSS", `done ${lis} contacted`)).toContain("已记录");
  });

  it("says clearly when no bad review has the id", async () => {
    expect(await ask("U_ZHANG", "done 9999 contacted")).toContain("找不到编号为「9999」的差评");
    expect(await ask("U_ZHANG", "done abc contacted")).toContain("找不到编号为「abc」的差评");
  });

  it("records a button click as `done`, and a second click (or a race) keeps the first outcome", async () => {
    const click = (userId: string, outcome: string) =>
      followUpClick(deps, {
        caller: { platform: "feishu", userId },
        actionId: `followup:${outcome}`,
        value: String(overdue),
      });
    const answers = await Promise.all([click("ou_zhang", "contacted"), click("ou_boss", "unreachable")]);
    const texts = answers.map((a) => renderConsole(a!));
    expect(texts.filter((t) => t.includes("已记录"))).toHaveLength(1);
    expect(texts.filter((t) => t.includes("的跟进已由"))).toHaveLength(1);
    expect(await store.db.select().from(followUps)).toHaveLength(1);
    expect(renderConsole((await click("ou_li", "recovered"))!)).toContain("你不能记录");
  });

  it("says so when nothing is open", async () => {
    expect(await ask("U_LI", `done ${lis} unreachable`)).toContain("已记录");
    expect(await ask("U_LI", "followups")).toContain("没有待跟进的差评");
  });

  it("records a low rating's review with `done <id> reviewed` or its button, once, audited", async () => {
    const rating = await lowRating(store, "zhang", "2026-11-30T15:00:00+08:00", 2);
    expect(await ask("U_ZHANG", `done ${rating} reviewed 没有及时回应尺码问题`)).toContain(
      `已记录：低分评价 #${rating}（小张）已复盘`,
    );
    const [row] = await store.db.select().from(followUps).where(eq(followUps.factId, rating));
    expect(row).toMatchObject({ outcome: "reviewed", note: "没有及时回应尺码问题", doneBy: "zhang" });
    const [audit] = await auditEntries(store.db, "followup.done");
    expect(audit).toMatchObject({
      subject: `fact:${rating}`,
      detail: { kind: "low_rating", outcome: "reviewed" },
    });
    const again = await followUpClick(deps, {
      caller: { platform: "slack", userId: "U_BOSS" },
      actionId: "followup:reviewed",
      value: String(rating),
    });
    expect(renderConsole(again!)).toContain(`低分评价 #${rating} 的复盘已由 小张 于 12-01 10:00 记录`);
    const other = await lowRating(store, "li", "2026-11-30T16:00:00+08:00", 3);
    const clicked = await followUpClick(deps, {
      caller: { platform: "slack", userId: "U_BOSS" },
      actionId: "followup:reviewed",
      value: String(other),
    });
    expect(renderConsole(clicked!)).toContain(`已记录：低分评价 #${other}（小李）已复盘`);
    expect((await store.db.select().from(followUps)).map((r) => r.outcome)).toEqual(["reviewed", "reviewed"]);
  });

  it("refuses an outcome that does not fit: a bad review is not 'reviewed', a low rating not 'contacted'", async () => {
    const rating = await lowRating(store, "zhang", "2026-11-30T15:00:00+08:00", 1);
    expect(await ask("U_ZHANG", `done ${soon} reviewed`)).toContain(`#${soon} 是差评`);
    expect(await ask("U_ZHANG", `done ${rating} contacted`)).toContain(`done ${rating} 已复盘`);
    expect(await ask("U_LI", `done ${rating} reviewed`)).toContain(`你不能记录低分评价 #${rating} 的复盘`);
    expect(await store.db.select().from(followUps)).toEqual([]);
  });

  it("says it in English to an English team", async () => {
    const rating = await lowRating(store, "zhang", "2026-11-30T15:00:00+08:00", 2);
    deps.teams = new Map([["t1", { ...deps.teams.get("t1")!, lang: "en" }]]);
    expect(await ask("U_ZHANG", `done ${rating} reviewed`)).toContain(
      `Recorded: low rating #${rating} (小张) reviewed.`,
    );
    expect(await ask("U_ZHANG", "done 9999 reviewed")).toContain(
      'No bad review or low rating with id "9999"',
    );
  });
});
