import type { ExportTable } from "../export-table.ts";

/**
 * 抖店 飞鸽 客服数据 export (Douyin shops, per 客服 and day). 飞鸽 counts both people and sessions:
 * its 3分钟人工回复率 (会话) is a share of 人工已接待会话量, the plain 3分钟人工回复率 one of
 * 人工已接待人数; 满意率 and 不满意率 are shares of 评价人数; 询单转化率 is 支付人数 ÷ 询单人数.
 * Durations are in seconds. Which texts were seen where, and how sure each reading is:
 * docs/imports.md.
 */

export const DOUYIN: ExportTable = {
  kind: "douyin",
  title: "a 抖店 飞鸽 (Douyin) customer-service export",
  columns: [
    { key: "agent", read: "text", headers: ["客服昵称", "客服账号", "账号名称", "客服"] },
    { key: "day", read: "day", headers: ["日期", "统计日期"] },
    { key: "shop", read: "text", headers: ["店铺名称", "店铺"] },
    { key: "receptions", read: "count", headers: ["人工已接待人数", "人工接待人数", "接待人数"] },
    { key: "sessions", read: "count", headers: ["人工已接待会话量", "人工接待会话量", "接待会话量"] },
    { key: "consultations", read: "count", headers: ["咨询人数"] },
    { key: "raters", read: "count", headers: ["评价人数"] },
    { key: "inquiries", read: "count", headers: ["询单人数"] },
    { key: "paying", read: "count", headers: ["支付人数", "询单支付人数", "付款人数", "下单人数"] },
    { key: "transfers", read: "count", headers: ["转接人数", "转出人数"] },
    { key: "leave_messages", read: "count", headers: ["留言人数", "留言量"] },
    {
      key: "response_3min_rate",
      read: "share",
      headers: ["3分钟人工回复率(会话)", "3分钟回复率(会话)"],
    },
    { key: "response_3min_people_rate", read: "share", headers: ["3分钟人工回复率", "3分钟回复率"] },
    { key: "response_30s_rate", read: "share", headers: ["30秒应答率", "30s应答率"] },
    {
      key: "first_response_time",
      read: "seconds",
      headers: ["首次响应时长(秒)", "首次响应时长", "平均首响时长", "平均首次响应时长"],
    },
    {
      key: "avg_response_time",
      read: "seconds",
      headers: ["新平均响应时长(秒)", "新平均响应时长", "平均响应时长(秒)", "平均响应时长"],
    },
    { key: "csat_rate", read: "share", headers: ["满意率", "好评率"] },
    { key: "dissatisfaction_rate", read: "share", headers: ["不满意率"] },
    { key: "conversion_rate", read: "share", headers: ["询单转化率", "下单转化率"] },
    { key: "sales_amount", read: "money", headers: ["客服销售额(元)", "客服销售额", "成交金额"] },
    { key: "aov", read: "money", headers: ["客单价"] },
    { key: "leave_message_reply_rate", read: "share", headers: ["留言回复率"] },
    { key: "online_hours", read: "hours", headers: ["在线时长", "PC在线时长(时)", "PC在线时长"] },
  ],
  recipes: [
    {
      metric: "receptions",
      from: [{ figure: "receptions" }, { figure: "sessions" }, { figure: "consultations" }],
    },
    {
      // The sessions' rate first (what the 体验分 uses), else the people's.
      metric: "response_3min_rate",
      from: [
        { rate: "response_3min_rate", of: "sessions" },
        { rate: "response_3min_people_rate", of: "receptions" },
        { finished: "response_3min_rate" },
        { finished: "response_3min_people_rate" },
      ],
    },
    {
      // A share of the sessions received, as JD's is of its consultations.
      metric: "response_30s_rate",
      from: [
        { rate: "response_30s_rate", of: "sessions" },
        { rate: "response_30s_rate", of: "receptions" },
        { finished: "response_30s_rate" },
      ],
    },
    {
      // Means over sessions (first replies) and replies; weighed by the sessions received.
      metric: "first_response_time",
      from: [
        { mean: "first_response_time", of: "sessions" },
        { mean: "first_response_time", of: "receptions" },
        { finished: "first_response_time" },
      ],
    },
    {
      metric: "avg_response_time",
      from: [
        { mean: "avg_response_time", of: "sessions" },
        { mean: "avg_response_time", of: "receptions" },
        { finished: "avg_response_time" },
      ],
    },
    // Shares of the customers who rated the service (评价人数).
    { metric: "csat_rate", from: [{ rate: "csat_rate", of: "raters" }, { finished: "csat_rate" }] },
    {
      metric: "dissatisfaction_rate",
      from: [{ rate: "dissatisfaction_rate", of: "raters" }, { finished: "dissatisfaction_rate" }],
    },
    { metric: "review_rate", from: [{ sums: { num: ["raters"], den: ["receptions"] } }] },
    {
      // 支付人数 ÷ 询单人数.
      metric: "conversion_rate",
      from: [
        { sums: { num: ["paying"], den: ["inquiries"] } },
        { rate: "conversion_rate", of: "inquiries" },
        { finished: "conversion_rate" },
      ],
    },
    { metric: "sales_amount", from: [{ figure: "sales_amount" }] },
    {
      metric: "aov",
      from: [
        { sums: { num: ["sales_amount"], den: ["paying"] } },
        { mean: "aov", of: "paying" },
        { finished: "aov" },
      ],
    },
    { metric: "transfer_rate", from: [{ sums: { num: ["transfers"], den: ["receptions"] } }] },
    {
      metric: "leave_message_reply_rate",
      from: [
        { rate: "leave_message_reply_rate", of: "leave_messages" },
        { finished: "leave_message_reply_rate" },
      ],
    },
    { metric: "online_hours", from: [{ figure: "online_hours" }] },
  ],
};
