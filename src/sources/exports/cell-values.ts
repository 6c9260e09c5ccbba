import { COUNT_SUFFIXES, MONEY_PREFIXES, MONEY_SUFFIXES, NO_FIGURE, PENDING_MARKERS } from "./cell-words.ts";
import { durationSeconds } from "./durations.ts";
import { plainNumber } from "./plain-number.ts";
import { quickTidy } from "./quick-tidy.ts";

export { plainNumber };

import type { TableCell } from "./table.ts";

/**
 * How a cell of a platform export is read: "1,234", "85.23%", "1分30秒", "00:01:30",
 * "¥1,234.50", "-" (no figure) and Chitu's "延迟统计" (not final yet: the metric is pending).
 * The words themselves are tables in cell-words.ts.
 */

export type FigureKind = "count" | "share" | "ratio" | "seconds" | "hours" | "money";
export type CellKind = "text" | "day" | FigureKind;

export type Reading<T> =
  | { state: "empty" }
  | { state: "pending" }
  | { state: "value"; value: T }
  | { state: "bad"; reason: string };

const EMPTY = { state: "empty" } as const;
const PENDING = { state: "pending" } as const;
const bad = (reason: string) => ({ state: "bad", reason }) as const;
const ok = <T>(value: T) => ({ state: "value", value }) as const;

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

/** NFKC (full-width digits and ￥), no spaces, no zero-width marks. */
export function normalText(text: string): string {
  if (isPlainAscii(text)) return text;
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
  return markerOf(normalText(value), allowPending);
}

/** markerReading of a text cell's normalText. */
function markerOf(text: string, allowPending: boolean): Reading<never> | undefined {
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

const DAY_ZERO = Date.UTC(1899, 11, 30);
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
      return ok(new Date(DAY_ZERO + value * MS_PER_DAY).toISOString().slice(0, 10));
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
  knownDays.set(written, day);
  return day;
}

const isTimeFormat = (format: string | undefined) =>
  format !== undefined && /[hms].*:|:.*[hms]/i.test(format);
const isPercentFormat = (format: string | undefined) => format?.includes("%") ?? false;

interface FigureReader {
  /** Completes "is not …". */
  what: string;
  /** A typed xlsx number, with the cell's number format. */
  fromNumber(value: number, format: string | undefined): number | undefined;
  fromText(text: string): number | undefined;
  /** Largest sensible value, with the reason when over it. */
  max?: [number, string];
}

/** Unit words with their factor, longest first ("万元" before "元"). */
type Suffixes = readonly (readonly [word: string, factor: number])[];

const longestFirst = (suffixes: Readonly<Record<string, number>>): Suffixes =>
  Object.entries(suffixes)
    .filter(([word]) => word !== "")
    .sort((a, b) => b[0].length - a[0].length);

const moneySuffixes = longestFirst(MONEY_SUFFIXES);

function withSuffixes(text: string, suffixes: Suffixes): number | undefined {
  for (const [word, factor] of suffixes) {
    if (text.endsWith(word)) {
      const n = plainNumber(text.slice(0, -word.length));
      return n === undefined ? undefined : n * factor;
    }
  }
  return plainNumber(text);
}

function percentReader(max?: [number, string]): FigureReader {
  return {
    what: "a percentage",
    // A bare number is in percent, as people write it (85.23 is 85.23%), unless Excel formats
    // the cell as a percentage, which stores the fraction.
    fromNumber: (value, format) => (isPercentFormat(format) ? value : value / 100),
    fromText: (text) => {
      const n = plainNumber(text.endsWith("%") ? text.slice(0, -1) : text);
      return n === undefined ? undefined : n / 100;
    },
    ...(max ? { max } : {}),
  };
}

const SECONDS_PER_DAY = 86_400;

export const FIGURE_READERS: Readonly<Record<FigureKind, FigureReader>> = {
  count: {
    what: "a count",
    // A formula's 120.00000000000001 is still 120.
    fromNumber: (value) => {
      const n = Number.parseFloat(value.toPrecision(12));
      return Number.isInteger(n) ? n : undefined;
    },
    fromText: (text) => {
      // A plain number ends in no unit word, so look for one only when it is not.
      let n = plainNumber(text);
      if (n === undefined) {
        const word = COUNT_SUFFIXES.find((suffix) => text.endsWith(suffix));
        if (word) n = plainNumber(text.slice(0, -word.length));
      }
      return n !== undefined && Number.isInteger(n) ? n : undefined;
    },
  },
  share: percentReader([1, "is more than 100%"]),
  ratio: percentReader(),
  seconds: {
    what: "a duration",
    fromNumber: (value, format) => (isTimeFormat(format) ? value * SECONDS_PER_DAY : value),
    fromText: (text) => plainNumber(text) ?? durationSeconds(text, "mm:ss"),
  },
  hours: {
    what: "a number of hours",
    fromNumber: (value, format) => (isTimeFormat(format) ? value * 24 : value),
    fromText: (text) => {
      const hours = plainNumber(text);
      if (hours !== undefined) return hours;
      const seconds = durationSeconds(text, "hh:mm");
      return seconds === undefined ? undefined : seconds / 3600;
    },
  },
  money: {
    what: "an amount of money",
    fromNumber: (value) => value,
    fromText: (text) => {
      // Neither currency marks nor unit words are part of a plain number.
      const plain = plainNumber(text);
      if (plain !== undefined) return plain;
      const upper = text.toUpperCase();
      const prefix = MONEY_PREFIXES.find((p) => upper.startsWith(p));
      return withSuffixes(prefix ? text.slice(prefix.length) : text, moneySuffixes);
    },
  },
};

/** Reads a figure cell; Date cells are Excel times (a duration on day zero). */
export function readFigure(cell: TableCell | undefined, kind: FigureKind): Reading<number> {
  const value = cell?.value;
  if (value === undefined) return EMPTY;
  const reader = FIGURE_READERS[kind];
  let n: number | undefined;
  if (typeof value === "string") {
    const text = normalText(value);
    const marker = markerOf(text, true);
    if (marker) return marker;
    n = reader.fromText(text);
  } else if (typeof value === "number")
    n = Number.isFinite(value) ? reader.fromNumber(value, cell!.format) : undefined;
  else if (value instanceof Date && (kind === "seconds" || kind === "hours")) {
    const seconds = (value.getTime() - DAY_ZERO) / 1000;
    if (seconds >= 0 && seconds < 366 * SECONDS_PER_DAY) n = kind === "seconds" ? seconds : seconds / 3600;
  }
  if (n === undefined) return bad(`is not ${reader.what}`);
  if (n < 0) return bad("cannot be negative");
  const tidy = quickTidy(n);
  if (reader.max && tidy > reader.max[0]) return bad(reader.max[1]);
  return ok(tidy);
}
