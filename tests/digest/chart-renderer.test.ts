import { describe, expect, it } from "vitest";
import { chartWorkerRenderer, lazyChartRenderer } from "../../src/digest/chart-renderer.ts";
import { renderTrendChart, type TrendChart } from "../../src/digest/trend-chart.ts";

const week: TrendChart = {
  title: "售前组 · 2026-W49",
  labels: ["11-30", "12-01", "12-02"],
  series: [{ label: "首次响应时间", values: [24, null, 31], unit: "seconds" }],
};

describe("the trend chart drawn outside the bot's own thread", () => {
  it("draws in its child process the same PNG as drawn in-process, again after the process ended", async () => {
    const inProcess = renderTrendChart(week);
    const renderer = chartWorkerRenderer();
    try {
      renderer.warm();
      expect(Buffer.from(await renderer(week)).equals(Buffer.from(inProcess))).toBe(true);
      await renderer.release();
      // The next chart starts another process.
      expect(Buffer.from(await renderer(week)).equals(Buffer.from(inProcess))).toBe(true);
    } finally {
      await renderer.close();
    }
  }, 60_000);

  it("loads the renderer on the first chart for a one-off command", async () => {
    const png = await lazyChartRenderer()(week);
    expect(Buffer.from(png).equals(Buffer.from(renderTrendChart(week)))).toBe(true);
  }, 60_000);
});
