import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { botNotices } from "../../src/bot/bot-notices.ts";
import type { Config } from "../../src/config.ts";
import { silentLog } from "../../src/log.ts";
import { queueBadReviewNudges } from "../../src/nudges/day-nudges.ts";
import { runNotices } from "../../src/nudges/notice-run.ts";
import type { NudgeDeps } from "../../src/nudges/nudge-deps.ts";
import type { Store } from "../../src/store/database.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";
import {
  at,
  badReview,
  buttons,
  firstResponses,
  lowRating,
  queued,
  queuedTo,
  seedNudgeFixture,
  told,
} from "./nudge-fixture.ts";

describe.each(STORE_KINDS)("one message per person per run (%s)", (kind) => {
  let store: Store;
  let deps: NudgeDeps & { config: Config };
  beforeEach(async () => {
    store = await openTestStore(kind);
    deps = await seedNudgeFixture(store);
  });
  afterEach(() => store.close());

  /**
   * 小张 at 16:00 on 12-01: a review told at 09:30 now due in 4 h, a new one, two ratings, a slow
   * 11-30. 小李's and 小赵's reviews were due on 11-30 and never followed up: told at 09:30, their
   * two hours' grace is over by 16:00, so their supervisor hears, and, a day past the deadline,
   * the admin; they were slow on 11-30 too.
   */
  async function busyAfternoon() {
    const dueSoon = await badReview(store, "zhang", "2026-11-30 20:00", "色差太大");
    const lis = await badReview(store, "li", "2026-11-29 10:00", "发货太慢");
    const zhaos = await badReview(store, "zhao", "2026-11-29 11:00", "态度差");
    await queueBadReviewNudges(deps, { now: at("2026-12-01 09:30") });
    const fresh = await badReview(store, "zhang", "2026-12-01 10:00", "尺码偏小");
    const ratings = [
      await lowRating(store, "zhang", "2026-11-30 11:00", 2),
      await lowRating(store, "zhang", "2026-11-30 15:20", 1),
    ];
    await firstResponses(store, "2026-11-30", { 小张: 45, 小李: 45, 小赵: 45 });
    return { dueSoon, fresh, ratings, lis, zhaos };
  }
  const afternoonRun = () =>
    runNotices(deps, { now: at("2026-12-01 16:00"), days: ["2026-11-30"], watch: true });

  it("tells an agent a reminder, a new bad review, low ratings and a slow day in one message, headed and in order", async () => {
    const { dueSoon, fresh, ratings } = await busyAfternoon();
    const before = (await queued(store)).length;

    await afternoonRun();

    const toZhang = (await queuedTo(store, "U_ZHANG")).slice(1);
    expect(toZhang).toHaveLength(1);
    const [message] = toZhang;
    expect(message!.key).toMatch(/^nudge:slack:user:U_ZHANG:/);
    const text = message!.text;
    expect(text).toContain("小张，有 5 项需要你处理");
    const order = [
      "■ 差评待跟进（2）",
      `差评 #${dueSoon}`,
      `差评 #${fresh}`,
      "■ 低分评价待复盘（2）",
      "■ 响应偏慢",
    ];
    const at_ = order.map((part) => text.indexOf(part));
    expect(at_.every((i) => i >= 0)).toBe(true);
    expect([...at_].sort((a, b) => a - b)).toEqual(at_);
    expect(text).toContain(
      `差评 #${dueSoon}（订单 O11302000）：「色差太大」。跟进截止 12-01 20:00，还剩 4小时，还没有记录跟进结果。`,
    );
    expect(text).toContain("2026-11-30 响应偏慢：首次响应时间 45 s（目标 ≤30 s）。");
    expect(buttons(message!.reply)).toEqual([
      ["followup:contacted", String(dueSoon)],
      ["followup:recovered", String(dueSoon)],
      ["followup:unreachable", String(dueSoon)],
      ["followup:contacted", String(fresh)],
      ["followup:recovered", String(fresh)],
      ["followup:unreachable", String(fresh)],
      ["followup:reviewed", String(ratings[0])],
      ["followup:reviewed", String(ratings[1])],
    ]);
    // Every part is recorded as told by this one message.
    const notices = await told(store);
    for (const subject of [
      `bad_review:${dueSoon}:reminder`,
      `bad_review:${fresh}`,
      `low_rating:${ratings[0]}`,
      `low_rating:${ratings[1]}`,
      "slow:zhang:2026-11-30",
    ])
      expect(notices.get(subject)).toBe(message!.key);
    // Everyone else of the run: one message each.
    const after = await queued(store);
    const recipients = after.slice(before).map((q) => q.to);
    expect(recipients.sort()).toEqual(["U_ADMIN", "U_BOSS", "U_LI", "U_ZHANG", "U_ZHAO"]);
  });

  it("gives a supervisor one escalation with every agent's overdue review", async () => {
    const { lis, zhaos } = await busyAfternoon();
    await afternoonRun();
    const [toBoss, ...more] = await queuedTo(store, "U_BOSS");
    expect(more).toEqual([]);
    expect(toBoss!.key).toMatch(/^escalation:/);
    expect(toBoss!.text).toContain("2 条差评超过 24 小时未跟进");
    expect(toBoss!.text).toContain(`小李（售前一组）的差评 #${lis}`);
    expect(toBoss!.text).toContain(`小赵（售前一组）的差评 #${zhaos}`);
    const [toAdmin, ...again] = await queuedTo(store, "U_ADMIN");
    expect(again).toEqual([]);
    expect(toAdmin!.text).toContain(`#${lis}`);
  });

  it("gives an agent told of an overdue review in a run their grace before the supervisor hears", async () => {
    // Pulled late: due on 11-30, never told. The run tells 小李 and leaves the supervisor be.
    const lis = await badReview(store, "li", "2026-11-29 10:00", "发货太慢");
    await runNotices(deps, { now: at("2026-12-01 16:00"), days: ["2026-11-30"], watch: true });
    expect((await queuedTo(store, "U_LI")).map((m) => m.text).join("\n")).toContain(`差评 #${lis}`);
    expect(await queuedTo(store, "U_BOSS")).toEqual([]);
    // Two hours on (graceHours), the watch tells the supervisor.
    await runNotices(deps, { now: at("2026-12-01 18:01"), days: [], watch: true });
    const [toBoss, ...more] = await queuedTo(store, "U_BOSS");
    expect(more).toEqual([]);
    expect(toBoss!.text).toContain(`小李（售前一组）的差评 #${lis}`);
  });

  it("queues nothing again when the run is repeated (a crash after queueing) or two replicas run it at once", async () => {
    await busyAfternoon();
    const [first, second] = await Promise.all([afternoonRun(), afternoonRun()]);
    expect(first!.queued + second!.queued).toBe(5);
    const keys = (await queued(store)).map((q) => q.key);
    expect(await afternoonRun()).toEqual({ queued: 0, told: 0, heldByCap: 0, unreachable: [] });
    expect((await queued(store)).map((q) => q.key)).toEqual(keys);
    // Each subject is carried by exactly one message, and no message by another's subjects.
    const notices = await told(store);
    expect(new Set(notices.values())).toEqual(new Set(keys));
  });

  it("tells in a later run only what was not told: a watch's bad review, then the pull's ratings and slow day", async () => {
    await lowRating(store, "zhang", "2026-11-30 15:20", 2);
    await firstResponses(store, "2026-11-30", { 小张: 45 });
    const review = await badReview(store, "zhang", "2026-12-01 02:10", "质量太差");

    await runNotices(deps, { now: at("2026-12-01 03:00"), days: [], watch: true });
    await runNotices(deps, { now: at("2026-12-01 07:00"), days: ["2026-11-30"], watch: false });

    const [night, morning, ...more] = await queuedTo(store, "U_ZHANG");
    expect(more).toEqual([]);
    expect(night!.text).toContain(`差评 #${review}`);
    expect(night!.text).not.toContain("低于 4 分");
    expect(morning!.text).not.toContain(`差评 #${review}`);
    expect(morning!.text).toContain("1 条评价低于 4 分");
    expect(morning!.text).toContain("响应偏慢");
    // A message of one part has no headings.
    expect(night!.text).not.toContain("■");
  });

  it("holds the console's start-up runs and tells each person once with the first look", async () => {
    await lowRating(store, "zhang", "2026-11-29 15:20", 2);
    await lowRating(store, "zhang", "2026-11-30 15:20", 3);
    await firstResponses(store, "2026-11-30", { 小张: 45, 小李: 50 });
    await badReview(store, "li", "2026-11-30 22:00");
    const notices = botNotices({
      db: store.db,
      config: deps.config,
      platforms: ["console"],
      now: () => at("2026-12-01 08:00"),
      log: silentLog,
      holdUntilFirstLook: true,
    });

    expect(await notices.afterPull(["2026-11-29"])).toBe(0);
    expect(await notices.watch()).toBe(0);
    expect(await queued(store)).toEqual([]);
    expect(await notices.firstLook("2026-11-30")).toBe(2);

    const messages = await queued(store);
    expect(messages.map((m) => m.to).sort()).toEqual(["li", "zhang"]);
    const zhang = messages.find((m) => m.to === "zhang")!;
    expect(zhang.text).toContain("2 条评价低于 4 分");
    const li = messages.find((m) => m.to === "li")!;
    expect(li.text).toContain("■ 差评待跟进（1）");
    expect(li.text).toContain("■ 响应偏慢");
    // After the first look, runs are the jobs' own again.
    await lowRating(store, "zhao", "2026-11-30 16:00", 1);
    expect(await notices.afterPull(["2026-11-30"])).toBe(1);
  });
});
