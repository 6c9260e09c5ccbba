import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { botSchedules } from "../../src/bot/bot-schedules.ts";
import { DEFAULT_CONFIG_TEXT, parseConfig } from "../../src/config.ts";
import { InvalidDocument } from "../../src/engine/index.ts";

function problems(text: string): string[] {
  try {
    parseConfig(text, "test.yaml");
    return [];
  } catch (error) {
    if (!(error instanceof InvalidDocument)) throw error;
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

describe("the ratings settings", () => {
  it("default to 10:00 daily, escalation after 3 days, Monday to Friday", () => {
    expect(parseConfig(DEFAULT_CONFIG_TEXT, "built-in").ratings).toEqual({
      enabled: true,
      cron: "0 10 * * *",
      escalateAfterDays: 3,
      workingDays: ["mon", "tue", "wed", "thu", "fri"],
    });
  });

  it("are documented in the example with the defaults", () => {
    const example = readFileSync(join(import.meta.dirname, "../../kpi.config.example.yaml"), "utf8");
    expect(parseConfig(example, "kpi.config.example.yaml").ratings).toEqual(
      parseConfig(DEFAULT_CONFIG_TEXT, "built-in").ratings,
    );
  });

  it("name a bad value by its path", () => {
    expect(problems("ratings: { escalateAfterDays: -1 }")).toEqual([
      expect.stringMatching(/^ratings\.escalateAfterDays: /),
    ]);
    expect(problems("ratings: { workingDays: [mon, friday] }")).toEqual([
      expect.stringMatching(/^ratings\.workingDays\.1: /),
    ]);
    expect(problems("ratings: { workingDays: [] }")).toEqual([
      "ratings.workingDays: name at least one working day",
    ]);
    expect(problems("ratings: { remindEvery: 2 }")).toEqual([
      expect.stringMatching(/^ratings: .*remindEvery/),
    ]);
  });

  it("schedule the rating requests once per team zone at the configured time, or not at all when off", () => {
    const config = parseConfig(`ratings: { cron: "30 9 * * *" }`, "test");
    const ratings = botSchedules(config, ["Asia/Shanghai", "Asia/Shanghai", "Asia/Tokyo"]).filter(
      (s) => s.job === "ratings",
    );
    expect(ratings).toEqual([
      expect.objectContaining({
        id: "ratings:Asia/Shanghai",
        cron: "30 9 * * *",
        timeZone: "Asia/Shanghai",
        catchUpDays: 1,
      }),
      expect.objectContaining({ id: "ratings:Asia/Tokyo", timeZone: "Asia/Tokyo" }),
    ]);
    const off = parseConfig("ratings: { enabled: false }", "test");
    expect(botSchedules(off, ["Asia/Shanghai"]).some((s) => s.job === "ratings")).toBe(false);
  });
});
