import { NO_FIGURE, PENDING_MARKERS } from "./cell-words.ts";
import { detached } from "./detached.ts";
import { bad, EMPTY, ok, PENDING, type Reading } from "./reading.ts";
import type { TableCell } from "./table.ts";

export { plainNumber } from "./plain-number.ts";
export type { Reading } from "./reading.ts";

/**
 * How a cell of a platform export is read: "1,234", "85.23%", "1分30秒", "00:01:30",
 * "¥1,234.50", "-" (no figure) and Chitu's "延迟统计" (not final yet: the metric is pending).
 * The words themselves are tables in cell-words.ts; figure cells are read in figure-cells.ts.
 */

/** `minutes`: a duration whose bare number is in minutes (拼多多's 平均人工响应时长), read into seconds. */
export type FigureKind = "count" | "share" | "ratio" | "seconds" | "minutes" | "hours" | "money";
export type CellKind = "text" | "day" | FigureKind;

const noFigure = new Set(NO_FIGURE.map((m) => m.toUpperCase()));
const pending = new Set(PENDING_MARKERS);
// Most cells are figures: they skip the marker look-up by their length (upper-casing never
// shortens a text) or, as long as no marker starts with a digit, by their first character.
const markers = [...noFigure, ...pending];
const longestMarker = Math.max(...markers.map((m) => m.length));
const markerMayStartWithDigit = markers.some((m) => /^[0-9]/.test(m));

/** Printable ASCII without spaces: text that NFKC and the space removal leave as it is. */
function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f) return false;
  }
  return true;
}

/**
 * Printable ASCII and CJK unified ideographs (U+4E00–U+9FFF) only: neither has a compatibility
 * form or combines with another, so NFKC leaves them as they are ("旗舰店:客服01" does not need
 * ICU; "客服：小张" with its full-width colon does).
 */
function isPlainAsciiOrHan(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code <= 0x20 || code >= 0x7f) && (code < 0x4e00 || code > 0x9fff)) return false;
  }
  return true;
}

/** NFKC (full-width digits and ￥), no spaces, no zero-width marks. */
export function normalText(text: string): string {
  if (isPlainAsciiOrHan(text)) return text;
  return text.normalize("NFKC").replace(/[\s\u200b\ufeff]+/g, "");
}

/** The cell as the file shows it, for problem reports. */
export function shownValue(cell: TableCell | undefined): string {
  const value = cell?.value;
  if (value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  return String(value).trim();
}

/** "No figure" or "pending" when the cell says so; undefined when it holds something to read. */
export function markerReading(
  cell: TableCell | undefined,
  allowPending: boolean,
): Reading<never> | undefined {
  const value = cell?.value;
  if (value === undefined) return EMPTY;
  if (typeof value !== "string") return undefined;
  return markerOfText(normalText(value), allowPending);
}

/** markerReading of a text cell's normalText. */
export function markerOfText(text: string, allowPending: boolean): Reading<never> | undefined {
  if (text === "") return EMPTY;
  if (text.length > longestMarker) return undefined;
  const first = text.charCodeAt(0);
  if (first >= 0x30 && first <= 0x39 && !markerMayStartWithDigit) return undefined;
  if (noFigure.has(text.toUpperCase())) return EMPTY;
  if (allowPending && pending.has(text)) return PENDING;
  return undefined;
}

export function readText(cell: TableCell | undefined): Reading<string> {
  const early = markerReading(cell, false);
  if (early) return early;
  return ok(shownValue(cell));
}

/** Excel's day zero: day serials count from it, and a time cell is a Date on it. */
export const EXCEL_DAY_ZERO = Date.UTC(1899, 11, 30);
const MS_PER_DAY = 86_400_000;

function isoDay(year: number, month: number, date: number): string | undefined {
  const d = new Date(Date.UTC(year, month - 1, date));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== date)
    return undefined;
  return d.toISOString().slice(0, 10);
}

/** "2026-11-22", "2026/11/22", "2026年11月22日", "20261122", a date cell or an Excel day serial. */
export function readDay(cell: TableCell | undefined): Reading<string> {
  const early = markerReading(cell, false);
  if (early) return early;
  const value = cell!.value;
  const reason = "is not a day (YYYY-MM-DD)";
  if (value instanceof Date) return ok(value.toISOString().slice(0, 10));
  if (typeof value === "number") {
    if (value >= 19000101 && value <= 29991231 && Number.isInteger(value))
      return readDay({ value: String(value) });
    if (value >= 20_000 && value <= 80_000 && Number.isInteger(value))
      return ok(new Date(EXCEL_DAY_ZERO + value * MS_PER_DAY).toISOString().slice(0, 10));
    return bad(reason);
  }
  const day = dayWritten(String(value));
  return day ? ok(day) : bad(reason);
}

/** Days already read: an export repeats a month's days or fewer over thousands of rows. */
const knownDays = new Map<string, string>();

function dayWritten(written: string): string | undefined {
  const known = knownDays.get(written);
  if (known !== undefined) return known;
  const text = isPlainAscii(written) ? written : written.normalize("NFKC").trim();
  const match =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(text) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  const day = match ? isoDay(Number(match[1]), Number(match[2]), Number(match[3])) : undefined;
  if (day === undefined) return undefined;
  if (knownDays.size >= 1000) knownDays.clear();
  knownDays.set(detached(written), day);
  return day;
}
