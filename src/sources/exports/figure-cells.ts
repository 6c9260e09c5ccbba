import { EXCEL_DAY_ZERO, type FigureKind, markerOfText, normalText } from "./cell-values.ts";
import { COUNT_SUFFIXES, MONEY_PREFIXES, MONEY_SUFFIXES } from "./cell-words.ts";
import { durationSeconds } from "./durations.ts";
import { plainNumber } from "./plain-number.ts";
import { quickTidy } from "./quick-tidy.ts";
import { bad, EMPTY, ok, type Reading } from "./reading.ts";
import type { TableCell } from "./table.ts";

/**
 * Figure cells: counts ("12人"), percentages ("85.23%"), durations ("1分30秒", "00:01:30"),
 * hours and money ("¥1,234.50", "1.2万"), as text or as typed xlsx cells with their format.
 */

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
  minutes: {
    what: "a duration",
    // A bare number is minutes (0.37 is 22.2 s); a written duration or a clock time reads as written.
    fromNumber: (value, format) => (isTimeFormat(format) ? value * SECONDS_PER_DAY : value * 60),
    fromText: (text) => {
      const minutes = plainNumber(text);
      return minutes !== undefined ? minutes * 60 : durationSeconds(text, "mm:ss");
    },
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
  const figure = figureOf(cell, kind);
  return typeof figure === "number" ? ok(figure) : figure;
}

/**
 * readFigure's figure as a plain number, else its reading (empty, pending or bad): a month of
 * exports reads millions of figures, each one a reading object less.
 */
export function figureOf(cell: TableCell | undefined, kind: FigureKind): number | Reading<never> {
  const value = cell?.value;
  if (value === undefined) return EMPTY;
  const reader = FIGURE_READERS[kind];
  let n: number | undefined;
  if (typeof value === "string") {
    const text = normalText(value);
    const marker = markerOfText(text, true);
    if (marker) return marker;
    n = reader.fromText(text);
  } else if (typeof value === "number")
    n = Number.isFinite(value) ? reader.fromNumber(value, cell!.format) : undefined;
  else if (value instanceof Date && (kind === "seconds" || kind === "minutes" || kind === "hours")) {
    const seconds = (value.getTime() - EXCEL_DAY_ZERO) / 1000;
    if (seconds >= 0 && seconds < 366 * SECONDS_PER_DAY) n = kind === "hours" ? seconds / 3600 : seconds;
  }
  if (n === undefined) return bad(`is not ${reader.what}`);
  if (n < 0) return bad("cannot be negative");
  const tidy = quickTidy(n);
  if (reader.max && tidy > reader.max[0]) return bad(reader.max[1]);
  return tidy;
}
