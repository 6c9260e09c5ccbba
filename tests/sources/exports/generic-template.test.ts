import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { builtinCatalogue } from "../../../src/engine/index.ts";
import { parseExport } from "../../../src/sources/exports/index.ts";
import { formatProblem } from "../../../src/sources/source.ts";

const parseText = (text: string) => parseExport(new TextEncoder().encode(text), { fileName: "figures.csv" });

describe("the generic template", () => {
  it("refuses a file with its header and no agent's row, rather than import nothing and succeed", async () => {
    const headerOnly = "agent,shop,date,receptions,first_response_time\n";
    await expect(parseText(headerOnly)).rejects.toThrow(
      "figures.csv: has a header row but no agent's row under it: nothing to import",
    );
  });

  it("reads the exact fractions `kpi metrics --format csv` writes", async () => {
    const batch = await parseText(
      [
        "agent,shop,date,receptions,first_response_time,conversion_rate,sales_amount,csat_rate",
        "小王,旗舰店,2026-11-22,200/1,5000/200,36/200,12800.5/1,0/0",
      ].join("\n"),
    );
    expect(batch.kind).toBe("generic");
    expect(batch.problems).toEqual([]);
    expect(batch.records).toEqual([
      {
        line: 2,
        shop: "旗舰店",
        agent: "小王",
        day: "2026-11-22",
        values: {
          receptions: { num: 200, den: 1 },
          first_response_time: { num: 5000, den: 200 },
          conversion_rate: { num: 36, den: 200 },
          sales_amount: { num: 12800.5, den: 1 },
          csat_rate: { num: 0, den: 0 },
        },
        pending: [],
      },
    ]);
  });

  it("reads Chinese metric names, and figures as finished unless they are counts or amounts", async () => {
    const batch = await parseText(
      [
        "客服,日期,咨询转化率,首次响应时间,平均响应时间,日均接待量,销售额,岗位,备注",
        '小王,2026-11-11,18%,25秒,1分30秒,200,"¥12,800.50",presales,好',
      ].join("\n"),
    );
    expect(batch.problems).toEqual([]);
    expect(batch.ignoredColumns).toEqual(["岗位", "备注"]);
    expect(batch.records[0]!.values).toEqual({
      conversion_rate: { num: 0.18, den: 1, finished: true },
      first_response_time: { num: 25, den: 1, finished: true },
      avg_response_time: { num: 90, den: 1, finished: true },
      receptions: { num: 200, den: 1 },
      sales_amount: { num: 12800.5, den: 1 },
    });
  });

  it("reports bad figures and fractions by line and column, and keeps 延迟统计 pending", async () => {
    const batch = await parseText(
      "agent,date,conversion_rate,resolution_rate\n小王,2026-11-22,abc,延迟统计\n小李,2026-11-22,3/x,延迟统计\n小赵,2026-11-22,1/4,延迟统计\n",
    );
    expect(batch.problems.map(formatProblem)).toEqual([
      'line 2, column conversion_rate: "abc" is not a percentage',
      'line 3, column conversion_rate: "3/x" is not a fraction',
    ]);
    expect(batch.records).toEqual([
      {
        line: 4,
        agent: "小赵",
        day: "2026-11-22",
        values: { conversion_rate: { num: 1, den: 4 } },
        pending: ["resolution_rate"],
      },
    ]);
  });

  it("reads an xlsx template with percentage cells", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("figures");
    sheet.addRow(["agent", "date", "reply_rate", "long_wait_count", "aov_uplift"]);
    const row = sheet.addRow(["小王", new Date(Date.UTC(2026, 10, 22)), 0.985, 2, -0.03]);
    row.getCell(3).numFmt = "0.0%";
    row.getCell(5).numFmt = "0%";
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const batch = await parseExport(bytes, { fileName: "figures.xlsx", catalogue: builtinCatalogue });
    expect(batch.problems).toEqual([]);
    expect(batch.records).toEqual([
      {
        line: 2,
        agent: "小王",
        day: "2026-11-22",
        values: {
          reply_rate: { num: 0.985, den: 1, finished: true },
          long_wait_count: { num: 2, den: 1 },
          aov_uplift: { num: -0.03, den: 1, finished: true },
        },
        pending: [],
      },
    ]);
  });
});
