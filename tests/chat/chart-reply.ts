import type { Reply } from "../../src/chat/reply.ts";
import { renderTrendChart } from "../../src/digest/trend-chart.ts";

/**
 * A weekly digest with its trend chart, as the adapters get it: text, the chart (a real PNG from
 * the renderer, base64 in the Reply), a note. Rendered once per test file.
 */

let png: Uint8Array | undefined;

export function chartPng(): Uint8Array {
  png ??= renderTrendChart({
    title: "精英组 第47周",
    labels: ["11-17", "11-18", "11-19", "11-20", "11-21", "11-22", "11-23"],
    series: [
      { label: "平均分", unit: "score", values: [92.4, 94.1, 91.3, 93, 96.2, 97.05, 95.5] },
      { label: "30秒应答率", unit: "percent", values: [0.81, 0.853, 0.82, 0.9, 0.884, 0.912, 0.9] },
    ],
  });
  return png;
}

export const CHART_ALT = "精英组第47周趋势：平均分 92.4 → 95.5";

export function weeklyDigest(): Reply {
  return {
    title: "精英组 周报 11-17 ~ 11-23",
    blocks: [
      { kind: "text", text: "平均分 95.5（上周 93.0），B 级 8 人" },
      { kind: "image", pngBase64: Buffer.from(chartPng()).toString("base64"), alt: CHART_ALT },
      { kind: "note", text: "数据截至 11-23" },
    ],
  };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The bytes are the chart: PNG's signature, and the very bytes the renderer made. */
export function isTheChart(bytes: Uint8Array | undefined): boolean {
  if (bytes === undefined) return false;
  return (
    Buffer.from(bytes.subarray(0, 8)).equals(PNG_SIGNATURE) &&
    Buffer.from(bytes).equals(Buffer.from(chartPng()))
  );
}
