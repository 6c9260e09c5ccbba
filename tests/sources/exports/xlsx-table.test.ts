import { randomBytes } from "node:crypto";
import ExcelJS from "exceljs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deflatedPart, zipBomb, zipOf } from "../../../bench/import/zip-bomb.ts";
import { InvalidInput } from "../../../src/engine/index.ts";
import { parseExport, readTable, ZIP_LIMITS } from "../../../src/sources/exports/index.ts";

/** The rows as ExcelJS's whole-workbook reader gives them: how xlsx was read before it streamed. */
async function rowsByExcelJsLoad(bytes: Uint8Array): Promise<unknown[][]> {
  const plain = (value: ExcelJS.CellValue): unknown => {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== "object" || value instanceof Date) return value;
    if ("richText" in value) return value.richText.map((part) => part.text).join("");
    if ("formula" in value || "sharedFormula" in value) return plain(value.result ?? null);
    if ("error" in value) return value.error;
    if ("hyperlink" in value) return value.text;
    return undefined;
  };
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  const rows: unknown[][] = [];
  workbook.worksheets[0]!.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: unknown[] = [line];
    for (let c = 1; c <= row.cellCount; c++) {
      const cell = row.getCell(c);
      const value = plain(cell.value);
      cells.push(cell.numFmt && typeof value === "number" ? { value, format: cell.numFmt } : { value });
    }
    rows.push(cells);
  });
  return rows;
}

async function rowsStreamed(bytes: Uint8Array): Promise<unknown[][]> {
  const table = await readTable(bytes, "export.xlsx");
  expect(table.format).toBe("xlsx");
  return table.rows.map((row) => [row.line, ...row.cells]);
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("the file was read"),
    (error: unknown) => {
      expect(error).toBeInstanceOf(InvalidInput);
      return (error as InvalidInput).message;
    },
  );

const FORMATS = [
  "0.00%",
  "0%",
  "hh:mm:ss",
  "[h]:mm:ss",
  "mm:ss",
  "yyyy-mm-dd",
  "yyyy/m/d h:mm",
  "#,##0.00",
  "@",
];

/** fast-check's records have no prototype, which ExcelJS's writer needs. */
const plainObject = <T>(record: fc.Arbitrary<T>) => record.map((value) => structuredClone(value));

const cellValue = fc.oneof(
  fc.constant(null),
  fc.integer({ min: -5, max: 100_000 }),
  fc.double({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true }),
  fc.stringMatching(/^[a-z客服小张延迟统计%:,.0-9 -]{0,8}$/),
  fc.boolean(),
  fc.date({ min: new Date(Date.UTC(1950, 0, 1)), max: new Date(Date.UTC(2040, 0, 1)), noInvalidDate: true }),
  plainObject(
    fc.record({
      richText: fc.array(fc.record({ text: fc.stringMatching(/^[a-z客 ]{0,4}$/) }), { minLength: 1 }),
    }),
  ),
  plainObject(fc.record({ formula: fc.constant("1+1"), result: fc.oneof(fc.integer(), fc.constant("x&y")) })),
  plainObject(fc.record({ formula: fc.constant("1/0"), result: fc.constant({ error: "#DIV/0!" as const }) })),
  plainObject(
    fc.record({ text: fc.stringMatching(/^[a-z]{1,5}$/), hyperlink: fc.constant("https://example.com/a") }),
  ),
);

const sheetOf = fc.array(
  fc.record({
    gap: fc.nat({ max: 2 }),
    cells: fc.array(
      fc.record({
        gap: fc.nat({ max: 2 }),
        value: cellValue,
        format: fc.option(fc.constantFrom(...FORMATS)),
      }),
      {
        maxLength: 6,
      },
    ),
  }),
  { maxLength: 8 },
);

describe("xlsx read a part at a time", () => {
  it("reads every cell as ExcelJS's whole-workbook reader does: types, formats, dates, formulas, rich text", async () => {
    await fc.assert(
      fc.asyncProperty(sheetOf, fc.boolean(), fc.boolean(), async (rows, date1904, sharedStrings) => {
        const workbook = new ExcelJS.Workbook();
        workbook.properties.date1904 = date1904;
        const sheet = workbook.addWorksheet("客服绩效");
        workbook.addWorksheet("second").addRow(["not this one"]);
        let line = 0;
        for (const row of rows) {
          line += 1 + row.gap;
          let column = 0;
          for (const cell of row.cells) {
            column += 1 + cell.gap;
            const target = sheet.getCell(line, column);
            target.value = cell.value as ExcelJS.CellValue;
            // ExcelJS's reader makes an Invalid Date of a date-formatted formula's text or error
            // result; the streamed reader keeps the result. Not compared.
            const value = cell.value as { result?: unknown } | null;
            const textResult = typeof value?.result === "object" || typeof value?.result === "string";
            if (cell.format && !(textResult && /[ymdhs]/.test(cell.format))) target.numFmt = cell.format;
          }
        }
        const bytes = new Uint8Array(await workbook.xlsx.writeBuffer({ useSharedStrings: sharedStrings }));
        expect(await rowsStreamed(bytes)).toEqual(await rowsByExcelJsLoad(bytes));
      }),
      { numRuns: 150 },
    );
  });

  it("refuses a zip bomb by its zip directory, before inflating anything", async () => {
    const bomb = await zipBomb({ megabytes: 50 });
    expect(bomb.length).toBeLessThan(100_000);
    const message = await refusal(parseExport(bomb, { fileName: "赤兔绩效.xlsx" }));
    expect(message).toMatch(
      /^赤兔绩效\.xlsx: xl\/worksheets\/sheet1\.xml expands \d{3,4} times \(\d+ KB to 52 MB; .*\); not an export kpi-bot can read$/,
    );
  });

  it("refuses a part that inflates to more than its zip directory declares, and stops there", async () => {
    const bomb = await zipBomb({ megabytes: 50, lie: true });
    const message = await refusal(parseExport(bomb, { fileName: "赤兔绩效.xlsx" }));
    expect(message).toBe(
      "赤兔绩效.xlsx: xl/worksheets/sheet1.xml expands beyond the 2 KB its zip directory declares; not an export kpi-bot can read",
    );
  });

  it("refuses a cell longer than a cell can be, whose part is not compressed much", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("s").addRow(["客服昵称", randomBytes(900_000).toString("base64")]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const message = await refusal(parseExport(bytes, { fileName: "big.xlsx" }));
    expect(message).toBe(
      "big.xlsx: xl/sharedStrings.xml holds more than 1,048,576 characters without markup (a cell holds at most 32,767); not an export kpi-bot can read",
    );
  });

  it("refuses a zip whose parts would expand to more than the limit in all, or that holds too many", async () => {
    // Declared, not real: the directory alone refuses them. Each part alone passes the ratio.
    const big = { compressed: Buffer.alloc(3_000_000), crc: 0, size: 200_000_000 };
    const huge = zipOf(["a", "b", "c"].map((name) => ({ name: `xl/media/${name}.bin`, ...big })));
    expect(await refusal(parseExport(huge, { fileName: "x.xlsx" }))).toBe(
      "x.xlsx: it expands to more than 500 MB; not an export kpi-bot can read",
    );
    const many = zipOf(
      Array.from({ length: ZIP_LIMITS.entries + 1 }, (_, i) => deflatedPart(`xl/media/${i}.txt`, "")),
    );
    expect(await refusal(parseExport(many, { fileName: "x.xlsx" }))).toBe(
      "x.xlsx: it holds 10001 files (an xlsx workbook holds a few dozen); not an export kpi-bot can read",
    );
  });

  it("reads the first tab that is a worksheet: not a chart sheet before it, not the sheets after", async () => {
    const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const sheet = (cell: string) =>
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
      `<row r="2"><c r="B2" t="inlineStr"><is><t>${cell}</t></is></c></row></sheetData></worksheet>`;
    const bytes = zipOf([
      deflatedPart(
        "xl/workbook.xml",
        `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${rel}"><sheets>` +
          '<sheet name="图表" sheetId="3" r:id="rId3"/><sheet name="客服绩效" sheetId="2" r:id="rId2"/>' +
          '<sheet name="说明" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
      deflatedPart(
        "xl/_rels/workbook.xml.rels",
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          `<Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/>` +
          `<Relationship Id="rId2" Type="${rel}/worksheet" Target="/xl/worksheets/sheet2.xml"/>` +
          `<Relationship Id="rId3" Type="${rel}/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>`,
      ),
      deflatedPart("xl/worksheets/sheet1.xml", sheet("说明")),
      deflatedPart("xl/worksheets/sheet2.xml", sheet("绩效")),
      deflatedPart("xl/chartsheets/sheet1.xml", "<chartsheet/>"),
    ]);
    expect(await rowsStreamed(bytes)).toEqual([[2, { value: undefined }, { value: "绩效" }]]);
  });

  it("names a zip that is not a workbook, and one cut short", async () => {
    const notWorkbook = zipOf([deflatedPart("word/document.xml", "<w/>")]);
    expect(await refusal(parseExport(notWorkbook, { fileName: "x.xlsx" }))).toBe(
      "x.xlsx: the workbook has no worksheet",
    );
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("s").addRow(["客服昵称", "接待人数"]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    expect(await refusal(parseExport(bytes.subarray(0, bytes.length - 30), { fileName: "x.xlsx" }))).toMatch(
      /^x\.xlsx: is not a readable xlsx workbook/,
    );
  });
});
