import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CommandDeps } from "../../src/bot/commands/command-deps.ts";
import { qaClick } from "../../src/bot/commands/qa-command.ts";
import { answerCommand } from "../../src/bot/commands/run-command.ts";
import { drainOwed } from "../../src/bot/drain-owed.ts";
import { renderConsole } from "../../src/chat/console/render.ts";
import type { Config } from "../../src/config.ts";
import { parsePeriod } from "../../src/engine/index.ts";
import { sendQaBatch } from "../../src/qa/qa-batch.ts";
import { watchQaReviews } from "../../src/qa/qa-watch.ts";
import { auditEntries } from "../../src/store/audit-repo.ts";
import type { Store } from "../../src/store/database.ts";
import { importBatch } from "../../src/store/import-repo.ts";
import { outbox, qaConversations, qaReviews } from "../../src/store/schema.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";
import { conversation, QA_NOW, seedQaShop, weekOfConversations } from "./qa-fixture.ts";

const W48 = parsePeriod("2026-W48");

describe.each(STORE_KINDS)("quality review (质检) on %s", (kind) => {
  let store: Store;
  let config: Config;
  let now: Date;
  beforeEach(async () => {
    store = await openTestStore(kind);
    now = QA_NOW;
  });
  afterEach(() => store.close());

  const deps = () => ({ db: store.db, config, platforms: ["console" as const] });
  const commandDeps = (): CommandDeps => ({
    db: store.db,
    now: () => now,
    teams: new Map(),
    admins: new Set(["console:chief"]),
    defaultLang: "en",
    qaRubric: config.qa.rubric,
  });
  const ask = async (who: string, text: string) =>
    renderConsole(await answerCommand(commandDeps(), { platform: "console", userId: who }, text));

  describe("storing conversations", () => {
    it("keeps the week's conversations masked, with the facts the bot knows", async () => {
      const secret = conversation("zhang", "2026-11-23", 9, {
        customerText: "收件人：张三丰 电话13812345678 订单3912345678901234",
      });
      config = await seedQaShop(store, { conversations: [...weekOfConversations(), secret] });
      const rows = await store.db.select().from(qaConversations);
      expect(rows).toHaveLength(2 * 5 * 3 + 2 * 4 + 1);
      const stored = rows.find((r) => r.session === secret.session)!;
      expect(stored.transcript).not.toContain("13812345678");
      expect(stored.transcript).not.toContain("张三丰");
      expect(stored.transcript).toContain("138****5678");
      expect(stored.transcript).toContain("****1234");
      expect(stored.customer).toBe("t***********8");
      const slow = rows.find((r) => r.session === "zhang-2026-11-24-6")!;
      expect(slow).toMatchObject({
        firstWaitSeconds: 420,
        longestWaitSeconds: 420,
        strata: ["long_wait", "random"],
      });
      expect(rows.find((r) => r.session === "li-2026-11-25-7")).toMatchObject({ phraseHits: ["不知道"] });
      expect(rows.find((r) => r.session === "li-2026-11-26-8")).toMatchObject({ transferred: true });
      expect(rows.find((r) => r.session === "li-2026-11-23-5")).toMatchObject({ rating: 2 });
    });

    it("replaces a re-imported session in place, never twice, and marks the bad review of its session", async () => {
      config = await seedQaShop(store);
      const [before] = await store.db
        .select()
        .from(qaConversations)
        .where(eq(qaConversations.session, "zhang-2026-11-23-0"));
      const corrected = conversation("zhang", "2026-11-23", 0, { agentText: "亲，M码还有3件" });
      await importBatch(
        store.db,
        {
          source: "chatlog",
          records: [],
          facts: [
            {
              kind: "bad_review",
              agent: "旗舰店:小张",
              day: "2026-11-23",
              at: "2026-11-23T20:00:00+08:00",
              ref: "order-1",
              detail: { session: corrected.session },
            },
          ],
          problems: [],
          conversations: [corrected],
        },
        {
          fileHash: "again",
          shopId: "s1",
          unknownAgents: "reject",
          defaultRole: "presales",
          actor: "t",
          now,
        },
      );
      const same = await store.db
        .select()
        .from(qaConversations)
        .where(eq(qaConversations.session, "zhang-2026-11-23-0"));
      expect(same).toHaveLength(1);
      expect(same[0]!.id).toBe(before!.id);
      expect(same[0]!.transcript).toContain("M码还有3件");
      expect(same[0]!.badReview).toBe(true);
      expect(same[0]!.strata).toContain("bad_review");
    });

    it("keeps only each stratum's few smallest sample keys of an agent-day", async () => {
      const many = Array.from({ length: 40 }, (_, n) => conversation("zhang", "2026-11-23", n));
      config = await seedQaShop(store, { conversations: many });
      expect(await store.db.select({ id: qaConversations.id }).from(qaConversations)).toHaveLength(10);
    });
  });

  describe("the weekly batch", () => {
    it("sends each agent's stratified sample to the supervisor, one card each, once", async () => {
      config = await seedQaShop(store);
      const report = await sendQaBatch(deps(), W48, now);
      expect(report).toMatchObject({ week: "2026-W48", assigned: 10, queued: 10, withoutReviewer: [] });
      const reviews = await store.db.select().from(qaReviews);
      expect(new Set(reviews.map((r) => r.reviewerId))).toEqual(new Set(["boss"]));
      for (const agent of ["zhang", "li"]) {
        const own = reviews
          .filter((r) => r.agentId === agent)
          .map((r) => r.stratum)
          .sort();
        // No bad review this week: its place goes to a random one.
        expect(own).toEqual(["long_wait", "low_rating", "phrase_hit", "random", "random"]);
      }
      const cards = await store.db.select().from(outbox);
      expect(cards.map((c) => c.destination)).toEqual(Array(10).fill({ kind: "user", userId: "boss" }));
      expect(renderConsole(cards[0]!.reply as never)).toMatch(/质检 #\d+：小[张李] 2026-11-2\d/);
      expect(await sendQaBatch(deps(), W48, now)).toMatchObject({ assigned: 0, queued: 0 });
      expect(await store.db.select().from(outbox)).toHaveLength(10);
    });

    it("gives the review to an agent with the reviewer role when the roster has one", async () => {
      config = await seedQaShop(store);
      await store.db.execute(
        sql`INSERT INTO agents (id, name, role, team_id) VALUES ('qa1', '质检员', 'qa', 't1')`,
      );
      await sendQaBatch(deps(), W48, now);
      const reviewers = await store.db.select({ id: qaReviews.reviewerId }).from(qaReviews);
      expect(new Set(reviewers.map((r) => r.id))).toEqual(new Set(["qa1"]));
    });
  });

  describe("rating", () => {
    const firstOf = async (agent: string) => {
      const [row] = await store.db
        .select({ id: qaReviews.conversationId })
        .from(qaReviews)
        .where(eq(qaReviews.agentId, agent))
        .orderBy(qaReviews.conversationId)
        .limit(1);
      return row!.id;
    };

    beforeEach(async () => {
      config = await seedQaShop(store);
      await sendQaBatch(deps(), W48, now);
      await drainOwed(store.db, { actor: "t", now, wait: true });
    });

    it("lets the reviewer rate by command, audited, and the agent's 完整回复率 changes on me", async () => {
      const id = await firstOf("li");
      expect(await ask("li", "me 2026-W48")).toMatch(/reply completeness.*no figure/);
      expect(await ask("boss", `qa rate ${id} 完整回复=否 话术规范=是 态度=4 问题解决=是 漏答了尺码`)).toBe(
        `QA #${id} (小李) recorded: score 68.8.`,
      );
      expect(await ask("li", "me 2026-W48")).toMatch(/reply completeness\s*│\s*≥95%\s*│\s*0%/);
      expect(await ask("boss", `qa rate ${id} complete=yes script=yes attitude=5 solved=yes`)).toBe(
        `QA #${id} (小李) re-rated: score 100.`,
      );
      expect(await ask("li", "me 2026-W48")).toMatch(/reply completeness\s*│\s*≥95%\s*│\s*100%/);
      const audits = await auditEntries(store.db, "qa.rated");
      expect(audits).toHaveLength(2);
      expect(audits[0]!.detail).toMatchObject({ replaced: { results: { complete: false }, by: "boss" } });
      expect(await ask("li", "qa")).toMatch(/complete reply yes, script yes, attitude 5, solved yes/);
    });

    it("refuses others, the agent themself, and wrong arguments with the usage", async () => {
      const id = await firstOf("li");
      const ok = `qa rate ${id} 完整=是 话术=是 态度=4 解决=是`;
      expect(await ask("zhang", ok)).toBe(
        `QA conversation #${id} is not assigned to you: only its reviewer or an admin may rate it.`,
      );
      expect(await ask("li", ok)).toBe("You cannot rate your own conversation.");
      expect(await ask("boss", `qa rate ${id} 完整=也许`)).toMatch(
        /"也许" is not a value for "complete reply"[\s\S]*Usage: \/kpi qa rate/,
      );
      expect(await ask("boss", `qa rate ${id} 完整=是`)).toMatch(
        /Criteria missing: script, attitude, solved/,
      );
      expect(await ask("boss", `qa rate ${id} 速度=是`)).toMatch(/Unknown criterion "速度"/);
      expect(await ask("boss", "qa rate abc 完整=是")).toMatch(/No QA conversation abc[\s\S]*Usage/);
      expect(await ask("boss", "qa rate")).toMatch(/Missing id/);
      expect(await auditEntries(store.db, "qa.rated")).toHaveLength(0);
    });

    it("takes a button click as the whole verdict, from the reviewer only", async () => {
      const id = await firstOf("zhang");
      const click = (userId: string, actionId: string) =>
        qaClick(commandDeps(), {
          caller: { platform: "console", userId },
          actionId,
          value: String(id),
        } as never);
      expect(renderConsole((await click("li", "qa:pass5"))!)).toMatch(/not assigned to you/);
      expect(renderConsole((await click("boss", "qa:incomplete"))!)).toBe(
        `QA #${id} (小张) recorded: score 62.5.`,
      );
      expect(await ask("zhang", "me 2026-W48")).toMatch(/reply completeness\s*│\s*≥95%\s*│\s*0%/);
      expect(renderConsole((await click("chief", "qa:pass5"))!)).toBe(
        `QA #${id} (小张) re-rated: score 100.`,
      );
    });

    it("lists a reviewer's open reviews", async () => {
      expect(await ask("boss", "qa")).toMatch(/Conversations to review \(10\)/);
    });
  });

  describe("overdue reviews", () => {
    it("reminds the reviewer before the deadline, then tells their supervisor once overdue, each once", async () => {
      config = await seedQaShop(store);
      await sendQaBatch(deps(), W48, now);
      const keys = async () =>
        (await store.db.select({ key: outbox.key }).from(outbox))
          .map((r) => r.key)
          .filter((k) => !k.endsWith(":card"));
      expect(await watchQaReviews(deps(), now)).toBe(0);
      const dueAt = QA_NOW.getTime() + 3 * 86_400_000;
      expect(await watchQaReviews(deps(), new Date(dueAt - 23 * 3_600_000))).toBe(1);
      expect(await watchQaReviews(deps(), new Date(dueAt - 22 * 3_600_000))).toBe(0);
      expect(await keys()).toEqual(["qa:reminder:boss:2026-W48"]);
      expect(await watchQaReviews(deps(), new Date(dueAt + 25 * 3_600_000))).toBe(1);
      expect(await keys()).toEqual(["qa:reminder:boss:2026-W48", "qa:escalation:boss:2026-W48:0"]);
      const [escalation] = await store.db
        .select()
        .from(outbox)
        .where(eq(outbox.key, "qa:escalation:boss:2026-W48:0"));
      expect(escalation!.destination).toEqual({ kind: "user", userId: "chief" });
      expect(renderConsole(escalation!.reply as never)).toMatch(/王主管 有 10 条质检已逾期/);
    });
  });
});
