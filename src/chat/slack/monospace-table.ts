import type { ReplyBlock } from "../reply.ts";

/**
 * A table as lines of a monospace code block. Slack's code font draws CJK ideographs (and
 * full-width forms) two columns wide, so columns are padded by display width, not by length.
 */

type TableBlock = Extract<ReplyBlock, { kind: "table" }>;

// East Asian Wide and Fullwidth ranges (Unicode UAX #11) that agents' names and our labels use.
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], // Hangul Jamo
  [0x2e80, 0x303e], // CJK radicals, punctuation
  [0x3041, 0x33ff], // kana, CJK symbols
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe30, 0xfe4f], // CJK compatibility forms
  [0xff00, 0xff60], // full-width forms
  [0xffe0, 0xffe6], // full-width signs
  [0x1f300, 0x1f64f], // pictographs, emoticons
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd], // CJK extensions B and beyond
];

function codePointWidth(codePoint: number): number {
  if (codePoint < 0x1100) return codePoint < 0x20 ? 0 : 1;
  // Combining marks and zero-width joiners take no column of their own.
  if ((codePoint >= 0x300 && codePoint <= 0x36f) || codePoint === 0x200d || codePoint === 0xfe0f) return 0;
  for (const [low, high] of WIDE_RANGES) if (codePoint >= low && codePoint <= high) return 2;
  return 1;
}

/** How many monospace columns the text takes. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += codePointWidth(char.codePointAt(0)!);
  return width;
}

function pad(text: string, width: number, alignRight: boolean): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(text)));
  return alignRight ? fill + text : text + fill;
}

/** The head, a rule, then one line per row; numeric columns aligned right. */
export function tableLines(table: TableBlock): string[] {
  // Loops rather than Math.max(...rows): a table may have more rows than a call has arguments.
  const widths = table.head.map(displayWidth);
  for (const row of table.rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell));
    });
  const line = (cells: readonly string[]) =>
    widths
      .map((w, i) => pad(cells[i] ?? "", w, table.numeric?.[i] === true))
      .join("  ")
      .trimEnd();
  return [line(table.head), widths.map((w) => "-".repeat(w)).join("  "), ...table.rows.map(line)];
}
