import { describe, expect, it } from "vitest";
import { parseExport, readDay, readFigure } from "../../../src/sources/exports/index.ts";

const figure = (value: string | number, kind: Parameters<typeof readFigure>[1], format?: string) =>
  readFigure(format ? { value, format } : { value }, kind);
const value = (v: number) => ({ state: "value", value: v });

describe("reading the cells of platform exports", () => {
  it.each([
    ["1分30秒", 90],
    ["90秒", 90],
    ["1分", 60],
    ["1小时2分", 3720],
    ["1小时2分3秒", 3723],
    ["2分钟", 120],
    ["1m30s", 90],
    ["00:01:30", 90],
    ["01:30", 90],
    ["90", 90],
    ["12.5", 12.5],
    ["１２秒", 12],
  ])("reads the duration %s as %d seconds", (text, seconds) => {
    expect(figure(text, "seconds")).toEqual(value(seconds));
  });

  it.each(["abc", "1秒2分", "1:75", "1分分", "秒"])("does not take %s for a duration", (text) => {
    expect(figure(text, "seconds")).toEqual({ state: "bad", reason: "is not a duration" });
  });

  it("reads Excel time cells as durations, whether a fraction of a day or a Date on day zero", () => {
    expect(figure(90 / 86_400, "seconds", "[h]:mm:ss")).toEqual(value(90));
    expect(readFigure({ value: new Date(Date.UTC(1899, 11, 30, 0, 1, 5)) }, "seconds")).toEqual(value(65));
    expect(figure("7小时30分", "hours")).toEqual(value(7.5));
    expect(figure("07:30", "hours")).toEqual(value(7.5));
  });

  it("reads thousands separators and refuses misplaced ones", () => {
    expect(figure("1,234", "count")).toEqual(value(1234));
    expect(figure("1,234,567", "count")).toEqual(value(1_234_567));
    expect(figure("12人", "count")).toEqual(value(12));
    expect(figure("1,23", "count")).toEqual({ state: "bad", reason: "is not a count" });
    expect(figure("12.5", "count")).toEqual({ state: "bad", reason: "is not a count" });
    expect(figure("-3", "count")).toEqual({ state: "bad", reason: "cannot be negative" });
  });

  it("reads percentages written out, bare, and as Excel percentage cells", () => {
    expect(figure("85.23%", "share")).toEqual(value(0.8523));
    expect(figure("85.23 %", "share")).toEqual(value(0.8523));
    expect(figure("85.23", "share")).toEqual(value(0.8523));
    expect(figure(0.8523, "share", "0.00%")).toEqual(value(0.8523));
    expect(figure(85.23, "share", "General")).toEqual(value(0.8523));
    expect(figure("100.00%", "share")).toEqual(value(1));
    expect(figure("100.01%", "share")).toEqual({ state: "bad", reason: "is more than 100%" });
    expect(figure("115.00%", "ratio")).toEqual(value(1.15));
  });

  it("reads money with ¥ or ￥, thousands separators and 万", () => {
    expect(figure("¥1,234.50", "money")).toEqual(value(1234.5));
    expect(figure("￥1,234.50", "money")).toEqual(value(1234.5));
    expect(figure("1234.5元", "money")).toEqual(value(1234.5));
    expect(figure("1.2万", "money")).toEqual(value(12_000));
    expect(figure("¥abc", "money")).toEqual({ state: "bad", reason: "is not an amount of money" });
  });

  it("reads empty cells, - and -- as no figure, and 延迟统计 as pending", () => {
    for (const text of ["", "  ", "-", "--", "—"]) expect(figure(text, "count")).toEqual({ state: "empty" });
    for (const text of ["延迟统计", "统计中"]) expect(figure(text, "share")).toEqual({ state: "pending" });
  });

  it("reads days as the platforms write them", () => {
    for (const text of [
      "2026-11-22",
      "2026/11/22",
      "2026.11.22",
      "2026年11月22日",
      "20261122",
      "2026-11-22 00:00:00",
    ])
      expect(readDay({ value: text })).toEqual({ state: "value", value: "2026-11-22" });
    expect(readDay({ value: new Date(Date.UTC(2026, 10, 22)) })).toEqual({
      state: "value",
      value: "2026-11-22",
    });
    expect(readDay({ value: 46_348 })).toEqual({ state: "value", value: "2026-11-22" });
    for (const text of ["2026-02-30", "2026-11", "昨天"])
      expect(readDay({ value: text })).toEqual({ state: "bad", reason: "is not a day (YYYY-MM-DD)" });
  });
});

describe("cells in an export", () => {
  it("weights response times written every which way by the day's receptions", async () => {
    const text = [
      "客服昵称,接待人数,平均响应(秒)",
      "a,10,1分30秒",
      "b,10,90秒",
      "c,10,1分",
      "d,10,1小时2分",
      "e,10,00:01:30",
      "f,10,90",
      "g,10,12.5",
    ].join("\n");
    const batch = await parseExport(new TextEncoder().encode(text), { fileName: "durations.csv" });
    expect(batch.problems).toEqual([]);
    expect(batch.records.map((r) => [r.agent, r.values.avg_response_time])).toEqual([
      ["a", { num: 900, den: 10 }],
      ["b", { num: 900, den: 10 }],
      ["c", { num: 600, den: 10 }],
      ["d", { num: 37_200, den: 10 }],
      ["e", { num: 900, den: 10 }],
      ["f", { num: 900, den: 10 }],
      ["g", { num: 125, den: 10 }],
    ]);
  });

  it("reads thousands separators in counts and amounts", async () => {
    const text = '客服昵称,接待人数,回复率,客服销售额\n小张,"1,234",50.00%,"¥1,234.50"\n';
    const [record] = (await parseExport(new TextEncoder().encode(text), { fileName: "t.csv" })).records;
    expect(record!.values).toEqual({
      receptions: { num: 1234, den: 1 },
      reply_rate: { num: 617, den: 1234 },
      sales_amount: { num: 1234.5, den: 1 },
    });
  });

  it("keeps a 延迟统计 rate pending even when its counts are filled in", async () => {
    const text =
      "客服昵称,询单人数,最终付款人数,询单->最终付款转化率\n小张,40,9,延迟统计\n小李,30,6,20.00%\n";
    const batch = await parseExport(new TextEncoder().encode(text), { fileName: "t.csv" });
    expect(batch.records.map((r) => [r.agent, r.values, r.pending])).toEqual([
      ["小张", {}, ["conversion_rate"]],
      ["小李", { conversion_rate: { num: 6, den: 30 } }, []],
    ]);
  });

  it("skips a summary row named in the first column while its 客服 cell is empty", async () => {
    const text = "日期,客服昵称,接待人数\n2026-11-22,小张,10\n合计,,10\n";
    const batch = await parseExport(new TextEncoder().encode(text), { fileName: "t.csv" });
    expect(batch.problems).toEqual([]);
    expect(batch.records.map((r) => r.agent)).toEqual(["小张"]);
  });

  it("skips totals rows as sheets dress them, and keeps agents whose names only contain such words", async () => {
    const text =
      "客服昵称,接待人数\n小张,10\n合计：,10\n总计(2人),20\n店铺汇总,20\nTotal,20\n全店平均,10\n平均小王,5\n";
    const batch = await parseExport(new TextEncoder().encode(text), { fileName: "t.csv" });
    expect(batch.problems).toEqual([]);
    expect(batch.records.map((r) => r.agent)).toEqual(["小张", "平均小王"]);
  });

  it("spreads receptions over 上班天数 when an export covers several days", async () => {
    const text = "客服昵称,接待人数,上班天数\n小张,600,5\n";
    const [record] = (await parseExport(new TextEncoder().encode(text), { fileName: "t.csv" })).records;
    expect(record!.values.receptions).toEqual({ num: 600, den: 5 });
    expect(record!.day).toBeUndefined();
  });
});
