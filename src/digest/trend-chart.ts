import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { LineChart, type LineSeriesOption } from "echarts/charts";
import { GridComponent, LegendComponent, TitleComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

/**
 * A digest's trend chart as PNG, without a browser: ECharts lays the chart out as SVG (its
 * server-side renderer), resvg rasterises it with the Noto Sans CJK font of the
 * @embedpdf/fonts-sc package, so Chinese labels render on a machine with no CJK font installed.
 *
 * One render takes 135–160 ms on the 2-core dev machine when it is otherwise idle, 200–280 ms
 * while other tests run (a week's and a month's chart of three series, five renders each):
 * ECharts' layout 11–30 ms, PNG encoding ~6 ms, the rest resvg, nearly all of it text — it
 * shapes each of the ~40 labels against the 8 MB CJK font. It runs on the calling thread.
 * Importing ECharts costs about 0.6 s, once.
 */

export interface TrendSeries {
  label: string;
  /** one value per x label, null where there is none */
  values: (number | null)[];
  /** "score" (0–120) or "percent" (fraction 0–1, shown as %) or "seconds" */
  unit: "score" | "percent" | "seconds";
}
export interface TrendChart {
  title: string;
  /** x labels, e.g. "11-17" */
  labels: string[];
  series: TrendSeries[];
}

type Unit = TrendSeries["unit"];

echarts.use([LineChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

const WIDTH = 800;
const HEIGHT = 400;
/** The family name inside NotoSansHans-Regular.otf (its `name` table). */
const FONT_FAMILY = "Noto Sans S Chinese";
const PALETTE = ["#2f6fdf", "#f08c00", "#2b9e5a", "#d6336c", "#7048e8"];

/**
 * Each unit's axis: its name, its labels, the least span it shows and its bounds. A minimum span
 * keeps a week of scores between 116 and 120 from looking like a collapse, while a narrow band
 * of 88–96 is still zoomed in on instead of drawn flat on 0–120.
 */
const AXIS_OF_UNIT: Record<
  Unit,
  { name: string; label: (value: number) => string; minSpan: number; floor: number; ceil: number }
> = {
  score: { name: "分", label: (v) => String(v), minSpan: 20, floor: 0, ceil: 120 },
  percent: { name: "%", label: (v) => `${v}%`, minSpan: 20, floor: 0, ceil: 100 },
  seconds: { name: "秒", label: (v) => `${v}s`, minSpan: 10, floor: 0, ceil: Number.POSITIVE_INFINITY },
};
const UNIT_ORDER: Unit[] = ["score", "percent", "seconds"];

let fontFile: string | undefined;

/**
 * The bundled font's path, looked up once. resvg-js 2.6 takes font files by path only (no
 * buffers), so each render reads the file again, from the OS page cache after the first.
 */
function bundledFont(): string {
  if (fontFile !== undefined) return fontFile;
  // The package exports only its metadata module; the fonts sit in ../fonts beside dist/.
  const entry = createRequire(import.meta.url).resolve("@embedpdf/fonts-sc");
  const path = join(dirname(entry), "..", "fonts", "NotoSansHans-Regular.otf");
  // Without it resvg silently draws no text at all: fail loudly instead.
  statSync(path);
  fontFile = path;
  return path;
}

/** PNG bytes. Pure apart from CPU: no I/O beyond reading the bundled font. */
export function renderTrendChart(chart: TrendChart): Uint8Array {
  return rasterise(chart).asPng();
}

/** The raw RGBA pixels (row by row, 4 bytes a pixel), for tests that look inside the picture. */
export function renderTrendPixels(chart: TrendChart): { width: number; height: number; pixels: Uint8Array } {
  const image = rasterise(chart);
  return { width: image.width, height: image.height, pixels: image.pixels };
}

function rasterise(chart: TrendChart) {
  const resvg = new Resvg(trendSvg(chart), {
    font: {
      fontFiles: [bundledFont()],
      // Only the bundled font: the picture is the same on every machine, and no time goes on
      // scanning system fonts.
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    background: "#ffffff",
    logLevel: "error",
  });
  return resvg.render();
}

/** The chart as SVG text, laid out by ECharts' server-side renderer. */
function trendSvg(chart: TrendChart): string {
  const instance = echarts.init(null, null, { renderer: "svg", ssr: true, width: WIDTH, height: HEIGHT });
  try {
    instance.setOption(optionOf(chart));
    return instance.renderToSVGString();
  } finally {
    instance.dispose();
  }
}

/**
 * One y axis per unit, in the order score, percent, seconds: the first on the left, the second
 * on the right. A third unit gets a third axis, further right, rather than being normalised
 * onto another's scale (e.g. seconds as a share of the period's worst): a reader can then still
 * read "28s" off the chart, which a normalised line would hide.
 */
function optionOf(chart: TrendChart) {
  const plotted = chart.series.map((s) => ({ ...s, values: s.values.map((v) => plottedValue(s.unit, v)) }));
  // A unit gets an axis only when some series of it has a figure: no empty axis for "no data".
  const units = UNIT_ORDER.filter((unit) => plotted.some((s) => s.unit === unit && s.values.some(isFigure)));
  if (units.length === 0) units.push("score");
  const yAxis = units.map((unit, i) => ({
    type: "value" as const,
    name: AXIS_OF_UNIT[unit].name,
    position: i === 0 ? ("left" as const) : ("right" as const),
    offset: i === 2 ? 52 : 0,
    ...axisRange(
      unit,
      plotted.filter((s) => s.unit === unit).flatMap((s) => s.values.filter(isFigure)),
    ),
    splitLine: { show: i === 0, lineStyle: { color: "#e9ecef" } },
    axisLine: { show: units.length > 1, lineStyle: { color: "#adb5bd" } },
    axisLabel: { formatter: AXIS_OF_UNIT[unit].label, color: "#495057", fontSize: 12 },
    nameTextStyle: { color: "#495057", fontSize: 12 },
  }));
  const fewPoints = chart.labels.length <= 10;
  const series: LineSeriesOption[] = plotted.map((s, i) => ({
    type: "line",
    name: s.label,
    yAxisIndex: Math.max(0, units.indexOf(s.unit)),
    data: s.values,
    // A day without a figure is a gap, not a line drawn through it.
    connectNulls: false,
    // Every point gets its dot, so a series of one point still shows.
    showSymbol: true,
    symbol: "circle",
    symbolSize: s.unit === "score" ? 7 : 5,
    lineStyle: { width: s.unit === "score" ? 3 : 2 },
    color: PALETTE[i % PALETTE.length]!,
    z: s.unit === "score" ? 3 : 2,
    // The team's score is what readers look for: its values written on a short period's points.
    label: {
      show: s.unit === "score" && fewPoints,
      position: "top",
      fontSize: 11,
      color: "#343a40",
      // A halo keeps the figure readable where another line crosses it.
      textBorderColor: "#ffffff",
      textBorderWidth: 3,
      formatter: ({ value }: { value: unknown }) =>
        typeof value === "number" ? String(round(value, 1)) : "",
    },
  }));
  return {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily: "sans-serif" },
    title: {
      text: chart.title,
      left: 16,
      top: 12,
      textStyle: { fontSize: 17, fontWeight: "bold" as const, color: "#212529" },
    },
    legend: {
      top: 44,
      left: 16,
      icon: "roundRect",
      itemWidth: 16,
      itemHeight: 8,
      textStyle: { fontSize: 13, color: "#343a40" },
    },
    grid: { top: 96, left: 56, right: units.length > 2 ? 112 : 60, bottom: 36 },
    xAxis: {
      type: "category" as const,
      data: chart.labels,
      axisLine: { lineStyle: { color: "#adb5bd" } },
      axisTick: { alignWithLabel: true },
      axisLabel: { color: "#495057", fontSize: 12 },
    },
    yAxis,
    series,
  };
}

const isFigure = (value: number | null): value is number => value !== null && Number.isFinite(value);

/** Percent series in percentage points (0.873 → 87.3), so the axis picks ticks like 85%, 90%. */
const plottedValue = (unit: Unit, value: number | null): number | null =>
  value === null || !Number.isFinite(value) ? null : unit === "percent" ? round(value * 100, 1) : value;

/** The axis's bounds: the figures' range, widened to the unit's least span, on round numbers. */
function axisRange(unit: Unit, figures: number[]): { min?: number; max?: number } {
  if (figures.length === 0) return {};
  const { minSpan, floor, ceil } = AXIS_OF_UNIT[unit];
  const low = Math.min(...figures);
  const high = Math.max(...figures);
  const span = Math.max(high - low, minSpan) * 1.1;
  const centre = (low + high) / 2;
  let min = centre - span / 2;
  let max = centre + span / 2;
  // Shifted, not cut, at a bound: scores of 116–120 show on 100–120, not on 108–128.
  if (max > ceil) [min, max] = [min - (max - ceil), ceil];
  if (min < floor) [min, max] = [floor, max + (floor - min)];
  // Bounds on the step ECharts will pick for the ticks, so the lowest label is not an odd one out.
  const step = max - min <= 30 ? 5 : max - min <= 60 ? 10 : 20;
  // A figure beyond the unit's bounds (bad data) still shows.
  return {
    min: Math.floor(Math.min(min, low) / step) * step,
    max: Math.ceil(Math.max(max, high) / step) * step,
  };
}

const round = (value: number, digits: number): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};
