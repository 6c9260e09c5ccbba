import type { ExportTable } from "../export-table.ts";

/**
 * 拼多多商家后台 客服数据 / 客服绩效 export (多多客服, per 客服账号 and day). Pinduoduo counts people,
 * once a day each: its 3分钟人工回复率 and 30秒应答率 are shares of the consultations that needed a
 * human reply (需要人工回复的咨询人数), 8:00–23:00, not of receptions; 询单转化率 is 最终成团人数 ÷ 询单人数.
 * 平均人工响应时长 is shown in minutes (0.37 分钟), so a bare number is read as minutes. Which texts
 * were seen where, and how sure each reading is: docs/imports.md.
 */

export const PDD: ExportTable = {
  kind: "pdd",
  title: "a 拼多多 (Pinduoduo) customer-service export",
  columns: [
    { key: "agent", read: "text", headers: ["客服账号", "客服昵称", "客服"] },
    { key: "day", read: "day", headers: ["日期", "统计日期"] },
    { key: "shop", read: "text", headers: ["店铺", "店铺名称", "店铺名"] },
    { key: "consultations", read: "count", headers: ["咨询人数", "咨询用户数"] },
    {
      key: "needs_reply",
      read: "count",
      headers: ["需要人工回复的咨询人数", "需人工回复的咨询人数", "需人工回复咨询人数"],
    },
    { key: "receptions", read: "count", headers: ["人工接待人数", "接待人数"] },
    { key: "unanswered_3min", read: "count", headers: ["3分钟未回复人数", "3分钟人工未回复人数"] },
    { key: "answered_3min", read: "count", headers: ["3分钟人工回复人数"] },
    { key: "inquiries", read: "count", headers: ["询单人数"] },
    { key: "paying", read: "count", headers: ["最终成团人数", "询单成团人数", "成团人数", "付款人数"] },
    { key: "raters", read: "count", headers: ["评价人数"] },
    { key: "low_scores", read: "count", headers: ["评分≤3订单数", "评分<=3订单数"] },
    { key: "scored_orders", read: "count", headers: ["评分数", "评分订单数"] },
    { key: "complaints", read: "count", headers: ["投诉数", "投诉人数"] },
    { key: "transfers", read: "count", headers: ["转接人数", "转出人数"] },
    {
      key: "response_3min_rate",
      read: "share",
      headers: ["3分钟人工回复率(8-23点)", "3分钟人工回复率", "3分钟回复率", "3分钟人工回复率(全天)"],
    },
    {
      key: "response_30s_rate",
      read: "share",
      headers: ["30秒应答率(8-23点)", "30秒应答率", "30s应答率", "30秒应答率(全天)"],
    },
    {
      key: "avg_response_time",
      read: "minutes",
      headers: [
        "平均人工响应时长",
        "平均人工响应时长(分钟)",
        "平均人工响应时长(分)",
        "平均响应时长(分钟)",
        "平均响应时长(分)",
      ],
    },
    { key: "conversion_rate", read: "share", headers: ["询单转化率", "询单成团率"] },
    { key: "sales_amount", read: "money", headers: ["客服销售额", "客服销售额(元)", "销售额"] },
    { key: "aov", read: "money", headers: ["客单价"] },
    { key: "csat_rate", read: "share", headers: ["满意率", "客服满意率", "好评率"] },
    { key: "dissatisfaction_rate", read: "share", headers: ["不满意率"] },
    { key: "bad_review_rate", read: "share", headers: ["评分≤3率", "评分<=3率"] },
    { key: "dispute_rate", read: "share", headers: ["平台介入率", "纠纷退款率", "介入率"] },
  ],
  recipes: [
    { metric: "receptions", from: [{ figure: "receptions" }, { figure: "consultations" }] },
    {
      // Consultations that needed a human and had one within 3 minutes ÷ those consultations;
      // 咨询人数 stands in for them when the file lacks 需要人工回复的咨询人数.
      metric: "response_3min_rate",
      from: [
        { sums: { num: ["needs_reply", ["unanswered_3min", -1]], den: ["needs_reply"] } },
        { sums: { num: ["answered_3min"], den: ["needs_reply"] } },
        { rate: "response_3min_rate", of: "needs_reply" },
        { sums: { num: ["consultations", ["unanswered_3min", -1]], den: ["consultations"] } },
        { sums: { num: ["answered_3min"], den: ["consultations"] } },
        { rate: "response_3min_rate", of: "consultations" },
        { finished: "response_3min_rate" },
      ],
    },
    {
      // A share of the consultations that needed a human reply, like the 3-minute rate.
      metric: "response_30s_rate",
      from: [
        { rate: "response_30s_rate", of: "needs_reply" },
        { rate: "response_30s_rate", of: "consultations" },
        { finished: "response_30s_rate" },
      ],
    },
    {
      // A mean over replies; weighed by the consultations a human answered, as the file has no
      // count of replies.
      metric: "avg_response_time",
      from: [
        { mean: "avg_response_time", of: "needs_reply" },
        { mean: "avg_response_time", of: "receptions" },
        { finished: "avg_response_time" },
      ],
    },
    {
      // 最终成团人数 ÷ 询单人数 (162 of 438 is the 36.99% Pinduoduo shows).
      metric: "conversion_rate",
      from: [
        { sums: { num: ["paying"], den: ["inquiries"] } },
        { rate: "conversion_rate", of: "inquiries" },
        { finished: "conversion_rate" },
      ],
    },
    { metric: "sales_amount", from: [{ figure: "sales_amount" }] },
    {
      // 客服销售额 per 最终成团 customer.
      metric: "aov",
      from: [
        { sums: { num: ["sales_amount"], den: ["paying"] } },
        { mean: "aov", of: "paying" },
        { finished: "aov" },
      ],
    },
    // Shares of the customers who rated the service (评价人数).
    { metric: "csat_rate", from: [{ rate: "csat_rate", of: "raters" }, { finished: "csat_rate" }] },
    {
      metric: "dissatisfaction_rate",
      from: [{ rate: "dissatisfaction_rate", of: "raters" }, { finished: "dissatisfaction_rate" }],
    },
    {
      // Orders scored 3 or less ÷ orders scored, of the agent's customers.
      metric: "bad_review_rate",
      from: [
        { sums: { num: ["low_scores"], den: ["scored_orders"] } },
        { rate: "bad_review_rate", of: "scored_orders" },
        { finished: "bad_review_rate" },
      ],
    },
    // Pinduoduo works these out over the shop's orders, which the export does not give.
    { metric: "dispute_rate", from: [{ finished: "dispute_rate" }] },
    {
      metric: "complaint_rate",
      from: [
        { sums: { num: ["complaints"], den: ["receptions"] } },
        { sums: { num: ["complaints"], den: ["consultations"] } },
      ],
    },
    {
      metric: "transfer_rate",
      from: [
        { sums: { num: ["transfers"], den: ["receptions"] } },
        { sums: { num: ["transfers"], den: ["consultations"] } },
      ],
    },
  ],
};
