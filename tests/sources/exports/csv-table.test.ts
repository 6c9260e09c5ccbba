import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInput } from "../../../src/engine/index.ts";
import { readTable } from "../../../src/sources/exports/index.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);
/** Each row as its line followed by its cells. */
const rowsOf = async (text: string) =>
  (await readTable(utf8(text), "export.csv")).rows.map((row) => [row.line, ...row.cells.map((c) => c.value)]);

describe("CSV text as rows", () => {
  it("gives every row the line it starts on, with a one-cell title line above a wider header", async () => {
    expect(await rowsOf("赤兔名品 客服绩效\n客服昵称,接待人数\n小张,10\n\n小李,12\n")).toEqual([
      [1, "赤兔名品 客服绩效"],
      [2, "客服昵称", "接待人数"],
      [3, "小张", "10"],
      [4, ""],
      [5, "小李", "12"],
    ]);
  });

  it("counts a line break inside a quoted cell once, whether LF, CRLF or CR", async () => {
    expect(await rowsOf('a,b\r\n1,"x\r\ny"\r\n2,"x\ny\rz"\r\n3,4\r\n')).toEqual([
      [1, "a", "b"],
      [2, "1", "x\r\ny"],
      [4, "2", "x\ny\rz"],
      [7, "3", "4"],
    ]);
  });

  it("reads doubled quotes, and a quote that does not open a cell, as they stand", async () => {
    expect(await rowsOf('a,b\n"say ""hi""",5"\n"VIP"客户,"x"y\n')).toEqual([
      [1, "a", "b"],
      [2, 'say "hi"', '5"'],
      [3, '"VIP"客户', '"x"y'],
    ]);
  });

  it("reads CR-only text, tab-separated text with quoted tabs, and a column without delimiters", async () => {
    expect(await rowsOf("a,b\r1,2\r")).toEqual([
      [1, "a", "b"],
      [2, "1", "2"],
    ]);
    expect(await rowsOf('客服昵称\t备注\n小张\t"a\tb"\n')).toEqual([
      [1, "客服昵称", "备注"],
      [2, "小张", "a\tb"],
    ]);
    expect(await rowsOf("客服昵称\n小张\n小李")).toEqual([
      [1, "客服昵称"],
      [2, "小张"],
      [3, "小李"],
    ]);
  });

  it("gives back any table written as RFC 4180, each row on its line, however often its cells are read", async () => {
    const cell = fc.stringMatching(/^[a-z1,"\n客 ]{0,6}(\r\n[a-z]{0,2})?$/);
    const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(table, fc.constantFrom("\n", "\r\n"), async (rows, lineBreak) => {
        const quoted = (c: string) => (/[",\r\n]|^$/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
        const text = rows.map((row) => row.map(quoted).join(",") + lineBreak).join("");
        const table = await readTable(utf8(text), "export.csv");
        let line = 1;
        for (const [i, row] of rows.entries()) {
          expect(table.rows[i]!.line).toBe(line);
          expect(table.rows[i]!.cells.map((c) => c.value)).toEqual(row);
          expect(table.rows[i]!.cells.map((c) => c.value)).toEqual(row);
          line += 1 + row.join("").split(/\r\n|\n/).length - 1;
        }
        expect(table.rows).toHaveLength(rows.length);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses a quoted cell that is never closed", async () => {
    const error = await readTable(utf8('客服昵称,接待人数\n小张,"10\n小李,12\n'), "export.csv").catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as InvalidInput).message).toMatch(/^export\.csv: is not readable as CSV: Quote Not Closed/);
  });
});
