import { describe, expect, it } from "vitest";
import { renderTrendChart, renderTrendPixels, type TrendChart } from "../../src/digest/trend-chart.ts";

const week = ["11-17", "11-18", "11-19", "11-20", "11-21", "11-22", "11-23"];
const teamWeek: TrendChart = {
  title: "精英组 第47周",
  labels: week,
  series: [
    { label: "平均分", unit: "score", values: [92.4, 94.1, 91.3, 93, 96.2, 97.05, 95.5] },
    { label: "30秒应答率", unit: "percent", values: [0.81, 0.853, 0.82, 0.9, 0.884, 0.912, 0.9] },
    { label: "首次响应时间", unit: "seconds", values: [28, 25, 31, 22, 20, 19, 21] },
  ],
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which must come first, right after the signature. */
function ihdr(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(Buffer.from(png.subarray(12, 16)).toString("latin1")).toBe("IHDR");
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** How many pixels of the rectangle are not white. */
function inkIn(
  image: { width: number; pixels: Uint8Array },
  box: { left: number; top: number; right: number; bottom: number },
): number {
  let ink = 0;
  for (let y = box.top; y < box.bottom; y++) {
    for (let x = box.left; x < box.right; x++) {
      const at = (y * image.width + x) * 4;
      if (image.pixels[at]! < 200 || image.pixels[at + 1]! < 200 || image.pixels[at + 2]! < 200) ink++;
    }
  }
  return ink;
}

// The title's corner of the picture (the title is drawn at 16, 12 in 17 px type).
const TITLE_AREA = { left: 0, top: 0, right: 400, bottom: 40 };

describe("a digest's trend chart", () => {
  it("is a PNG of 800 × 400 pixels", () => {
    const png = renderTrendChart(teamWeek);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(ihdr(png)).toEqual({ width: 800, height: 400 });
  });

  it("draws other figures as other pictures", () => {
    const worse = {
      ...teamWeek,
      series: teamWeek.series.map((s) =>
        s.unit === "score" ? { ...s, values: s.values.map((v) => v! - 8) } : s,
      ),
    };
    expect(Buffer.from(renderTrendChart(worse)).equals(Buffer.from(renderTrendChart(teamWeek)))).toBe(false);
  });

  it("draws the same chart to the same bytes", () => {
    expect(Buffer.from(renderTrendChart(teamWeek)).equals(Buffer.from(renderTrendChart(teamWeek)))).toBe(
      true,
    );
  });

  it("writes a Chinese title in Chinese glyphs, with no CJK font installed on the machine", () => {
    const titled = renderTrendPixels({ ...teamWeek, title: "精英组周趋势" });
    const untitled = renderTrendPixels({ ...teamWeek, title: "" });
    expect(inkIn(untitled, TITLE_AREA)).toBe(0);
    // Six 17 px characters: a missing font would draw nothing (resvg draws no boxes).
    expect(inkIn(titled, TITLE_AREA)).toBeGreaterThan(300);
  });

  it("writes Chinese legend labels", () => {
    const legendArea = { left: 0, top: 40, right: 800, bottom: 64 };
    const chinese = renderTrendPixels(teamWeek);
    const unlabelled = renderTrendPixels({
      ...teamWeek,
      series: teamWeek.series.map((s) => ({ ...s, label: "" })),
    });
    expect(inkIn(chinese, legendArea)).toBeGreaterThan(inkIn(unlabelled, legendArea) + 300);
  });

  it("leaves a gap for a day without a figure and draws a series of one point", () => {
    const gappy: TrendChart = {
      title: "小张 本周",
      labels: week,
      series: [
        { label: "平均分", unit: "score", values: [null, 90, null, null, 95, 96, null] },
        { label: "转化率", unit: "percent", values: [null, null, null, 0.2, null, null, null] },
        { label: "无数据", unit: "seconds", values: [null, null, null, null, null, null, null] },
      ],
    };
    expect(ihdr(renderTrendChart(gappy))).toEqual({ width: 800, height: 400 });
    const onePoint: TrendChart = {
      title: "",
      labels: ["11-17"],
      series: [{ label: "平均分", unit: "score", values: [93] }],
    };
    const image = renderTrendPixels(onePoint);
    // The point's dot sits in the middle of the one category, in the series' blue.
    const plot = { left: 380, top: 96, right: 420, bottom: 364 };
    expect(blueIn(image, plot)).toBeGreaterThan(20);
  });

  it("draws nothing for no series and no days, without failing", () => {
    expect(ihdr(renderTrendChart({ title: "空", labels: [], series: [] }))).toEqual({
      width: 800,
      height: 400,
    });
  });
});

/** Pixels of the first series' colour (#2f6fdf), give or take anti-aliasing. */
function blueIn(
  image: { width: number; pixels: Uint8Array },
  box: { left: number; top: number; right: number; bottom: number },
): number {
  let blue = 0;
  for (let y = box.top; y < box.bottom; y++) {
    for (let x = box.left; x < box.right; x++) {
      const at = (y * image.width + x) * 4;
      const [r, g, b] = [image.pixels[at]!, image.pixels[at + 1]!, image.pixels[at + 2]!];
      if (b > 180 && r < 90 && g > 80 && g < 140) blue++;
    }
  }
  return blue;
}
