import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dayKey, parseDay } from "../../src/engine/index.ts";
import { checkGradeStreaks } from "../../src/nudges/grade-streaks.ts";
import type { NudgeDeps } from "../../src/nudges/nudge-deps.ts";
import type { Store } from "../../src/store/database.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";
import { at, firstResponses, queued, seedNudgeFixture, told } from "./nudge-fixture.ts";

// With the presales scheme's 30 s first-response target alone, a day's grade follows its first
// response time: 30 s scores 100 (A), 35 s 85.71 (C), 45 s 66.67 (D).
const A = 30;
const C = 35;
const D = 45;

describe.each(STORE_KINDS)("escalating a run of low grades (%s)", (kind) => {
  let store: Store;
  let deps: NudgeDeps;
  const days = async (grades: Record<string, number>, account = "小张") => {
    for (const [day, seconds] of Object.entries(grades))
      await firstResponses(store, day, { [account]: seconds });
  };
  /** The check the morning after the day's figures are in. */
  const check = (day: string) =>
    checkGradeStreaks(deps, { day, now: at(`${dayKey(parseDay(day) + 1)} 09:30`) });
  beforeEach(async () => {
    store = await openTestStore(kind);
    deps = await seedNudgeFixture(store);
  });
  afterEach(() => store.close());

  it("tells the supervisor when an agent is at C or below three scored days running, once per streak", async () => {
    await days({ "2026-11-25": A, "2026-11-26": C, "2026-11-27": D });
    expect(await check("2026-11-26")).toMatchObject({ queued: 0 });
    expect(await check("2026-11-27")).toMatchObject({ queued: 0 });
    await days({ "2026-11-28": C });
    expect(await check("2026-11-28")).toEqual({ queued: 1, told: 1, heldByCap: 0, unreachable: [] });
    const [message] = await queued(store);
    expect(message!.to).toBe("U_BOSS");
    expect(message!.dueAt).toEqual(at("2026-11-29 09:30"));
    expect(message!.text).toContain(
      "小张（售前一组）自 2026-11-26 起连续 3 天等级在 C 或以下（只算有考核数据的日子）：11-26 C、11-27 D、11-28 C。",
    );
    expect(message!.text).toContain("发送 `agent 小张 2026-11-28` 查看当天的考核结果");
    expect((await told(store)).has("grade_streak:zhang:2026-11-26")).toBe(true);

    // The streak goes on (a day without figures neither breaks nor counts): nothing new.
    await days({ "2026-11-29": D, "2026-12-01": C });
    expect(await check("2026-11-29")).toMatchObject({ queued: 0 });
    expect(await check("2026-12-01")).toMatchObject({ queued: 0 });
    // A better day ends it; three more low days are a new streak.
    await days({ "2026-12-02": A, "2026-12-03": C, "2026-12-04": C, "2026-12-05": D });
    expect(await check("2026-12-04")).toMatchObject({ queued: 0 });
    expect(await check("2026-12-05")).toMatchObject({ queued: 1 });
    expect((await told(store)).has("grade_streak:zhang:2026-12-03")).toBe(true);
  });

  it("follows the configured grade, length and audience, and can be switched off", async () => {
    await days({ "2026-11-27": C, "2026-11-28": C });
    const strict = (lowGrade: NudgeDeps["config"]["escalations"]["lowGrade"]) => ({
      ...deps,
      config: { ...deps.config, escalations: { ...deps.config.escalations, lowGrade } },
    });
    deps = strict({ grade: "D", days: 2, to: "supervisor" });
    expect(await check("2026-11-28")).toMatchObject({ queued: 0 });
    deps = strict(null);
    expect(await check("2026-11-28")).toMatchObject({ queued: 0 });
    deps = strict({ grade: "C", days: 2, to: "admins" });
    expect(await check("2026-11-28")).toMatchObject({ queued: 1 });
    expect((await queued(store)).map((q) => q.to)).toEqual(["U_ADMIN"]);
  });

  it("writes in English to an English team's supervisor (the admin, for Amy)", async () => {
    await days({ "2026-11-26": D, "2026-11-27": D, "2026-11-28": C }, "Amy");
    await check("2026-11-28");
    const [message] = await queued(store);
    expect(message!.to).toBe("U_ADMIN");
    expect(message!.text).toContain(
      "Amy (Night crew) has been graded C or below on 3 scored days in a row since 2026-11-26: 11-26 D, 11-27 D, 11-28 C.",
    );
    expect(message!.text).toContain("Send `agent Amy 2026-11-28` for the day's scorecard");
  });
});
