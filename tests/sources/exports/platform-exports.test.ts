import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseExport } from "../../../src/sources/exports/index.ts";
import type { AgentDayRecord } from "../../../src/sources/source.ts";

const fixtures = join(import.meta.dirname, "../../fixtures/exports");
const parseFixture = (name: string) => parseExport(readFileSync(join(fixtures, name)), { fileName: name });
const day = "2026-11-22";

/**
 * The Chitu fixture worked out by hand (tests/fixtures/exports/make-fixtures.ts holds the cells).
 * 平均响应 and 首次响应 are weighted by 接待人数; 回复率 becomes round(rate × 接待人数); ratings
 * come from the five 服务满意度评价 counts (很满意 5 … 很不满 1).
 */
const CHITU_RECORDS: AgentDayRecord[] = [
  {
    line: 3,
    agent: "小张",
    day,
    values: {
      receptions: { num: 120, den: 1 },
      first_response_time: { num: 1440, den: 120 }, // 12 s × 120
      avg_response_time: { num: 3060, den: 120 }, // 25.5 s × 120
      reply_rate: { num: 118, den: 120 }, // 98.33% × 120 = 117.996
      conversion_rate: { num: 9, den: 40 }, // 最终付款人数 ÷ 询单人数
      review_rate: { num: 30, den: 120 }, // 20 + 6 + 2 + 1 + 1 ratings
      csat_rate: { num: 26, den: 30 }, // 很满意 20 + 满意 6
      csat_score: { num: 133, den: 30 }, // 100 + 24 + 6 + 2 + 1
      sales_amount: { num: 12345.6, den: 1 },
      aov: { num: 12345.57, den: 9 }, // 1,371.73 × 9 paying customers
    },
    pending: [],
  },
  {
    line: 4,
    agent: "小李",
    day,
    values: {
      receptions: { num: 85, den: 1 },
      first_response_time: { num: 1309, den: 85 }, // 15.4 × 85
      avg_response_time: { num: 2652, den: 85 }, // 31.2 × 85
      reply_rate: { num: 85, den: 85 },
      review_rate: { num: 17, den: 85 }, // 10 + 5 + 1 + 1 + 0
      csat_rate: { num: 15, den: 17 },
      csat_score: { num: 75, den: 17 }, // 50 + 20 + 3 + 2 + 0
      sales_amount: { num: 8800, den: 1 },
    },
    pending: ["conversion_rate"], // 最终付款人数 and the rate say 延迟统计; 客单价 is "-"
  },
  {
    line: 5,
    agent: "小王",
    day,
    values: {
      receptions: { num: 200, den: 1 },
      first_response_time: { num: 1700, den: 200 }, // 8.5 × 200
      avg_response_time: { num: 3600, den: 200 },
      reply_rate: { num: 199, den: 200 }, // 99.50% × 200
      conversion_rate: { num: 12, den: 60 },
      review_rate: { num: 30, den: 200 }, // no rating counts: 15.00% × 200
      csat_rate: { num: 0.9, den: 1, finished: true }, // 90.00% with no count to stand on
      sales_amount: { num: 23456, den: 1 },
      aov: { num: 23456.04, den: 12 }, // 1,954.67 × 12
    },
    pending: [],
  },
  {
    line: 6,
    agent: "小赵",
    day,
    values: {
      receptions: { num: 64, den: 1 },
      first_response_time: { num: 1296, den: 64 }, // 20.25 × 64
      avg_response_time: { num: 2560, den: 64 },
      reply_rate: { num: 62, den: 64 }, // 96.88% × 64 = 62.0032
      conversion_rate: { num: 3, den: 20 },
      review_rate: { num: 8, den: 64 },
      csat_rate: { num: 7, den: 8 },
      csat_score: { num: 36, den: 8 }, // 25 + 8 + 3
      sales_amount: { num: 3210, den: 1 },
      aov: { num: 3210, den: 3 },
    },
    pending: [],
  },
  {
    line: 7,
    agent: "小陈",
    day,
    values: {
      receptions: { num: 0, den: 1 },
      first_response_time: { num: 0, den: 0 },
      avg_response_time: { num: 0, den: 0 },
      conversion_rate: { num: 0, den: 0 },
      review_rate: { num: 0, den: 0 },
      csat_rate: { num: 0, den: 0 },
      csat_score: { num: 0, den: 0 },
      sales_amount: { num: 0, den: 1 },
    },
    pending: [],
  },
];

/** The JD fixture by hand: 30秒应答率, 回复率 and 转接 on 咨询量; 邀评率 and 评价 on 接待量; 满意率 on 评价量. */
const JD_RECORDS: AgentDayRecord[] = [
  {
    line: 2,
    agent: "jd_小美",
    day,
    values: {
      receptions: { num: 140, den: 1 },
      first_response_time: { num: 1800, den: 150 }, // 00:00:12 × 150 consultations
      avg_response_time: { num: 5250, den: 150 }, // 35 s × 150
      response_30s_rate: { num: 138, den: 150 }, // 92.00% × 150
      reply_rate: { num: 148, den: 150 }, // 150 − 2 unanswered
      qa_ratio: { num: 1.15, den: 1, finished: true, needs: ["客服消息数", "顾客消息数"] },
      invite_rate: { num: 70, den: 140 },
      review_rate: { num: 42, den: 140 },
      csat_rate: { num: 40, den: 42 }, // 95.24% × 42 = 40.0008
      transfer_rate: { num: 3, den: 150 },
      leave_message_reply_rate: { num: 1, den: 1, finished: true, needs: ["留言量"] }, // no 留言量 column
      conversion_rate: { num: 11, den: 50 }, // 下单人数 ÷ 询单人数
      sales_amount: { num: 15600, den: 1 }, // 出库金额 ￥15,600.00
      aov: { num: 15599.98, den: 11 }, // 1,418.18 × 11
    },
    pending: [],
  },
  {
    line: 3,
    agent: "jd_阿强",
    day,
    values: {
      receptions: { num: 88, den: 1 },
      first_response_time: { num: 1800, den: 90 }, // 20 s × 90
      avg_response_time: { num: 5850, den: 90 }, // 00:01:05 = 65 s × 90
      response_30s_rate: { num: 80, den: 90 }, // 88.89% × 90 = 80.001
      reply_rate: { num: 90, den: 90 },
      qa_ratio: { num: 0.985, den: 1, finished: true, needs: ["客服消息数", "顾客消息数"] },
      invite_rate: { num: 40, den: 88 }, // 45.45% × 88 = 39.996
      review_rate: { num: 20, den: 88 },
      csat_rate: { num: 18, den: 20 },
      transfer_rate: { num: 1, den: 90 },
      conversion_rate: { num: 6, den: 30 },
      sales_amount: { num: 7200.5, den: 1 },
      aov: { num: 7200.48, den: 6 }, // 1,200.08 × 6
    },
    pending: [],
  },
  {
    line: 4,
    agent: "jd_小雨",
    day,
    values: {
      receptions: { num: 60, den: 1 },
      first_response_time: { num: 480, den: 60 },
      avg_response_time: { num: 1680, den: 60 },
      response_30s_rate: { num: 57, den: 60 },
      reply_rate: { num: 60, den: 60 },
      qa_ratio: { num: 1.2, den: 1, finished: true, needs: ["客服消息数", "顾客消息数"] },
      invite_rate: { num: 36, den: 60 },
      review_rate: { num: 18, den: 60 },
      csat_rate: { num: 18, den: 18 },
      transfer_rate: { num: 0, den: 60 },
      leave_message_reply_rate: { num: 0.5, den: 1, finished: true, needs: ["留言量"] },
      conversion_rate: { num: 7, den: 25 },
      sales_amount: { num: 9100, den: 1 },
      aov: { num: 9100, den: 7 },
    },
    pending: [],
  },
  {
    line: 5,
    agent: "jd_老周",
    day,
    values: {
      receptions: { num: 118, den: 1 },
      first_response_time: { num: 1800, den: 120 },
      avg_response_time: { num: 4800, den: 120 },
      response_30s_rate: { num: 109, den: 120 }, // 90.83% × 120 = 108.996
      reply_rate: { num: 119, den: 120 },
      qa_ratio: { num: 1.05, den: 1, finished: true, needs: ["客服消息数", "顾客消息数"] },
      invite_rate: { num: 60, den: 118 }, // 50.85% × 118 = 60.003
      review_rate: { num: 30, den: 118 },
      csat_rate: { num: 28, den: 30 }, // 93.33% × 30 = 27.999
      transfer_rate: { num: 2, den: 120 },
      conversion_rate: { num: 8, den: 40 },
      sales_amount: { num: 10400, den: 1 },
      aov: { num: 10400, den: 8 },
    },
    pending: [],
  },
  {
    line: 6,
    agent: "jd_小婷",
    day,
    values: {
      receptions: { num: 44, den: 1 },
      first_response_time: { num: 1125, den: 45 },
      avg_response_time: { num: 2250, den: 45 },
      response_30s_rate: { num: 40, den: 45 },
      reply_rate: { num: 44, den: 45 },
      qa_ratio: { num: 0.9, den: 1, finished: true, needs: ["客服消息数", "顾客消息数"] },
      invite_rate: { num: 18, den: 44 }, // 40.91% × 44 = 18.0004
      review_rate: { num: 10, den: 44 },
      csat_rate: { num: 8, den: 10 },
      transfer_rate: { num: 1, den: 45 },
      sales_amount: { num: 3000, den: 1 },
    },
    pending: ["conversion_rate"], // 下单人数 and 下单转化率 say 统计中
  },
];

describe("Chitu / Qianniu customer-service exports", () => {
  it("reads Chitu's UTF-8 export (with BOM) into hand-computed numerators and denominators", async () => {
    const batch = await parseFixture("chitu-utf8-bom.csv");
    expect(batch.kind).toBe("chitu");
    expect(batch.source).toBe("chitu");
    expect(batch.problems).toEqual([]);
    expect(batch.records).toEqual(CHITU_RECORDS);
  });

  it("reads Chitu's GBK export with the same figures as its UTF-8 one", async () => {
    const batch = await parseFixture("chitu-gbk.csv");
    expect(batch.problems).toEqual([]);
    expect(batch.records).toEqual(CHITU_RECORDS);
  });

  it("reads Chitu's xlsx export, percentage cells holding fractions, with the same figures", async () => {
    const batch = await parseFixture("chitu.xlsx");
    expect(batch.kind).toBe("chitu");
    expect(batch.problems).toEqual([]);
    expect(batch.records).toEqual(CHITU_RECORDS);
  });

  it("skips the 汇总 and 均值 rows and names the columns it did not read", async () => {
    for (const name of ["chitu-utf8-bom.csv", "chitu.xlsx"]) {
      const batch = await parseFixture(name);
      expect(batch.records.map((r) => r.agent)).toEqual(["小张", "小李", "小王", "小赵", "小陈"]);
      expect(batch.ignoredColumns).toEqual(["咨询人数"]);
    }
  });

  it("keeps 延迟统计 figures pending and out of the values", async () => {
    const batch = await parseFixture("chitu.xlsx");
    const li = batch.records.find((r) => r.agent === "小李")!;
    expect(li.pending).toEqual(["conversion_rate"]);
    expect(li.values.conversion_rate).toBeUndefined();
  });
});

describe("JD Dongdong exports", () => {
  it("reads JD's GBK export by JD's own definitions", async () => {
    const batch = await parseFixture("jd-gbk.csv");
    expect(batch.kind).toBe("jd");
    expect(batch.problems).toEqual([]);
    expect(batch.ignoredColumns).toEqual(["在线状态"]);
    expect(batch.records).toEqual(JD_RECORDS);
  });

  it("reads JD's xlsx export, with time cells for the response times, with the same figures", async () => {
    const batch = await parseFixture("jd.xlsx");
    expect(batch.kind).toBe("jd");
    expect(batch.problems).toEqual([]);
    expect(batch.records).toEqual(JD_RECORDS);
  });

  it("takes the kind as an option as well as from the headers", async () => {
    const bytes = readFileSync(join(fixtures, "jd-gbk.csv"));
    const batch = await parseExport(bytes, { fileName: "咚咚.csv", kind: "jd" });
    expect(batch.records).toEqual(JD_RECORDS);
  });
});
