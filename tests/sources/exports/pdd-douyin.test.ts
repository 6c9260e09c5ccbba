import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseExport } from "../../../src/sources/exports/index.ts";
import type { AgentDayRecord } from "../../../src/sources/source.ts";

const fixtures = join(import.meta.dirname, "../../fixtures/exports");
const parseFixture = (name: string) => parseExport(readFileSync(join(fixtures, name)), { fileName: name });
const parseText = (text: string, kind?: "pdd" | "douyin") =>
  parseExport(new TextEncoder().encode(text), { fileName: "export.csv", ...(kind ? { kind } : {}) });

/** A finished figure (a rate without its count), whatever the import notes beside it. */
const finished = (num: number) => expect.objectContaining({ num, den: 1, finished: true });

/**
 * The 拼多多 fixture worked out by hand (tests/fixtures/exports/make-fixtures.ts holds the cells).
 * 3分钟人工回复率 is (需要人工回复的咨询人数 − 3分钟未回复人数) ÷ 需要人工回复的咨询人数; 30秒应答率
 * round(rate × 需要人工回复的咨询人数); 平均人工响应时长 (minutes when bare) × the same count;
 * conversion 最终成团人数 ÷ 询单人数; 评分≤3订单数 ÷ 评分数; 投诉数 ÷ 人工接待人数.
 */
const PDD_RECORDS: AgentDayRecord[] = [
  {
    line: 4,
    agent: "pdd_阿美",
    day: "2026-11-21",
    values: {
      receptions: { num: 110, den: 1 },
      response_3min_rate: { num: 98, den: 100 }, // 100 − 2 not answered within 3 minutes
      response_30s_rate: { num: 91, den: 100 }, // 91.00% × 100
      avg_response_time: { num: 2520, den: 100 }, // 0.42 min = 25.2 s × 100
      conversion_rate: { num: 21, den: 60 },
      sales_amount: { num: 6300, den: 1 },
      aov: { num: 6300, den: 21 },
      bad_review_rate: { num: 1, den: 20 },
      complaint_rate: { num: 0, den: 110 },
    },
    pending: [],
  },
  {
    line: 5,
    agent: "pdd_小林",
    day: "2026-11-21",
    values: {
      receptions: { num: 75, den: 1 },
      response_3min_rate: { num: 70, den: 70 },
      response_30s_rate: { num: 62, den: 70 }, // 88.57% × 70 = 61.999
      avg_response_time: { num: 1750, den: 70 }, // "25秒" × 70
      conversion_rate: { num: 12, den: 40 },
      sales_amount: { num: 3600, den: 1 },
      aov: { num: 3600, den: 12 },
      bad_review_rate: { num: 0, den: 10 },
      complaint_rate: { num: 1, den: 75 },
    },
    pending: [],
  },
  {
    line: 6,
    agent: "pdd_大壮",
    day: "2026-11-21",
    values: {
      receptions: { num: 92, den: 1 },
      response_3min_rate: { num: 87, den: 90 }, // 90 − 3
      response_30s_rate: { num: 77, den: 90 }, // 85.56% × 90 = 77.004
      avg_response_time: { num: 2970, den: 90 }, // 0.55 min = 33 s × 90
      conversion_rate: { num: 15, den: 50 },
      sales_amount: { num: 4500.5, den: 1 },
      aov: { num: 4500.5, den: 15 },
      bad_review_rate: { num: 2, den: 16 },
      complaint_rate: { num: 0, den: 92 },
    },
    pending: [],
  },
  {
    line: 7,
    agent: "pdd_阿美",
    day: "2026-11-22",
    values: {
      receptions: { num: 118, den: 1 },
      response_3min_rate: { num: 109, den: 110 },
      response_30s_rate: { num: 102, den: 110 }, // 92.73% × 110 = 102.003
      avg_response_time: { num: 2508, den: 110 }, // 0.38 min = 22.8 s × 110
      conversion_rate: { num: 24, den: 64 },
      sales_amount: { num: 7200, den: 1 },
      aov: { num: 7200, den: 24 },
      bad_review_rate: { num: 0, den: 25 },
      complaint_rate: { num: 0, den: 118 },
    },
    pending: [],
  },
  {
    // A day without customers: counts of 0 make 0 ÷ 0 (no figure to score), "-" no figure at all.
    line: 8,
    agent: "pdd_小林",
    day: "2026-11-22",
    values: {
      receptions: { num: 0, den: 1 },
      response_3min_rate: { num: 0, den: 0 },
      conversion_rate: { num: 0, den: 0 },
      sales_amount: { num: 0, den: 1 },
      aov: { num: 0, den: 0 },
      bad_review_rate: { num: 0, den: 0 },
      complaint_rate: { num: 0, den: 0 },
    },
    pending: [],
  },
  {
    line: 9,
    agent: "pdd_大壮",
    day: "2026-11-22",
    values: {
      receptions: { num: 98, den: 1 },
      response_3min_rate: { num: 96, den: 96 },
      response_30s_rate: { num: 84, den: 96 }, // 87.50% × 96
      avg_response_time: { num: 2784, den: 96 }, // 00:00:29 × 96
      conversion_rate: { num: 12, den: 48 },
      sales_amount: { num: 3960, den: 1 },
      aov: { num: 3960, den: 12 },
      bad_review_rate: { num: 1, den: 12 },
      complaint_rate: { num: 0, den: 98 },
    },
    pending: [],
  },
  {
    line: 10,
    agent: "pdd_阿美",
    day: "2026-11-23",
    values: {
      receptions: { num: 126, den: 1 },
      response_3min_rate: { num: 120, den: 120 },
      response_30s_rate: { num: 114, den: 120 },
      avg_response_time: { num: 2520, den: 120 }, // 0.35 min = 21 s × 120
      sales_amount: { num: 8100, den: 1 },
      bad_review_rate: { num: 0, den: 18 },
      complaint_rate: { num: 0, den: 126 },
    },
    // 最终成团人数 and 询单转化率 say 统计中: the conversion, and 客单价 per 成团 customer, wait.
    pending: ["conversion_rate", "aov"],
  },
  {
    line: 11,
    agent: "pdd_小林",
    day: "2026-11-23",
    values: {
      receptions: { num: 84, den: 1 },
      response_3min_rate: { num: 76, den: 80 }, // 80 − 4
      response_30s_rate: { num: 72, den: 80 },
      avg_response_time: { num: 2400, den: 80 }, // 0.5 min × 80
      conversion_rate: { num: 14, den: 45 },
      sales_amount: { num: 4340, den: 1 },
      aov: { num: 4340, den: 14 },
    },
    pending: [], // 评分 and 投诉 are "-": no figure
  },
  {
    line: 12,
    agent: "pdd_大壮",
    day: "2026-11-23",
    values: {
      receptions: { num: 103, den: 1 },
      response_3min_rate: { num: 99, den: 100 },
      response_30s_rate: { num: 89, den: 100 },
      avg_response_time: { num: 2820, den: 100 }, // 0.47 min = 28.2 s × 100
      conversion_rate: { num: 13, den: 52 },
      sales_amount: { num: 4160, den: 1 },
      aov: { num: 4160, den: 13 },
      bad_review_rate: { num: 1, den: 14 },
      complaint_rate: { num: 1, den: 103 },
    },
    pending: [],
  },
];

/**
 * The 抖店 飞鸽 fixture by hand: 3分钟人工回复率 (会话), 30秒应答率 and the response times on
 * 人工已接待会话量; 满意率 and 不满意率 on 评价人数; 评价人数 ÷ 人工已接待人数 the review rate;
 * 支付人数 ÷ 询单人数 the conversion; 留言回复率 has no count in the file: finished.
 */
const DOUYIN_RECORDS: AgentDayRecord[] = [
  {
    line: 3,
    agent: "飞鸽_小鹿",
    day: "2026-11-21",
    values: {
      receptions: { num: 80, den: 1 },
      response_3min_rate: { num: 87, den: 90 }, // 96.67% × 90 sessions = 87.003
      response_30s_rate: { num: 80, den: 90 }, // 88.89% × 90 = 80.001
      first_response_time: { num: 1125, den: 90 }, // 12.5 s × 90
      avg_response_time: { num: 2565, den: 90 }, // 28.5 s × 90
      csat_rate: { num: 18, den: 20 },
      dissatisfaction_rate: { num: 1, den: 20 },
      review_rate: { num: 20, den: 80 },
      conversion_rate: { num: 9, den: 30 },
      sales_amount: { num: 2700, den: 1 },
      aov: { num: 2700, den: 9 },
      transfer_rate: { num: 2, den: 80 },
      leave_message_reply_rate: finished(1),
      online_hours: { num: 7.5, den: 1 },
    },
    pending: [],
  },
  {
    line: 4,
    agent: "飞鸽_阿杰",
    day: "2026-11-21",
    values: {
      receptions: { num: 60, den: 1 },
      response_3min_rate: { num: 60, den: 64 }, // 93.75% × 64
      response_30s_rate: { num: 52, den: 64 }, // 81.25% × 64
      first_response_time: { num: 960, den: 64 },
      avg_response_time: { num: 4160, den: 64 }, // 1分05秒 × 64
      csat_rate: { num: 8, den: 10 },
      dissatisfaction_rate: { num: 1, den: 10 },
      review_rate: { num: 10, den: 60 },
      conversion_rate: { num: 5, den: 25 },
      sales_amount: { num: 1250, den: 1 },
      aov: { num: 1250, den: 5 },
      transfer_rate: { num: 0, den: 60 },
      online_hours: { num: 8, den: 1 },
    },
    pending: [],
  },
  {
    line: 5,
    agent: "飞鸽_晴天",
    day: "2026-11-21",
    values: {
      receptions: { num: 45, den: 1 },
      response_3min_rate: { num: 50, den: 50 },
      response_30s_rate: { num: 45, den: 50 },
      first_response_time: { num: 500, den: 50 },
      avg_response_time: { num: 2000, den: 50 }, // 00:00:40 × 50
      review_rate: { num: 0, den: 45 }, // nobody rated: 满意率 and 不满意率 are "-"
      sales_amount: { num: 900, den: 1 },
      transfer_rate: { num: 1, den: 45 },
      online_hours: { num: 6.5, den: 1 },
    },
    pending: ["conversion_rate", "aov"], // 支付人数 and 询单转化率 say 统计中
  },
  {
    line: 6,
    agent: "飞鸽_小鹿",
    day: "2026-11-22",
    values: {
      receptions: { num: 85, den: 1 },
      response_3min_rate: { num: 93, den: 95 }, // 97.89% × 95 = 92.9955
      response_30s_rate: { num: 86, den: 95 }, // 90.53% × 95 = 86.0035
      first_response_time: { num: 1045, den: 95 },
      avg_response_time: { num: 2470, den: 95 },
      csat_rate: { num: 23, den: 25 },
      dissatisfaction_rate: { num: 1, den: 25 },
      review_rate: { num: 25, den: 85 },
      conversion_rate: { num: 10, den: 32 },
      sales_amount: { num: 3100, den: 1 },
      aov: { num: 3100, den: 10 },
      transfer_rate: { num: 1, den: 85 },
      leave_message_reply_rate: finished(0.9),
      online_hours: { num: 8, den: 1 },
    },
    pending: [],
  },
  {
    line: 7,
    agent: "飞鸽_阿杰",
    day: "2026-11-22",
    values: {
      receptions: { num: 70, den: 1 },
      response_3min_rate: { num: 72, den: 75 },
      response_30s_rate: { num: 63, den: 75 },
      first_response_time: { num: 1050, den: 75 },
      avg_response_time: { num: 2625, den: 75 },
      csat_rate: { num: 10, den: 12 }, // 83.33% × 12 = 9.9996
      dissatisfaction_rate: { num: 1, den: 12 }, // 8.33% × 12 = 0.9996
      review_rate: { num: 12, den: 70 },
      conversion_rate: { num: 7, den: 28 },
      sales_amount: { num: 1820, den: 1 },
      aov: { num: 1820, den: 7 },
      transfer_rate: { num: 3, den: 70 },
      online_hours: { num: 7, den: 1 },
    },
    pending: [],
  },
  {
    line: 8,
    agent: "飞鸽_晴天",
    day: "2026-11-22",
    values: {
      receptions: { num: 50, den: 1 },
      response_3min_rate: { num: 54, den: 55 }, // 98.18% × 55 = 53.999
      response_30s_rate: { num: 49, den: 55 },
      first_response_time: { num: 522.5, den: 55 }, // 9.5 s × 55
      avg_response_time: { num: 1650, den: 55 },
      csat_rate: { num: 7, den: 8 },
      dissatisfaction_rate: { num: 0, den: 8 },
      review_rate: { num: 8, den: 50 },
      conversion_rate: { num: 5, den: 18 },
      sales_amount: { num: 1000, den: 1 },
      aov: { num: 1000, den: 5 },
      transfer_rate: { num: 0, den: 50 },
      online_hours: { num: 6, den: 1 },
    },
    pending: [],
  },
  {
    line: 9,
    agent: "飞鸽_小鹿",
    day: "2026-11-23",
    values: {
      receptions: { num: 90, den: 1 },
      response_3min_rate: { num: 99, den: 100 },
      response_30s_rate: { num: 92, den: 100 },
      first_response_time: { num: 1000, den: 100 },
      avg_response_time: { num: 2400, den: 100 },
      csat_rate: { num: 28, den: 30 }, // 93.33% × 30 = 27.999
      dissatisfaction_rate: { num: 1, den: 30 },
      review_rate: { num: 30, den: 90 },
      conversion_rate: { num: 12, den: 35 },
      sales_amount: { num: 3600, den: 1 },
      aov: { num: 3600, den: 12 },
      transfer_rate: { num: 2, den: 90 },
      leave_message_reply_rate: finished(1),
      online_hours: { num: 8.5, den: 1 },
    },
    pending: [],
  },
  {
    line: 10,
    agent: "飞鸽_阿杰",
    day: "2026-11-23",
    values: {
      receptions: { num: 65, den: 1 },
      response_3min_rate: { num: 67, den: 70 }, // 95.71% × 70 = 66.997
      response_30s_rate: { num: 58, den: 70 },
      first_response_time: { num: 1120, den: 70 },
      avg_response_time: { num: 2660, den: 70 }, // 00:00:38 × 70
      csat_rate: { num: 7, den: 9 },
      dissatisfaction_rate: { num: 1, den: 9 },
      review_rate: { num: 9, den: 65 },
      conversion_rate: { num: 6, den: 24 },
      sales_amount: { num: 1500, den: 1 },
      aov: { num: 1500, den: 6 },
      transfer_rate: { num: 1, den: 65 },
      online_hours: { num: 7.5, den: 1 },
    },
    pending: [],
  },
  {
    line: 11,
    agent: "飞鸽_晴天",
    day: "2026-11-23",
    values: {
      receptions: { num: 55, den: 1 },
      response_3min_rate: { num: 60, den: 60 },
      response_30s_rate: { num: 55, den: 60 }, // 91.67% × 60 = 55.002
      first_response_time: { num: 480, den: 60 },
      avg_response_time: { num: 1620, den: 60 },
      csat_rate: { num: 9, den: 10 },
      dissatisfaction_rate: { num: 0, den: 10 },
      review_rate: { num: 10, den: 55 },
      conversion_rate: { num: 6, den: 20 },
      sales_amount: { num: 1260, den: 1 },
      aov: { num: 1260, den: 6 },
      transfer_rate: { num: 0, den: 55 },
      online_hours: { num: 6.5, den: 1 },
    },
    pending: [],
  },
];

describe("拼多多 customer-service exports", () => {
  it.each(["pdd-gbk.csv", "pdd.xlsx"])("reads %s by Pinduoduo's definitions", async (name) => {
    const batch = await parseFixture(name);
    expect(batch.kind).toBe("pdd");
    expect(batch.problems).toEqual([]);
    // 总计 above the agents and 平均 below them are skipped; 客服服务分 and 去退销售额 have no metric.
    expect(batch.ignoredColumns).toEqual(["序号", "客服服务分", "去退销售额(元)", "纠纷退款数"]);
    expect(batch.records).toEqual(PDD_RECORDS);
  });

  it("reads the other spellings: counts of answers, rates on 咨询人数, ratings, a finished 平台介入率", async () => {
    const batch = await parseText(
      [
        "店铺名,客服昵称,统计日期,咨询用户数,3分钟人工回复人数,3分钟人工回复率,30秒应答率,平均人工响应时长(分钟),询单人数,询单成团率,客服销售额,客单价,成团人数,评价人数,满意率,不满意率,平台介入率,转接人数",
        'pdd-shop,小美,2026/11/24,50,47,94.00%,80.00%,0.6,20,25.00%,"¥1,500.00",300,5,12,91.67%,8.33%,0.50%,2',
      ].join("\n"),
    );
    expect(batch.kind).toBe("pdd");
    expect(batch.problems).toEqual([]);
    expect(batch.records).toEqual([
      {
        line: 2,
        shop: "pdd-shop",
        agent: "小美",
        day: "2026-11-24",
        values: {
          receptions: { num: 50, den: 1 }, // no 人工接待人数: 咨询用户数
          response_3min_rate: { num: 47, den: 50 }, // answered within 3 minutes ÷ 咨询用户数
          response_30s_rate: { num: 40, den: 50 }, // 80.00% of 咨询用户数
          avg_response_time: finished(36), // 0.6 min, with no count of consultations answered
          conversion_rate: { num: 5, den: 20 }, // 成团人数 ÷ 询单人数
          sales_amount: { num: 1500, den: 1 },
          aov: { num: 1500, den: 5 },
          csat_rate: { num: 11, den: 12 }, // 91.67% × 12 = 11.0004
          dissatisfaction_rate: { num: 1, den: 12 },
          dispute_rate: finished(0.005),
          transfer_rate: { num: 2, den: 50 },
        },
        pending: [],
      },
    ]);
  });

  it("refuses more unanswered consultations than consultations that needed an answer", async () => {
    const batch = await parseText("客服账号,需要人工回复的咨询人数,3分钟未回复人数\n小美,10,12\n");
    expect(batch.records).toEqual([]);
    expect(batch.problems).toEqual([
      { line: 2, column: "3分钟未回复人数", value: "12", reason: "is more than 需要人工回复的咨询人数" },
    ]);
  });

  it("reads 平均人工响应时长 as minutes when bare, and as written otherwise", async () => {
    const batch = await parseText(
      "客服账号,平均人工响应时长,需要人工回复的咨询人数\na,0.37,100\nb,22秒,100\nc,1分钟,100\nd,00:45,100\ne,abc,100\n",
    );
    expect(batch.records.map((r) => [r.agent, r.values.avg_response_time])).toEqual([
      ["a", { num: 2220, den: 100 }],
      ["b", { num: 2200, den: 100 }],
      ["c", { num: 6000, den: 100 }],
      ["d", { num: 4500, den: 100 }],
    ]);
    expect(batch.problems).toEqual([
      { line: 6, column: "平均人工响应时长", value: "abc", reason: "is not a duration" },
    ]);
  });
});

describe("抖店 飞鸽 customer-service exports", () => {
  it.each(["douyin-utf8.csv", "douyin.xlsx"])("reads %s by Douyin's definitions", async (name) => {
    const batch = await parseFixture(name);
    expect(batch.kind).toBe("douyin");
    expect(batch.problems).toEqual([]);
    // 账号名称 is a second name for the agent (客服昵称 is read); 预警会话量 has no metric.
    expect(batch.ignoredColumns).toEqual(["账号名称", "预警会话量"]);
    expect(batch.records).toEqual(DOUYIN_RECORDS);
  });

  it("reads the other spellings: the people's 3-minute rate, 新平均响应时长, 下单人数, 留言人数", async () => {
    const batch = await parseText(
      [
        "店铺,客服账号,日期,人工已接待人数,3分钟人工回复率,平均首响时长,新平均响应时长,平均响应时长(秒),好评率,下单人数,下单转化率,询单人数,成交金额,留言人数,留言回复率,在线时长",
        "dy-shop,dy_小风,2026-11-24,40,95.00%,15秒,00:32,40,90.00%,8,40.00%,20,2400,10,90.00%,7小时30分",
      ].join("\n"),
    );
    expect(batch.kind).toBe("douyin");
    expect(batch.problems).toEqual([]);
    expect(batch.ignoredColumns).toEqual(["平均响应时长(秒)"]); // 新平均响应时长 is preferred
    expect(batch.records).toEqual([
      {
        line: 2,
        shop: "dy-shop",
        agent: "dy_小风",
        day: "2026-11-24",
        values: {
          receptions: { num: 40, den: 1 },
          response_3min_rate: { num: 38, den: 40 }, // no sessions: the people's rate of 人工已接待人数
          first_response_time: { num: 600, den: 40 },
          avg_response_time: { num: 1280, den: 40 }, // 00:32 is mm:ss
          csat_rate: finished(0.9), // no 评价人数 under it
          conversion_rate: { num: 8, den: 20 }, // 下单人数 stands in for 支付人数
          sales_amount: { num: 2400, den: 1 },
          aov: { num: 2400, den: 8 },
          leave_message_reply_rate: { num: 9, den: 10 },
          online_hours: { num: 7.5, den: 1 },
        },
        pending: [],
      },
    ]);
  });
});

describe("which export a header row is", () => {
  it.each([
    ["chitu-utf8-bom.csv", "chitu"],
    ["chitu-gbk.csv", "chitu"],
    ["chitu.xlsx", "chitu"],
    ["jd-gbk.csv", "jd"],
    ["jd.xlsx", "jd"],
    ["pdd-gbk.csv", "pdd"],
    ["pdd.xlsx", "pdd"],
    ["douyin-utf8.csv", "douyin"],
    ["douyin.xlsx", "douyin"],
  ])("detects %s as %s", async (name, kind) => {
    expect((await parseFixture(name)).kind).toBe(kind);
  });

  it("gives a row of headers both platforms use to 拼多多, and one 飞鸽 column to 抖店", async () => {
    const shared = "客服昵称,日期,满意率,不满意率,询单人数,询单转化率";
    const row = "小美,2026-11-24,90.00%,5.00%,20,25.00%";
    expect((await parseText(`${shared}\n${row}\n`)).kind).toBe("pdd");
    expect((await parseText(`${shared}\n${row}\n`, "douyin")).kind).toBe("douyin");
    expect((await parseText(`${shared},人工已接待会话量\n${row},30\n`)).kind).toBe("douyin");
  });
});
