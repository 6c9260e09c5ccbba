import { renderTrendChart, type TrendChart } from "./trend-chart.ts";

/**
 * The trend chart renderer in a process of its own, which chart-renderer.ts starts and ends:
 * what ECharts, resvg and the font take is given back to the system when it ends, which a worker
 * thread's would not all be (the C heap keeps the arenas of ended threads).
 */

export interface ChartRequest {
  id: number;
  chart: TrendChart;
}
export type ChartAnswer = { id: number; png: Uint8Array } | { id: number; error: string };

const send = process.send?.bind(process);
if (!send) throw new Error("chart-worker runs as a child process with an IPC channel");
process.on("message", ({ id, chart }: ChartRequest) => {
  let answer: ChartAnswer;
  try {
    answer = { id, png: renderTrendChart(chart) };
  } catch (error) {
    answer = { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  send(answer);
});
