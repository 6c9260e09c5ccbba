import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { queueBadReviewNudges, queueDayNudges } from "../../src/nudges/day-nudges.ts";
import type { NudgeDeps } from "../../src/nudges/nudge-deps.ts";
import type { Store } from "../../src/store/database.ts";
import { agents, followUps } from "../../src/store/schema.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";
import {
  at,
  badReview,
  buttons,
  firstResponses,
  longWait,
  lowRating,
  queued,
  queuedTo,
  seedNudgeFixture,
  told,
} from "./nudge-fixture.ts";

describe.each(STORE_KINDS)("nudges to agents after a day's pull (%s)", (kind) => {
  let store: Store;
  let deps: NudgeDeps;
  beforeEach(async () => {
    store = await openTestStore(kind);
    deps = await seedNudgeFixture(store);
  });
  afterEach(() => store.close());

  it("sends a slow day, a low rating and a bad review as one message, with the facts and buttons", async () => {
    await firstResponses(store, "2026-11-30", { 小张: 45, 小李: 20 });
    const waited = await longWait(store, "zhang", "2026-11-30 10:15", 430);
    await longWait(store, "zhang", "2026-11-30 11:00", 200);
    const rating = await lowRating(store, "zhang", "2026-11-30 15:20", 2);
    const review = await badReview(store, "zhang", "2026-11-30 20:00", "衣服色差太大");
    expect(waited).toBeGreaterThan(0);

    const report = await queueDayNudges(deps, { day: "2026-11-30", now: at("2026-12-01 09:30") });

    expect(report).toEqual({ queued: 1, told: 3, heldByCap: 0, unreachable: [] });
    const [message, ...others] = await queued(store);
    expect(others).toEqual([]);
    expect(message!.to).toBe("U_ZHANG");
    expect(message!.dueAt).toEqual(at("2026-12-01 09:30"));
    expect(message!.text).toContain("小张，有 3 项需要你处理");
    expect(message!.text).toContain(
      `差评 #${review}（订单 O11302000，顾客 a**3）：「衣服色差太大」。跟进截止 12-01 20:00，还剩 10小时30分。`,
    );
    expect(message!.text).toContain("1 条评价低于 4 分，请复盘原因");
    expect(message!.text).toMatch(new RegExp(`#${rating}\\s+│ S-zhang-202611301520 │\\s+2 │ 11-30 15:20`));
    expect(message!.text).toContain("2026-11-30 响应偏慢：首次响应时间 45 s（目标 ≤30 s）。");
    expect(message!.text).toContain("1 个会话顾客等待超过 5分钟：");
    expect(message!.text).toMatch(/W-zhang-202611301015 │ b\*\*7\s+│ 11-30 10:15\s+│\s+7分10秒/);
    expect(message!.text).not.toContain("W-zhang-202611301100");
    expect(message!.text).toContain("发送 `me 2026-11-30` 查看当天各项指标。");
    expect(buttons(message!.reply)).toEqual([
      ["followup:contacted", String(review)],
      ["followup:recovered", String(review)],
      ["followup:unreachable", String(review)],
      ["followup:reviewed", String(rating)],
    ]);
    // 小李 answered within target and has nothing else: no message.
    expect(await told(store)).toEqual(
      new Map([
        [`bad_review:${review}`, message!.key],
        [`low_rating:${rating}`, message!.key],
        ["slow:zhang:2026-11-30", message!.key],
      ]),
    );
  });

  it("queues nothing new when run again, and tells each thing once when two runs race", async () => {
    await lowRating(store, "zhang", "2026-11-30 15:20");
    await lowRating(store, "li", "2026-11-30 16:00");
    await badReview(store, "zhao", "2026-11-30 20:00");
    await badReview(store, "amy", "2026-11-30 21:00");
    const run = () => queueDayNudges(deps, { day: "2026-11-30", now: at("2026-12-01 09:30") });

    const reports = await Promise.all([run(), run()]);
    expect(reports.map((r) => r.queued).reduce((a, b) => a + b)).toBe(4);
    expect(reports.map((r) => r.told).reduce((a, b) => a + b)).toBe(4);
    expect((await queued(store)).map((q) => q.to).sort()).toEqual(["U_AMY", "U_LI", "U_ZHANG", "U_ZHAO"]);

    expect(await run()).toEqual({ queued: 0, told: 0, heldByCap: 0, unreachable: [] });
    expect(await queueBadReviewNudges(deps, { now: at("2026-12-01 09:35") })).toMatchObject({ queued: 0 });
    expect(await queued(store)).toHaveLength(4);
  });

  it("holds a nudge computed at 23:00 until 08:30, or until the agent's shift: 09:00, or 14:00 for the late shift", async () => {
    await lowRating(store, "zhao", "2026-11-30 15:00");
    await lowRating(store, "zhang", "2026-11-30 15:00");
    await lowRating(store, "li", "2026-11-30 15:00");

    await queueDayNudges(deps, { day: "2026-11-30", now: at("2026-11-30 23:00") });

    expect((await queuedTo(store, "U_ZHAO"))[0]!.dueAt).toEqual(at("2026-12-01 08:30"));
    expect((await queuedTo(store, "U_ZHANG"))[0]!.dueAt).toEqual(at("2026-12-01 09:00"));
    expect((await queuedTo(store, "U_LI"))[0]!.dueAt).toEqual(at("2026-12-01 14:00"));
  });

  it("sends a batch with a bad review at the end of quiet hours, not waiting for a late shift", async () => {
    await lowRating(store, "li", "2026-11-30 15:00");
    await badReview(store, "li", "2026-11-30 22:40");
    await queueDayNudges(deps, { day: "2026-11-30", now: at("2026-11-30 23:00") });
    const [message] = await queuedTo(store, "U_LI");
    expect(message!.dueAt).toEqual(at("2026-12-01 08:30"));
    expect(message!.text).toContain("小李，有 2 项需要你处理");
  });

  it("sends a bad review as soon as it is pulled, in quiet hours at 08:30, and once", async () => {
    const review = await badReview(store, "zhang", "2026-12-01 02:10", "质量太差");
    const night = await queueBadReviewNudges(deps, { now: at("2026-12-01 03:00") });
    expect(night).toEqual({ queued: 1, told: 1, heldByCap: 0, unreachable: [] });
    const [message] = await queued(store);
    expect(message!.dueAt).toEqual(at("2026-12-01 08:30"));
    expect(message!.text).toContain(`差评 #${review}`);
    expect(message!.text).toContain("跟进截止 12-02 02:10，还剩 23小时10分。");
    expect(await queueBadReviewNudges(deps, { now: at("2026-12-01 03:05") })).toMatchObject({ queued: 0 });
  });

  it("keeps to the daily cap: what can wait rolls into the next run, bad reviews still go", async () => {
    deps = { ...deps, config: { ...deps.config, nudges: { ...deps.config.nudges, dailyCap: 2 } } };
    await badReview(store, "zhao", "2026-12-01 08:00");
    await queueBadReviewNudges(deps, { now: at("2026-12-01 09:00") });
    await badReview(store, "zhao", "2026-12-01 09:10");
    await queueBadReviewNudges(deps, { now: at("2026-12-01 09:20") });
    const rating = await lowRating(store, "zhao", "2026-11-30 15:00");
    await longWait(store, "zhao", "2026-11-30 10:00", 600);

    const capped = await queueDayNudges(deps, { day: "2026-11-30", now: at("2026-12-01 09:30") });
    expect(capped).toEqual({ queued: 0, told: 0, heldByCap: 2, unreachable: [] });

    const third = await badReview(store, "zhao", "2026-12-01 10:00");
    const urgent = await queueDayNudges(deps, { day: "2026-11-30", now: at("2026-12-01 10:30") });
    expect(urgent).toEqual({ queued: 1, told: 1, heldByCap: 2, unreachable: [] });
    expect((await queued(store)).at(-1)!.text).toContain(`差评 #${third}`);
    expect((await queued(store)).at(-1)!.text).not.toContain(`#${rating}`);

    const nextDay = await queueDayNudges(deps, { day: "2026-12-01", now: at("2026-12-02 09:30") });
    expect(nextDay).toEqual({ queued: 1, told: 2, heldByCap: 0, unreachable: [] });
    const carried = (await queued(store)).at(-1)!;
    expect(carried.text).toContain(`#${rating}`);
    expect(carried.text).toContain("2026-11-30 响应偏慢");
    expect(await queuedTo(store, "U_ZHAO")).toHaveLength(4);
  });

  it("reports an agent without a chat account instead of queueing, and tries again next time", async () => {
    await lowRating(store, "wu", "2026-11-30 15:00");
    await lowRating(store, "zhang", "2026-11-30 15:00");
    const report = await queueDayNudges(deps, { day: "2026-11-30", now: at("2026-12-01 09:30") });
    expect(report).toEqual({ queued: 1, told: 1, heldByCap: 0, unreachable: ["wu"] });
    expect((await queued(store)).map((q) => q.to)).toEqual(["U_ZHANG"]);
    expect([...(await told(store)).keys()].some((s) => s.startsWith("low_rating:") && s.includes("wu"))).toBe(
      false,
    );
    expect(
      (await queueDayNudges(deps, { day: "2026-11-30", now: at("2026-12-01 09:40") })).unreachable,
    ).toEqual(["wu"]);
  });

  it("skips facts of nobody (unattributed) or of an agent who left, without failing", async () => {
    await badReview(store, null, "2026-11-30 20:00");
    await lowRating(store, "zhao", "2026-11-30 15:00");
    await store.db.update(agents).set({ active: false }).where(eq(agents.id, "zhao"));
    expect(await queueDayNudges(deps, { day: "2026-11-30", now: at("2026-12-01 09:30") })).toEqual({
      queued: 0,
      told: 0,
      heldByCap: 0,
      unreachable: [],
    });
  });

  it("reaches everyone on the console, by agent id", async () => {
    await lowRating(store, "wu", "2026-11-30 15:00");
    const report = await queueDayNudges(
      { ...deps, platforms: ["console"] },
      { day: "2026-11-30", now: at("2026-12-01 09:30") },
    );
    expect(report).toMatchObject({ queued: 1, unreachable: [] });
    expect((await queued(store)).map((q) => [q.key.split(":").slice(0, 4).join(":"), q.to])).toEqual([
      ["nudge:console:user:wu", "wu"],
    ]);
  });

  it("speaks English to an English team", async () => {
    await firstResponses(store, "2026-11-30", { Amy: 40 });
    const rating = await lowRating(store, "amy", "2026-11-30 15:00", 3);
    const review = await badReview(store, "amy", "2026-11-30 12:00", "Wrong size");
    await queueDayNudges(deps, { day: "2026-11-30", now: at("2026-12-01 13:00") });
    const [message] = await queuedTo(store, "U_AMY");
    expect(message!.text).toContain("Amy, 3 things need your attention");
    expect(message!.text).toContain(
      `Bad review #${review} (order O11301200, customer a**3): "Wrong size". Follow up by 12-01 12:00, overdue by 1 h.`,
    );
    expect(message!.text).toContain("1 rating below 4: review the cause");
    expect(message!.text).toContain(`[reviewed #${rating}]`);
    expect(message!.text).toContain("Slow responses on 2026-11-30: first response time 40 s (target ≤30 s).");
  });

  it("leaves out reviewed ratings, followed-up and week-old bad reviews, and does nothing when nudges are off", async () => {
    const rating = await lowRating(store, "zhang", "2026-11-30 15:00");
    const review = await badReview(store, "zhang", "2026-11-30 16:00");
    await badReview(store, "zhang", "2026-11-20 16:00");
    const off = { ...deps, config: { ...deps.config, nudges: { ...deps.config.nudges, enabled: false } } };
    expect(await queueDayNudges(off, { day: "2026-11-30", now: at("2026-12-01 09:30") })).toMatchObject({
      queued: 0,
    });
    for (const [factId, outcome] of [
      [rating, "reviewed"],
      [review, "contacted"],
    ] as const)
      await store.db
        .insert(followUps)
        .values({ factId, outcome, doneBy: "zhang", doneAt: at("2026-12-01 09:00") });
    expect(await queueDayNudges(deps, { day: "2026-11-30", now: at("2026-12-01 09:30") })).toMatchObject({
      queued: 0,
      told: 0,
    });
    expect(await queued(store)).toEqual([]);
  });
});
