import { describe, expect, it } from "vitest";
import {
  binomialTail,
  type DailyFigure,
  isoWeekOf,
  judgeAgentWeek,
  judgeFigureJump,
  judgeInviteTiming,
  monthEndsIn,
  DEFAULT_GAMING_THRESHOLDS as T,
  tallyConversations,
} from "../../../src/engine/gaming/index.ts";
import { dayKey, parseDay } from "../../../src/engine/period.ts";
import { times } from "./talk.ts";

/** Daily figures from `from` for `days` days, value(day index) over a denominator of 40. */
function daily(
  metric: string,
  from: string,
  days: number,
  value: (i: number) => number,
  den = 40,
): DailyFigure[] {
  const first = parseDay(from);
  return Array.from({ length: days }, (_, i) => ({
    day: dayKey(first + i),
    metric,
    num: Math.round(value(i) * den),
    den,
  }));
}

const wobble = (i: number) => [0, 0.05, -0.05, 0.025, -0.025][i % 5]!;

describe("figures that jump far from the agent's own history", () => {
  // 2026-W48 is 11-23 … 11-29; the 28 days before start on 10-26.
  const past = daily("qa_ratio", "2026-10-26", 28, (i) => 1.2 + wobble(i));

  it("alerts when the week's 问答比 sits far above the agent's median", () => {
    const finding = judgeFigureJump(
      "2026-W48",
      [...past, ...daily("qa_ratio", "2026-11-23", 5, () => 1.8)],
      T,
    );
    expect(finding).toMatchObject({
      kind: "figure_jump",
      rule: "qa_ratio",
      numbers: { pastMedian: 1.2, weekValue: 1.8, highDays: 5 },
    });
  });

  it("does not alert on a small rise, a one-day spike, or without enough past", () => {
    expect(
      judgeFigureJump("2026-W48", [...past, ...daily("qa_ratio", "2026-11-23", 5, () => 1.25)], T),
    ).toBeUndefined();
    const oneDay = daily("qa_ratio", "2026-11-23", 5, (i) => (i === 0 ? 3 : 1.2));
    expect(judgeFigureJump("2026-W48", [...past, ...oneDay], T)).toBeUndefined();
    const short = daily("qa_ratio", "2026-11-16", 7, () => 1.2);
    expect(
      judgeFigureJump("2026-W48", [...short, ...daily("qa_ratio", "2026-11-23", 5, () => 1.8)], T),
    ).toBeUndefined();
  });

  it("does not alert on a 满意率 of a few ratings a day swinging by chance", () => {
    const csat = [
      ...daily("csat_rate", "2026-10-26", 28, (i) => 0.7 + wobble(i), 10),
      ...daily("csat_rate", "2026-11-23", 5, () => 0.9, 10),
    ];
    expect(judgeFigureJump("2026-W48", csat, T)).toBeUndefined();
  });
});

describe("rating invitations crowded into the month's last days", () => {
  // November 2026 ends on Monday the 30th, in 2026-W49.
  const month = (rest: number, tail: number) =>
    daily("invite_rate", "2026-11-01", 30, (i) => (i >= 25 ? tail : rest));

  it("is judged in the week holding the month's last day", () => {
    expect(monthEndsIn("2026-W49")).toEqual(["2026-11-30"]);
    expect(monthEndsIn("2026-W48")).toEqual([]);
    expect(isoWeekOf("2026-11-30")).toBe("2026-W49");
  });

  it("alerts when the last five days hold the invitations", () => {
    expect(judgeInviteTiming("2026-W49", month(0.1, 0.7), T)?.numbers).toMatchObject({
      tailRate: 0.7,
      restRate: 0.1,
    });
    expect(judgeInviteTiming("2026-W48", month(0.1, 0.7), T)).toBeUndefined();
  });

  it("does not alert on an honest month-end push", () => {
    expect(judgeInviteTiming("2026-W49", month(0.5, 0.62), T)).toBeUndefined();
  });
});

describe("an agent-week", () => {
  it("gives at most one finding per kind", () => {
    const guided = times(5, [
      [0, "c", "收到了"],
      [5, "a", "亲，给个五星好评哦～"],
      [6, "a", "好评返现哦！"],
    ]);
    const findings = judgeAgentWeek(
      { week: "2026-W48", tallies: tallyConversations(guided, T), figures: [] },
      T,
    );
    expect(findings.map((f) => f.kind)).toEqual(["review_guidance"]);
  });
});

describe("the binomial tail", () => {
  it("is exact on small cases", () => {
    expect(binomialTail(0, 5, 0.3)).toBe(1);
    expect(binomialTail(2, 2, 0.5)).toBeCloseTo(0.25, 10);
    expect(binomialTail(1, 3, 0.5)).toBeCloseTo(0.875, 10);
    expect(binomialTail(4, 3, 0.5)).toBe(0);
  });
});
