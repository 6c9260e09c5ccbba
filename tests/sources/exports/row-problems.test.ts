import { describe, expect, it } from "vitest";
import { InvalidInput } from "../../../src/engine/index.ts";
import { type ExportKindId, parseExport } from "../../../src/sources/exports/index.ts";
import { formatProblem } from "../../../src/sources/source.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);
const parseCsv = (text: string, kind?: ExportKindId) =>
  parseExport(utf8(text), { fileName: "export.csv", ...(kind ? { kind } : {}) });

/** 500 agents of one Chitu day; the rows at the given lines get the given cells instead. */
function chituDay(bad: Record<number, Partial<Record<"receptions" | "response" | "reply", string>>>): string {
  const lines = ["客服昵称,日期,接待人数,平均响应(秒),回复率"];
  for (let i = 1; i <= 500; i++) {
    const line = i + 1;
    const cells = {
      receptions: String(40 + (i % 50)),
      response: String(10 + (i % 30)),
      reply: `${95 + (i % 5)}.00%`,
    };
    Object.assign(cells, bad[line]);
    lines.push(`客服${i},2026-11-22,${cells.receptions},${cells.response},${cells.reply}`);
  }
  return lines.join("\n");
}

describe("rows the importer must refuse", () => {
  it("reports exactly the 3 bad rows of a 500-row export, with line, column, value and reason", async () => {
    const batch = await parseCsv(
      chituDay({ 14: { response: "abc" }, 200: { reply: "101%" }, 377: { receptions: "12.5" } }),
    );
    expect(batch.problems).toEqual([
      { line: 14, column: "平均响应(秒)", value: "abc", reason: "is not a duration" },
      { line: 200, column: "回复率", value: "101%", reason: "is more than 100%" },
      { line: 377, column: "接待人数", value: "12.5", reason: "is not a count" },
    ]);
    expect(batch.problems.map(formatProblem)).toEqual([
      'line 14, column 平均响应(秒): "abc" is not a duration',
      'line 200, column 回复率: "101%" is more than 100%',
      'line 377, column 接待人数: "12.5" is not a count',
    ]);
    expect(batch.records).toHaveLength(497);
  });

  it("reports every bad cell of a row, not only the first", async () => {
    const batch = await parseCsv("客服昵称,日期,接待人数,回复率\n小张,2026-11-31,1.2.3,abc%\n");
    expect(batch.problems.map(formatProblem)).toEqual([
      'line 2, column 日期: "2026-11-31" is not a day (YYYY-MM-DD)',
      'line 2, column 接待人数: "1.2.3" is not a count',
      'line 2, column 回复率: "abc%" is not a percentage',
    ]);
    expect(batch.records).toEqual([]);
  });

  it("refuses a second row for the same agent and day", async () => {
    const batch = await parseCsv(
      "客服昵称,日期,接待人数\n小张,2026-11-22,10\n小李,2026-11-22,12\n小张,2026-11-22,11\n小张,2026-11-23,9\n",
    );
    expect(batch.problems.map(formatProblem)).toEqual([
      'line 4, column 客服昵称: "小张" has another row for 2026-11-22 on line 2',
    ]);
    expect(batch.records.map((r) => `${r.agent} ${r.day}`)).toEqual([
      "小张 2026-11-22",
      "小李 2026-11-22",
      "小张 2026-11-23",
    ]);
  });

  it("refuses a second row for the same agent when the export has no date column", async () => {
    const batch = await parseCsv("客服昵称,接待人数\n小张,10\n小张,11\n");
    expect(batch.problems.map(formatProblem)).toEqual([
      'line 3, column 客服昵称: "小张" has another row on line 2',
    ]);
    expect(batch.records).toEqual([
      { line: 2, agent: "小张", values: { receptions: { num: 10, den: 1 } }, pending: [] },
    ]);
  });

  it("wants the agent of a row with figures, and the day when the export has a date column", async () => {
    const batch = await parseCsv("客服昵称,日期,接待人数\n,2026-11-22,10\n小李,,12\n数据来源：赤兔名品,,\n");
    expect(batch.problems.map(formatProblem)).toEqual([
      "line 2, column 客服昵称: the agent is missing",
      "line 3, column 日期: the day is missing",
    ]);
  });

  it("refuses more unanswered consultations than consultations", async () => {
    const batch = await parseCsv("客服账号,咨询量,未回复量\njd_a,10,12\n");
    expect(batch.problems.map(formatProblem)).toEqual(['line 2, column 未回复量: "12" is more than 咨询量']);
  });

  it("refuses a header that names the same column twice", async () => {
    const batch = await parseCsv("客服昵称,回复率,回复率\n小张,90%,91%\n");
    expect(batch.problems.map(formatProblem)).toEqual([
      "line 1, column 回复率: appears twice (columns 2 and 3)",
    ]);
  });
});

describe("where rows are", () => {
  it("counts a quoted cell spanning two lines, and title lines above the header", async () => {
    const text = '赤兔名品 客服绩效\n\n客服昵称,接待人数,备注\n小张,10,"早班\n晚班"\n小李,x,\n';
    const batch = await parseCsv(text);
    expect(batch.records.map((r) => [r.agent, r.line])).toEqual([["小张", 4]]);
    expect(batch.problems.map(formatProblem)).toEqual(['line 6, column 接待人数: "x" is not a count']);
    expect(batch.ignoredColumns).toEqual(["备注"]);
  });

  it("reads Excel's UTF-16 'Unicode text' with full-width brackets in the header", async () => {
    const text = "客服昵称\t接待人数\t平均响应（秒）\r\n小张\t10\t１２\r\n";
    const bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from(text, "utf16le")]);
    const batch = await parseExport(bytes, { fileName: "赤兔.txt" });
    expect(batch.problems).toEqual([]);
    expect(batch.records[0]!.values).toEqual({
      receptions: { num: 10, den: 1 },
      avg_response_time: { num: 120, den: 10 },
    });
  });
});

describe("files that are no export at all", () => {
  it("says which exports it expected when no header row is recognised", async () => {
    const error = await parseCsv("姓名拼音,工号\nzhang,001\n").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInput);
    const message = (error as InvalidInput).message;
    expect(message).toMatch(/^export\.csv: no header row with an agent column and a figure column/);
    for (const expected of [
      "Chitu / Qianniu",
      "客服昵称",
      "JD Dongdong",
      "客服账号",
      "generic template",
      "agent",
    ])
      expect(message).toContain(expected);
  });

  it("refuses an unknown export kind", async () => {
    const error = await parseCsv("客服昵称,接待人数\n小张,1\n", "kuaishou" as ExportKindId).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as InvalidInput).message).toBe(
      'kind: "kuaishou" is not an export kind: use chitu, jd, pdd, douyin, generic',
    );
  });

  it("does not read a Chitu export as JD when told it is JD", async () => {
    const error = await parseCsv("客服昵称,平均响应(秒)\n小张,12\n", "jd").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as InvalidInput).message).toContain(
      "expected a JD Dongdong (京东咚咚) customer-service export",
    );
  });

  it("refuses empty files and old .xls workbooks, and goes by content rather than by name", async () => {
    await expect(parseExport(new Uint8Array(), { fileName: "a.csv" })).rejects.toThrow(
      "a.csv: the file is empty",
    );
    const xls = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    await expect(parseExport(xls, { fileName: "a.xls" })).rejects.toThrow(/old Excel \.xls workbook/);
    const html = utf8("<html><body><table><tr><td>客服昵称</td></tr></table></body></html>");
    await expect(parseExport(html, { fileName: "a.xls" })).rejects.toThrow(/HTML or XML page/);
    // Back offices name tab-separated text ".xls": the content decides.
    const named = await parseExport(utf8("客服昵称\t接待人数\n小张\t1\n"), { fileName: "export.xls" });
    expect(named.records).toEqual([
      { line: 2, agent: "小张", values: { receptions: { num: 1, den: 1 } }, pending: [] },
    ]);
  });
});
