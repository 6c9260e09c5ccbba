import { describe, expect, it } from "vitest";
import { renderConsole } from "../../../src/chat/console/render.ts";
import { CHART_ALT, chartPng, weeklyDigest } from "../chart-reply.ts";

describe("a digest with its trend chart on the console", () => {
  it("shows the chart as its alt text and size, between the text and the note, as before", () => {
    const kb = Math.round(chartPng().length / 1024);
    expect(renderConsole(weeklyDigest()).split("\n")).toEqual([
      "精英组 周报 11-17 ~ 11-23",
      "平均分 95.5（上周 93.0），B 级 8 人",
      `[${CHART_ALT}] (PNG, ${kb} KB)`,
      "→ 数据截至 11-23",
    ]);
  });
});
