import type { ExportTable, Term } from "../export-table.ts";

/**
 * Chitu (赤兔) / Qianniu (千牛) customer-service performance export, Taobao and Tmall.
 * Rates are rebuilt on their natural counts: 回复率 on 接待人数, 询单→最终付款转化率 on
 * 询单人数; ratings from the five 服务满意度评价 counts when the file has them.
 */

const RATINGS = ["very_satisfied", "satisfied", "neutral", "dissatisfied", "very_dissatisfied"] as const;
const RATING_POINTS: readonly Term[] = RATINGS.map((key, i) => [key, 5 - i] as const);

export const CHITU: ExportTable = {
  kind: "chitu",
  title: "a Chitu / Qianniu customer-service export",
  columns: [
    { key: "agent", read: "text", headers: ["客服昵称", "客服旺旺", "旺旺", "客服"] },
    { key: "day", read: "day", headers: ["日期", "统计日期"] },
    { key: "shop", read: "text", headers: ["店铺", "店铺名称"] },
    { key: "receptions", read: "count", headers: ["接待人数"] },
    { key: "inquiries", read: "count", headers: ["询单人数"] },
    { key: "paying", read: "count", headers: ["最终付款人数", "询单->最终付款人数", "询单→最终付款人数"] },
    { key: "buyers", read: "count", headers: ["客服销售人数", "销售人数"] },
    { key: "transfers_out", read: "count", headers: ["转出人数"] },
    { key: "workdays", read: "count", headers: ["上班天数"] },
    {
      key: "avg_response_time",
      read: "seconds",
      headers: ["平均响应(秒)", "平均响应时长", "平均响应时长(秒)", "平均响应"],
    },
    { key: "first_response_time", read: "seconds", headers: ["首次响应(秒)", "首次响应时长", "首次响应"] },
    { key: "reply_rate", read: "share", headers: ["回复率"] },
    {
      key: "conversion_rate",
      read: "share",
      headers: ["询单->最终付款转化率", "询单→最终付款转化率", "询单转化率"],
    },
    { key: "review_rate", read: "share", headers: ["服务满意度评价参与率", "评价参与率"] },
    { key: "csat_rate", read: "share", headers: ["客户满意率", "服务满意度评价满意率"] },
    { key: "very_satisfied", read: "count", headers: ["服务满意度评价很满意"] },
    { key: "satisfied", read: "count", headers: ["服务满意度评价满意"] },
    { key: "neutral", read: "count", headers: ["服务满意度评价一般"] },
    { key: "dissatisfied", read: "count", headers: ["服务满意度评价不满", "服务满意度评价不满意"] },
    { key: "very_dissatisfied", read: "count", headers: ["服务满意度评价很不满", "服务满意度评价很不满意"] },
    { key: "sales_amount", read: "money", headers: ["客服销售额", "销售额"] },
    { key: "aov", read: "money", headers: ["客单价"] },
    { key: "qa_ratio", read: "ratio", headers: ["答问比"] },
    { key: "online_hours", read: "hours", headers: ["在线时长"] },
  ],
  recipes: [
    { metric: "receptions", from: [{ figure: "receptions", per: "workdays" }, { figure: "receptions" }] },
    {
      metric: "first_response_time",
      from: [{ mean: "first_response_time", of: "receptions" }, { finished: "first_response_time" }],
    },
    {
      metric: "avg_response_time",
      from: [{ mean: "avg_response_time", of: "receptions" }, { finished: "avg_response_time" }],
    },
    { metric: "reply_rate", from: [{ rate: "reply_rate", of: "receptions" }, { finished: "reply_rate" }] },
    {
      metric: "conversion_rate",
      from: [
        { sums: { num: ["paying"], den: ["inquiries"] } },
        { rate: "conversion_rate", of: "inquiries" },
        { finished: "conversion_rate" },
      ],
    },
    {
      metric: "review_rate",
      from: [
        { sums: { num: RATINGS, den: ["receptions"] } },
        { rate: "review_rate", of: "receptions" },
        { finished: "review_rate" },
      ],
    },
    {
      metric: "csat_rate",
      from: [{ sums: { num: ["very_satisfied", "satisfied"], den: RATINGS } }, { finished: "csat_rate" }],
    },
    { metric: "csat_score", from: [{ sums: { num: RATING_POINTS, den: RATINGS } }] },
    { metric: "transfer_rate", from: [{ sums: { num: ["transfers_out"], den: ["receptions"] } }] },
    { metric: "sales_amount", from: [{ figure: "sales_amount" }] },
    {
      metric: "aov",
      from: [
        { sums: { num: ["sales_amount"], den: ["buyers"] } },
        { mean: "aov", of: "buyers" },
        { mean: "aov", of: "paying" },
        { finished: "aov" },
      ],
    },
    { metric: "qa_ratio", from: [{ finished: "qa_ratio" }] },
    {
      metric: "online_hours",
      from: [{ figure: "online_hours", per: "workdays" }, { figure: "online_hours" }],
    },
  ],
};
