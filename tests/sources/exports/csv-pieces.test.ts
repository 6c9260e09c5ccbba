import { isUtf8 } from "node:buffer";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInput } from "../../../src/engine/index.ts";
import { CsvRowScanner, lineBreakOf } from "../../../src/sources/exports/csv-rows.ts";
import { bytesInMemory } from "../../../src/sources/exports/index.ts";
import { readCsvRows } from "../../../src/sources/exports/table-csv.ts";
import { Utf8Check } from "../../../src/sources/text-file.ts";

/** Each row as its line followed by its cells, the file decoded `piece` bytes at a time. */
async function rowsInPieces(bytes: Uint8Array, piece?: number): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const row of readCsvRows(bytesInMemory(bytes), "export.csv", piece))
    rows.push([row.line, ...row.cells.map((cell) => cell.value)]);
  return rows;
}

/**
 * The rows of the whole text at once: RFC 4180 rows while they are, and from the first row with a
 * misplaced quote on, csv-parse's relaxed reading of the rest of the text.
 */
function rowsOfWholeText(text: string): unknown[][] {
  const lineBreak = lineBreakOf(text, ",", true)!;
  const found = new CsvRowScanner(",", lineBreak).scan(text, true);
  const rows = found.rows.map((row) => [row.line, ...row.cells.map((cell) => cell.value)]);
  if (!found.malformed) return rows;
  const records = parse(text.slice(found.rest), {
    record_delimiter: lineBreak,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  let lastLine = found.restLine - 1;
  for (const { record, info } of records) {
    rows.push([lastLine + 1, ...record]);
    lastLine = found.restLine - 1 + info.lines;
  }
  return rows;
}

const outcome = async (work: () => Promise<unknown[][]> | unknown[][]) => {
  try {
    return await work();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return "refused";
  }
};

describe("CSV read a piece at a time", () => {
  it("finds the rows of the whole text whatever pieces the bytes arrive in, misplaced quotes too", async () => {
    // One kind of line break a text: csv-parse counts a CR inside a cell of an LF file as a line.
    const text = fc
      .tuple(
        fc.array(fc.stringMatching(/^[a-z客,"\n ]{0,12}$/), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
      )
      .map(([lines, crlf]) =>
        (crlf ? lines.map((line) => line.replaceAll("\n", "\r\n")) : lines).join(crlf ? "\r\n" : "\n"),
      );
    await fc.assert(
      fc.asyncProperty(text, fc.integer({ min: 1, max: 9 }), async (text, piece) => {
        const bytes = new TextEncoder().encode(text);
        const whole = await outcome(() => rowsOfWholeText(text));
        expect(await outcome(() => rowsInPieces(bytes, piece))).toEqual(whole);
      }),
      { numRuns: 3000 },
    );
  });

  it("reads GBK and UTF-16 files cut anywhere, a character's bytes split between two pieces", async () => {
    const fixtures = join(import.meta.dirname, "../../fixtures");
    for (const name of ["exports/chitu-gbk.csv", "exports/jd-gbk.csv", "seed-example-utf16.txt"]) {
      const bytes = readFileSync(join(fixtures, name));
      const whole = await rowsInPieces(bytes);
      expect(whole.length).toBeGreaterThan(1);
      for (const piece of [1, 2, 3, 5, 64]) expect(await rowsInPieces(bytes, piece)).toEqual(whole);
    }
  });

  it("says on which line of the file a quoted cell is never closed, when read in pieces", async () => {
    const text = `客服昵称,接待人数\n${"小张,10\n".repeat(50)}小李,"12\n小王,13\n`;
    const error = await rowsInPieces(new TextEncoder().encode(text), 16).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as InvalidInput).message).toMatch(
      /^export\.csv: is not readable as CSV: Quote Not Closed: .* at line 53$/,
    );
  });

  it("tells UTF-8 from not whatever pieces the bytes arrive in", () => {
    const bytes = fc.oneof(
      fc.string({ unit: "grapheme" }).map((s) => new TextEncoder().encode(s)),
      fc.uint8Array({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(bytes, fc.array(fc.nat({ max: 20 }), { maxLength: 4 }), (bytes, cuts) => {
        const check = new Utf8Check();
        let from = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          check.add(bytes.subarray(from, Math.max(from, cut)));
          from = Math.max(from, cut);
        }
        check.add(bytes.subarray(from));
        expect(check.end()).toBe(isUtf8(bytes));
      }),
      { numRuns: 5000 },
    );
  });
});
