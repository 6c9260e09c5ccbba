import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinCatalogue, InvalidDocument } from "../../src/engine/index.ts";
import { parseMetricFile } from "../../src/sources/metric-file.ts";
import { decodeText } from "../../src/sources/text-file.ts";

const root = join(import.meta.dirname, "../..");
const options = { catalogue: builtinCatalogue, source: "test.csv", defaultRole: "presales" };

function issuesOf(text: string, opts: Parameters<typeof parseMetricFile>[1] = options): string[] {
  try {
    parseMetricFile(text, opts);
  } catch (error) {
    if (error instanceof InvalidDocument) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error("the file was accepted");
}

describe("the per-agent figures file", () => {
  it("reads the worked example from CSV with Chinese headers, from JSON, GBK and UTF-16 alike", () => {
    const csv = parseMetricFile(readFileSync(join(root, "examples/seed-example.csv"), "utf8"), options);
    const json = parseMetricFile(readFileSync(join(root, "examples/seed-example.json"), "utf8"), options);
    const gbk = parseMetricFile(
      decodeText(readFileSync(join(root, "tests/fixtures/seed-example-gbk.csv"))),
      options,
    );
    const utf16 = parseMetricFile(
      decodeText(readFileSync(join(root, "tests/fixtures/seed-example-utf16.txt"))),
      options,
    );
    expect(csv).toEqual(json);
    expect(gbk).toEqual(csv);
    expect(utf16).toEqual(csv);
    expect(csv[0]).toMatchObject({ agent: "小张", role: "presales", period: "2026-02" });
    expect(csv[0]!.values.conversion_rate).toEqual({ num: 0.18, den: 1, finished: true });
    expect(csv[0]!.values.first_response_time).toEqual({ num: 25, den: 1, finished: true });
  });

  it("reads exact fractions, and plain counts on a day's record as exact", () => {
    const [record] = parseMetricFile(
      '客服,日期,咨询转化率,首次响应时间,日均接待量,销售额\n小王,2026-11-11,"36/200",5000/200,200,"¥12,800.50"',
      options,
    );
    expect(record!.values).toEqual({
      conversion_rate: { num: 36, den: 200 },
      first_response_time: { num: 5000, den: 200 },
      receptions: { num: 200, den: 1 },
      sales_amount: { num: 12800.5, den: 1 },
    });
  });

  it("reads nested and flat JSON records, with {num, den} figures", () => {
    const records = parseMetricFile(
      JSON.stringify({
        records: [
          { agent: "a", period: "2026-11", metrics: { csat_rate: { num: 9, den: 10 } } },
          { agent: "b", period: "2026-11", team: "一组", category: "home", salary: 6000, csat_rate: "95%" },
        ],
      }),
      options,
    );
    expect(records[0]!.values.csat_rate).toEqual({ num: 9, den: 10 });
    expect(records[1]).toMatchObject({ team: "一组", category: "home", salary: 6000 });
  });

  it("reports every bad cell with its row and column, and accepts none of the file", () => {
    const text = [
      "客服,月份,咨询转化率,首次响应时间,满意度,mystery",
      "a,2026-11,18%,25s,93%,",
      "b,2026-13,abc,-5,93%,",
      ",2026-11,18%,25,1/0,",
    ].join("\n");
    expect(issuesOf(text)).toEqual([
      'row 1, column mystery: "mystery" is neither a metric nor a known column',
      'row 3, period: "2026-13" is not a period: write a day 2026-11-23, an ISO week 2026-W47, a month 2026-11, a quarter 2026-Q4 or a year (a fortnight is written 2026-11-09~2026-11-22)',
      'row 3, column 咨询转化率: conversion_rate: "abc" is not a percentage',
      "row 3, column 首次响应时间: first_response_time: cannot be negative",
      "row 4: the agent is missing",
    ]);
  });

  it("wants a role when the schemes have several, and a period", () => {
    expect(issuesOf("agent,csat_rate\na,90%", { catalogue: builtinCatalogue, source: "x" })).toEqual([
      "row 2: the role is missing (the scheme has several roles)",
      "row 2: the period is missing (give a period column or --period)",
    ]);
  });

  it("refuses two records for the same agent and period", () => {
    expect(issuesOf("agent,period,csat_rate\na,2026-11,90%\na,2026-11,91%")).toEqual([
      ": a (presales) has two records for 2026-11",
    ]);
  });

  it("says what is wrong with a file that is not CSV or JSON at all", () => {
    expect(() => parseMetricFile('[{"agent": ', options)).toThrow(/not valid JSON/);
    expect(() => parseMetricFile('agent,period\n"a,2026-11', options)).toThrow(/not valid CSV/);
  });
});
