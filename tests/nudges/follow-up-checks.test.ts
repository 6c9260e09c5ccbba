import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { queueBadReviewNudges, queueDayNudges } from "../../src/nudges/day-nudges.ts";
import { checkFollowUps } from "../../src/nudges/follow-up-checks.ts";
import type { NudgeDeps } from "../../src/nudges/nudge-deps.ts";
import type { Store } from "../../src/store/database.ts";
import { followUps } from "../../src/store/schema.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";
import {
  at,
  badReview,
  buttons,
  lowRating,
  markSentAt,
  queued,
  seedNudgeFixture,
  told,
} from "./nudge-fixture.ts";

const escalations = async (store: Store) =>
  (await queued(store)).filter((q) => q.key.startsWith("escalation:"));
const reminders = async (store: Store) => (await queued(store)).filter((q) => q.key.startsWith("reminder:"));

describe.each(STORE_KINDS)("reminders and escalations of bad-review follow-ups (%s)", (kind) => {
  let store: Store;
  let deps: NudgeDeps;
  const check = (local: string) => checkFollowUps(deps, { now: at(local) });
  const record = (factId: number, outcome: string, local: string) =>
    store.db.insert(followUps).values({ factId, outcome, doneBy: "zhang", doneAt: at(local) });
  beforeEach(async () => {
    store = await openTestStore(kind);
    deps = await seedNudgeFixture(store);
  });
  afterEach(() => store.close());

  it("reminds the agent once when 4 h are left, and not once the outcome is recorded", async () => {
    const review = await badReview(store, "zhang", "2026-11-30 20:00", "色差太大");
    const other = await badReview(store, "li", "2026-11-30 21:00");
    await queueBadReviewNudges(deps, { now: at("2026-12-01 09:30") });
    await record(other, "contacted", "2026-12-01 12:00");

    expect(await check("2026-12-01 15:59")).toMatchObject({ queued: 0 });
    expect(await check("2026-12-01 16:00")).toEqual({ queued: 1, told: 1, heldByCap: 0, unreachable: [] });
    expect(await check("2026-12-01 16:05")).toMatchObject({ queued: 0 });
    expect(await check("2026-12-01 17:00")).toMatchObject({ queued: 0 });

    const [reminder, ...more] = await reminders(store);
    expect(more).toEqual([]);
    expect(reminder!.to).toBe("U_ZHANG");
    expect(reminder!.dueAt).toEqual(at("2026-12-01 16:00"));
    expect(reminder!.text).toContain("差评跟进提醒：1 条差评不到 4 小时就到截止时间");
    expect(reminder!.text).toContain(
      `差评 #${review}（订单 O11302000）：「色差太大」。跟进截止 12-01 20:00，还剩 4小时，还没有记录跟进结果。`,
    );
    expect(buttons(reminder!.reply).map(([id]) => id)).toEqual([
      "followup:contacted",
      "followup:recovered",
      "followup:unreachable",
    ]);
    expect((await told(store)).get(`bad_review:${review}:reminder`)).toBe(reminder!.key);
  });

  it("reminds before quiet hours when they last past the deadline", async () => {
    await badReview(store, "zhao", "2026-12-01 02:10");
    await queueBadReviewNudges(deps, { now: at("2026-12-01 03:00") });
    // Due 12-02 02:10: four hours before is 22:10, in quiet hours until after the deadline.
    expect(await check("2026-12-01 19:59")).toMatchObject({ queued: 0 });
    expect(await check("2026-12-01 20:00")).toMatchObject({ queued: 1 });
    const [reminder] = await reminders(store);
    expect(reminder!.dueAt).toEqual(at("2026-12-01 20:00"));
    expect(reminder!.text).toContain("还剩 6小时10分");
  });

  it("gives an agent told of a review after its deadline two hours before the supervisor hears", async () => {
    // Reviewed Sunday 09:00, due Monday 09:00, pulled with Monday's 10:00 run: already overdue.
    await badReview(store, "zhang", "2026-11-30 09:00");
    await queueBadReviewNudges(deps, { now: at("2026-12-01 10:00") });
    expect(await check("2026-12-01 10:05")).toMatchObject({ queued: 0 });
    expect(await check("2026-12-01 11:59")).toMatchObject({ queued: 0 });
    expect(await check("2026-12-01 12:00")).toMatchObject({ queued: 1 });
    const [escalation] = await escalations(store);
    expect(escalation!.to).toBe("U_BOSS");
  });

  it("escalates on time a review its agent was never told of", async () => {
    deps.config.escalations.graceHours = 2;
    await badReview(store, "wu", "2026-11-30 09:00");
    // 小吴 has no chat account: nobody told him, so the deadline alone decides.
    expect(await check("2026-12-01 09:05")).toMatchObject({ queued: 1 });
  });

  it("sends no reminder when the nudge itself came with less than 4 h left", async () => {
    await badReview(store, "zhang", "2026-11-30 12:00");
    await queueDayNudges(deps, { day: "2026-11-30", now: at("2026-12-01 09:30") });
    expect(await check("2026-12-01 09:35")).toMatchObject({ queued: 0 });
    expect(await check("2026-12-01 11:00")).toMatchObject({ queued: 0 });
    expect(await reminders(store)).toEqual([]);
  });

  it("escalates to the supervisor at the deadline and to the admins 24 h later, each step once", async () => {
    const review = await badReview(store, "zhang", "2026-11-30 10:00", "质量太差");
    await queueBadReviewNudges(deps, { now: at("2026-11-30 10:30") });

    await check("2026-12-01 09:59");
    expect(await escalations(store)).toEqual([]);
    expect(await check("2026-12-01 10:00")).toMatchObject({ queued: 1, told: 1, unreachable: [] });
    await check("2026-12-01 10:05");
    const [toBoss, ...none] = await escalations(store);
    expect(none).toEqual([]);
    expect(toBoss!.to).toBe("U_BOSS");
    expect(toBoss!.dueAt).toEqual(at("2026-12-01 10:00"));
    expect(toBoss!.text).toContain("有 1 项需要你关注");
    expect(toBoss!.text).toContain("1 条差评超过 24 小时未跟进：");
    expect(toBoss!.text).toContain(
      `小张（售前一组）的差评 #${review}：「质量太差」（订单 O11301000，11-30 10:00 差评）。跟进截止 12-01 10:00，已超时 0分钟，仍未记录结果。`,
    );
    expect(toBoss!.text).toContain("发送 `followups` 查看全部待跟进差评");
    expect(buttons(toBoss!.reply)).toContainEqual(["followup:recovered", String(review)]);

    await check("2026-12-02 09:59");
    expect(await escalations(store)).toHaveLength(1);
    await check("2026-12-02 10:00");
    await check("2026-12-02 10:30");
    const [, toAdmin, ...rest] = await escalations(store);
    expect(rest).toEqual([]);
    expect(toAdmin!.to).toBe("U_ADMIN");
    expect(toAdmin!.text).toContain("已超时 24小时");
    expect([...(await told(store)).keys()].filter((s) => s.startsWith("overdue:")).sort()).toEqual([
      `overdue:${review}:step1`,
      `overdue:${review}:step2`,
    ]);
  });

  it("tells each step once when two checks run at the same moment", async () => {
    await badReview(store, "zhang", "2026-11-30 10:00");
    await badReview(store, "zhao", "2026-11-30 10:30");
    await badReview(store, "amy", "2026-11-30 11:00");
    const reports = await Promise.all([check("2026-12-02 12:00"), check("2026-12-02 12:00")]);
    // The run's escalations are claimed in one transaction: one run tells all six steps, the other none.
    expect(reports.map((r) => r.told).sort()).toEqual([0, 6]);
    // 王主管 hears of 小张 and 小赵 (step 1); the admin of all three (step 2, and Amy's step 1), each
    // review once, in the language of the first one's team.
    const sent = await escalations(store);
    expect(sent.map((e) => e.to).sort()).toEqual(["U_ADMIN", "U_BOSS"]);
    const admin = sent.find((e) => e.to === "U_ADMIN")!;
    expect(admin.text).toContain("有 3 项需要你关注\n3 条差评超过 24 小时未跟进");
    expect(sent.find((e) => e.to === "U_BOSS")!.text).toContain("2 条差评超过 24 小时未跟进");
    expect(await check("2026-12-02 12:05")).toMatchObject({ queued: 0, told: 0 });
  });

  it("stops the ladder once an outcome is recorded", async () => {
    const review = await badReview(store, "zhang", "2026-11-30 10:00");
    await check("2026-12-01 10:00");
    await record(review, "unreachable", "2026-12-01 11:00");
    await check("2026-12-02 10:00");
    expect((await escalations(store)).map((e) => e.to)).toEqual(["U_BOSS"]);
  });

  it("holds an escalation through the supervisor's quiet hours", async () => {
    await badReview(store, "li", "2026-11-30 22:30");
    await check("2026-12-01 22:45");
    const [escalation] = await escalations(store);
    expect(escalation!.to).toBe("U_BOSS");
    expect(escalation!.dueAt).toEqual(at("2026-12-02 08:30"));
  });

  it("escalates about an agent nobody can message, and to the admins when there is no supervisor, in the team's language", async () => {
    await badReview(store, "wu", "2026-11-30 09:00");
    const amys = await badReview(store, "amy", "2026-11-30 09:30", "Wrong size");
    const report = await check("2026-12-01 10:00");
    expect(report).toMatchObject({ queued: 2, told: 2, unreachable: [] });
    const [toBoss, toAdmin] = await escalations(store);
    expect(toBoss!.to).toBe("U_BOSS");
    expect(toBoss!.text).toContain("小吴（售前一组）的差评");
    expect(toAdmin!.to).toBe("U_ADMIN");
    expect(toAdmin!.text).toContain("1 bad review has not been followed up within 24 h:");
    expect(toAdmin!.text).toContain(
      `Amy (Night crew)'s bad review #${amys}: "Wrong size" (order O11300930, reviewed 11-30 09:30). Due 12-01 09:30, overdue by 30 min, nothing recorded.`,
    );
  });

  it("reports an escalation nobody can receive, and queues nothing for it", async () => {
    deps = { ...deps, config: { ...deps.config, admins: [] } };
    await badReview(store, "amy", "2026-11-30 09:30");
    expect(await check("2026-12-01 10:00")).toEqual({
      queued: 0,
      told: 0,
      heldByCap: 0,
      unreachable: ["amy"],
    });
    expect(await escalations(store)).toEqual([]);
  });
});

describe.each(STORE_KINDS)("escalating ignored rating reviews (%s)", (kind) => {
  let store: Store;
  let deps: NudgeDeps;
  beforeEach(async () => {
    store = await openTestStore(kind);
    deps = await seedNudgeFixture(store);
  });
  afterEach(() => store.close());

  /** Three low ratings of 小张 asked for in one message, sent at `sentAt`; returns their ids. */
  async function askThree(sentAt: string): Promise<number[]> {
    const ids = [
      await lowRating(store, "zhang", "2026-11-27 10:00", 1),
      await lowRating(store, "zhang", "2026-11-27 11:00", 2),
      await lowRating(store, "zhang", "2026-11-27 12:00", 3),
    ];
    await queueDayNudges(deps, { day: "2026-11-27", now: at("2026-11-28 08:00") });
    const [message] = await queued(store);
    await markSentAt(store, message!.key, at(sentAt));
    return ids;
  }

  it("tells the supervisor once a week when three asked reviews are still unrecorded after 48 h", async () => {
    const ids = await askThree("2026-11-28 09:00");
    expect(await checkFollowUps(deps, { now: at("2026-11-30 08:59") })).toMatchObject({ queued: 0 });
    expect(await checkFollowUps(deps, { now: at("2026-11-30 09:01") })).toMatchObject({ queued: 1, told: 1 });
    const [escalation] = await escalations(store);
    expect(escalation!.to).toBe("U_BOSS");
    expect(escalation!.text).toContain(
      "小张（售前一组）有 3 条低分评价提醒复盘已超过 48 小时，仍未记录复盘（最早一条 11-28 09:00 提醒）：",
    );
    for (const id of ids) expect(escalation!.text).toContain(`#${id}`);
    expect(escalation!.text).toContain("`done <编号> 已复盘`");
    expect((await told(store)).has("ignored:zhang:2026-W49")).toBe(true);

    expect(await checkFollowUps(deps, { now: at("2026-12-06 20:00") })).toMatchObject({ queued: 0 });
    expect(await checkFollowUps(deps, { now: at("2026-12-07 09:00") })).toMatchObject({ queued: 1 });
  });

  it("does not count reviews recorded since, or asked less than 48 h ago", async () => {
    const [first] = await askThree("2026-11-28 09:00");
    await store.db
      .insert(followUps)
      .values({ factId: first!, outcome: "reviewed", doneBy: "zhang", doneAt: at("2026-11-29 10:00") });
    expect(await checkFollowUps(deps, { now: at("2026-11-30 10:00") })).toMatchObject({ queued: 0 });
    expect(await escalations(store)).toEqual([]);
  });

  it("counts only what reached the agent", async () => {
    await lowRating(store, "zhang", "2026-11-27 10:00", 1);
    await lowRating(store, "zhang", "2026-11-27 11:00", 2);
    await lowRating(store, "zhang", "2026-11-27 12:00", 3);
    await queueDayNudges(deps, { day: "2026-11-27", now: at("2026-11-28 08:00") });
    expect(await checkFollowUps(deps, { now: at("2026-12-01 10:00") })).toMatchObject({ queued: 0 });
  });
});
