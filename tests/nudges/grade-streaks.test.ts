import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scorePeriod } from "../../src/bot/score-period.ts";
import { dayKey, parseDay, parsePeriod } from "../../src/engine/index.ts";
import { checkGradeStreaks } from "../../src/nudges/grade-streaks.ts";
import type { NudgeDeps } from "../../src/nudges/nudge-deps.ts";
import type { Store } from "../../src/store/database.ts";
import { importBatch } from "../../src/store/import-repo.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";
import { at, queued, seedNudgeFixture, told } from "./nudge-fixture.ts";

/**
 * The built-in presales scheme with every item on target but first response (15% of the weight;
 * AOV uplift has no previous month here and is left out, so the rest carry 90%): 30 s scores 100
 * and the month is A (100); 120 s scores 25 and the month is (75·100 + 15·25) ÷ 90 = 87.5, C.
 * December and February: no promotion season cuts them.
 */
const A = 30;
const C = 120;

const onTarget = {
  conversion_rate: { num: 15, den: 100 },
  cross_sell_rate: { num: 20, den: 100 },
  receptions: { num: 200, den: 1 },
  csat_rate: { num: 90, den: 100 },
  resolution_rate: { num: 85, den: 100 },
  attendance_rate: { num: 49, den: 50 },
  training_participation: { num: 1, den: 1 },
};

describe.each(STORE_KINDS)("escalating a low grade of the month so far (%s)", (kind) => {
  let store: Store;
  let deps: NudgeDeps;
  /** Each day's figures imported, then the day and its month scored, as the morning pull does. */
  const days = async (seconds: Record<string, number>, account = "小张") => {
    for (const [day, s] of Object.entries(seconds)) {
      await importBatch(
        store.db,
        {
          source: "generic",
          records: [
            {
              line: 2,
              agent: account,
              values: { ...onTarget, first_response_time: { num: s * 10, den: 10 } },
              pending: [],
            },
          ],
          facts: [],
          problems: [],
        },
        {
          fileHash: `${account}-${day}`,
          shopId: "s1",
          day,
          unknownAgents: "reject",
          defaultRole: "presales",
          actor: "t",
          now: at(`${day} 23:59`),
        },
      );
      for (const key of [day, day.slice(0, 7)])
        await scorePeriod(store.db, parsePeriod(key), { actor: "t", now: at(`${day} 23:59`) });
    }
  };
  /** The check the morning after the day's figures are in. */
  const check = (day: string) =>
    checkGradeStreaks(deps, { day, now: at(`${dayKey(parseDay(day) + 1)} 09:30`) });
  beforeEach(async () => {
    store = await openTestStore(kind);
    deps = await seedNudgeFixture(store);
  });
  afterEach(() => store.close());

  it("tells the supervisor once the month so far is C or below with three days of figures, once a month", async () => {
    await days({ "2026-12-25": C, "2026-12-26": C });
    expect(await check("2026-12-26")).toMatchObject({ queued: 0 }); // two days of figures
    await days({ "2026-12-27": C });
    expect(await check("2026-12-27")).toEqual({ queued: 1, told: 1, heldByCap: 0, unreachable: [] });
    const [message] = await queued(store);
    expect(message!.to).toBe("U_BOSS");
    expect(message!.dueAt).toEqual(at("2026-12-28 09:30"));
    expect(message!.text).toContain(
      "小张（售前一组）2026-12 至今（到 2026-12-27，3 天有数据）总分 87.5，等级 C，在 C 或以下。",
    );
    expect(message!.text).toContain("发送 `agent 小张 2026-12` 查看考核结果和提升建议");
    expect((await told(store)).has("low_grade:zhang:2026-12")).toBe(true);
    // The month stays low: not told again. February starts afresh.
    await days({ "2026-12-28": C });
    expect(await check("2026-12-28")).toMatchObject({ queued: 0 });
    await days({ "2027-02-01": C, "2027-02-02": C, "2027-02-03": C });
    expect(await check("2027-02-03")).toMatchObject({ queued: 1 });
    expect((await told(store)).has("low_grade:zhang:2027-02")).toBe(true);
  });

  it("does not escalate a bad day in a good month: days are watched, not graded", async () => {
    await days({ "2026-12-24": A, "2026-12-25": A, "2026-12-26": A, "2026-12-27": A, "2026-12-28": C });
    // (4 days at 30 s, 1 at 120 s: 480 s over 50 sessions, 48 s → 62.5; (7500 + 937.5) ÷ 90 = 93.75, B)
    expect(await check("2026-12-28")).toMatchObject({ queued: 0 });
  });

  it("follows the configured grade, days and audience, and can be switched off", async () => {
    await days({ "2026-12-27": C, "2026-12-28": C });
    const strict = (lowGrade: NudgeDeps["config"]["escalations"]["lowGrade"]) => ({
      ...deps,
      config: { ...deps.config, escalations: { ...deps.config.escalations, lowGrade } },
    });
    deps = strict({ grade: "D", days: 2, to: "supervisor" });
    expect(await check("2026-12-28")).toMatchObject({ queued: 0 });
    deps = strict(null);
    expect(await check("2026-12-28")).toMatchObject({ queued: 0 });
    deps = strict({ grade: "C", days: 2, to: "admins" });
    expect(await check("2026-12-28")).toMatchObject({ queued: 1 });
    expect((await queued(store)).map((q) => q.to)).toEqual(["U_ADMIN"]);
  });

  it("writes in English to an English team's supervisor (the admin, for Amy)", async () => {
    await days({ "2026-12-26": C, "2026-12-27": C, "2026-12-28": C }, "Amy");
    await check("2026-12-28");
    const [message] = await queued(store);
    expect(message!.to).toBe("U_ADMIN");
    expect(message!.text).toContain(
      "Amy (Night crew)'s 2026-12 so far (through 2026-12-28, figures on 3 days) totals 87.5, grade C: C or below.",
    );
    expect(message!.text).toContain("Send `agent Amy 2026-12` for the scorecard and what would lift it");
  });
});
