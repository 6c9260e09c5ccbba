import type { TrendChart } from "./trend-chart.ts";

/** Draws a digest's trend chart as PNG bytes. */
export type ChartRenderer = (chart: TrendChart) => Uint8Array | Promise<Uint8Array>;

/**
 * The trend chart renderer, loaded on the first chart drawn: ECharts, resvg and the CJK font
 * cost the process tens of MB and over half a second, which a bot with no weekly or monthly
 * digest due (or a command that draws none) never needs.
 */
export function lazyChartRenderer(): ChartRenderer {
  let loading: Promise<(chart: TrendChart) => Uint8Array> | undefined;
  return async (chart) => {
    loading ??= import("./trend-chart.ts").then((module) => module.renderTrendChart);
    return (await loading)(chart);
  };
}
