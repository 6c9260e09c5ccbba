import { describe, expect, it } from "vitest";
import type { Command } from "../../src/bot/commands/command.ts";
import { parseCommand } from "../../src/bot/commands/parse-command.ts";
import { resolvePeriod } from "../../src/bot/commands/period-asked.ts";
import { digestPeriodOf } from "../../src/cli/digest.ts";
import { periodOf } from "../../src/cli/score-db.ts";
import { dayInZone, type Period } from "../../src/engine/index.ts";

/**
 * One table of period words for every command: `/kpi me`, `kpi score --period` and `kpi digest
 * --period` read a word as the same period. The clock: Tuesday 2026-12-01, 10:00 in Shanghai.
 */
const now = new Date("2026-12-01T02:00:00Z");
const today = dayInZone("Asia/Shanghai")(now.getTime());

function kpiMe(word: string): Period {
  const parsed = parseCommand(`me ${word}`);
  if (!parsed.ok) throw new Error(`"me ${word}": ${JSON.stringify(parsed.usage)}`);
  return resolvePeriod((parsed.command as Extract<Command, { name: "me" }>).period, today);
}
const kpiScore = (word: string) => periodOf(undefined, word, now);
const kpiDigest = (word: string) => digestPeriodOf({ period: word }, today).period;

describe("period words mean the same in every command", () => {
  it.each([
    ["week", "2026-W49"],
    ["本周", "2026-W49"],
    ["last-week", "2026-W48"],
    ["上周", "2026-W48"],
    ["today", "2026-12-01"],
    ["yesterday", "2026-11-30"],
    ["month", "2026-12"],
    ["last-month", "2026-11"],
    ["上个月", "2026-11"],
    ["2026-W47", "2026-W47"],
    ["2026-11-23", "2026-11-23"],
  ])("%s is %s in /kpi me, kpi score and kpi digest", (word, key) => {
    const asked = kpiMe(word);
    expect(asked.key).toBe(key);
    expect(kpiScore(word)).toEqual(asked);
    expect(kpiDigest(word)).toEqual(asked);
  });

  it("reads a quarter's key in /kpi and kpi score alike", () => {
    expect(kpiMe("2026-Q4")).toMatchObject({ kind: "quarter", key: "2026-Q4" });
    expect(kpiScore("2026-Q4")).toEqual(kpiMe("2026-Q4"));
  });

  it("makes the digest's kind the period's: last-week is a weekly digest, yesterday a daily one", () => {
    expect(digestPeriodOf({ period: "last-week" }, today).kind).toBe("weekly");
    expect(digestPeriodOf({ period: "yesterday" }, today).kind).toBe("daily");
    expect(digestPeriodOf({ period: "2026-11" }, today).kind).toBe("monthly");
    expect(() => digestPeriodOf({ period: "2026-Q4" }, today)).toThrow(
      /a digest covers a day, a week or a month/,
    );
    expect(() => digestPeriodOf({ period: "2026-11", kind: "weekly" }, today)).toThrow(
      /weekly does not go with 2026-11/,
    );
  });

  it("defaults a digest to the last complete period of its kind, and kpi score to yesterday", () => {
    expect(digestPeriodOf({ kind: "weekly" }, today).period).toEqual(kpiMe("last-week"));
    expect(digestPeriodOf({ kind: "monthly" }, today).period).toEqual(kpiMe("last-month"));
    expect(digestPeriodOf({ kind: "daily" }, today).period).toEqual(kpiMe("yesterday"));
    expect(() => digestPeriodOf({}, today)).toThrow(/say which digest/);
    expect(periodOf(undefined, undefined, now)).toEqual(kpiMe("yesterday"));
  });

  it("counts the words from --date, and --date alone is that day", () => {
    expect(periodOf("2026-11-20", "week", now).key).toBe("2026-W47");
    expect(periodOf("2026-11-20", "last-week", now).key).toBe("2026-W46");
    expect(periodOf("2026-11-20", undefined, now).key).toBe("2026-11-20");
    expect(digestPeriodOf({ kind: "weekly", date: "2026-11-20" }, today).period.key).toBe("2026-W46");
  });

  it("retires day and quarter with what to write instead", () => {
    expect(() => kpiScore("day")).toThrow(/did you mean yesterday \(2026-11-30\)/);
    expect(() => kpiScore("quarter")).toThrow(/did you mean 2026-Q4/);
    expect(() => kpiDigest("day")).toThrow(/did you mean yesterday/);
    expect(() => kpiScore("lastweek")).toThrow(/did you mean last-week\?/);
    expect(parseCommand("me day")).toMatchObject({ ok: false, usage: { problem: "bad-period" } });
  });
});
