import type { ExportTable } from "../export-table.ts";

/**
 * JD Dongdong (京东咚咚) customer-service export, by JD's definitions (seed 004): 30秒应答率
 * and 回复率 are shares of 咨询量; 邀评率 and 评价率 shares of 接待量; 满意率 a share of
 * 评价量; 转化率 converting customers ÷ 询单人数. Exact counts are used when the file has them.
 */

export const JD: ExportTable = {
  kind: "jd",
  title: "a JD Dongdong (京东咚咚) customer-service export",
  columns: [
    { key: "agent", read: "text", headers: ["客服账号", "客服", "客服名称", "客服昵称", "咚咚账号", "账号"] },
    { key: "day", read: "day", headers: ["日期", "统计日期"] },
    { key: "shop", read: "text", headers: ["店铺", "店铺名称"] },
    { key: "consultations", read: "count", headers: ["咨询量", "咨询人数"] },
    { key: "receptions", read: "count", headers: ["接待量", "接待人数"] },
    { key: "answered_30s", read: "count", headers: ["30秒应答量", "30s应答量"] },
    { key: "unanswered", read: "count", headers: ["未回复量", "未回复数"] },
    { key: "agent_messages", read: "count", headers: ["客服消息数"] },
    { key: "customer_messages", read: "count", headers: ["顾客消息数", "买家消息数"] },
    { key: "invites", read: "count", headers: ["邀评量", "邀评数"] },
    { key: "reviews", read: "count", headers: ["评价量", "评价数"] },
    { key: "satisfied", read: "count", headers: ["满意量", "满意评价量", "满意数"] },
    { key: "transfers", read: "count", headers: ["转接量", "转出量"] },
    { key: "leave_messages", read: "count", headers: ["留言量", "留言分配量"] },
    { key: "leave_replies", read: "count", headers: ["留言回复量"] },
    { key: "inquiries", read: "count", headers: ["询单人数", "询单量"] },
    { key: "converted", read: "count", headers: ["最终付款人数", "付款人数", "下单人数"] },
    {
      key: "first_response_time",
      read: "seconds",
      headers: ["首次响应时长", "平均首次响应时长", "首次响应时长(秒)", "首次响应时间", "首响时长"],
    },
    {
      key: "avg_response_time",
      read: "seconds",
      headers: ["平均响应时长", "平均响应时长(秒)", "平均响应时间"],
    },
    { key: "response_30s_rate", read: "share", headers: ["30秒应答率", "30s应答率"] },
    { key: "reply_rate", read: "share", headers: ["回复率"] },
    { key: "qa_ratio", read: "ratio", headers: ["问答比", "答问比"] },
    { key: "invite_rate", read: "share", headers: ["邀评率"] },
    { key: "review_rate", read: "share", headers: ["评价率"] },
    { key: "csat_rate", read: "share", headers: ["满意率", "满意度"] },
    { key: "transfer_rate", read: "share", headers: ["转接率"] },
    { key: "leave_message_reply_rate", read: "share", headers: ["留言回复率"] },
    {
      key: "conversion_rate",
      read: "share",
      headers: [
        "询单->最终付款转化率",
        "询单→最终付款转化率",
        "询单转化率",
        "下单转化率",
        "询单->下单转化率",
      ],
    },
    { key: "sales_amount", read: "money", headers: ["销售额", "客服销售额", "出库金额"] },
    { key: "aov", read: "money", headers: ["客单价"] },
  ],
  recipes: [
    { metric: "receptions", from: [{ figure: "receptions" }, { figure: "consultations" }] },
    {
      metric: "first_response_time",
      from: [
        { mean: "first_response_time", of: "consultations" },
        { mean: "first_response_time", of: "receptions" },
        { finished: "first_response_time" },
      ],
    },
    {
      metric: "avg_response_time",
      from: [
        { mean: "avg_response_time", of: "consultations" },
        { mean: "avg_response_time", of: "receptions" },
        { finished: "avg_response_time" },
      ],
    },
    {
      metric: "response_30s_rate",
      from: [
        { sums: { num: ["answered_30s"], den: ["consultations"] } },
        { rate: "response_30s_rate", of: "consultations" },
        { finished: "response_30s_rate" },
      ],
    },
    {
      metric: "reply_rate",
      from: [
        { sums: { num: ["consultations", ["unanswered", -1]], den: ["consultations"] } },
        { rate: "reply_rate", of: "consultations" },
        { rate: "reply_rate", of: "receptions" },
        { finished: "reply_rate" },
      ],
    },
    {
      metric: "qa_ratio",
      from: [{ sums: { num: ["agent_messages"], den: ["customer_messages"] } }, { finished: "qa_ratio" }],
    },
    {
      metric: "invite_rate",
      from: [
        { sums: { num: ["invites"], den: ["receptions"] } },
        { rate: "invite_rate", of: "receptions" },
        { finished: "invite_rate" },
      ],
    },
    {
      metric: "review_rate",
      from: [
        { sums: { num: ["reviews"], den: ["receptions"] } },
        { rate: "review_rate", of: "receptions" },
        { finished: "review_rate" },
      ],
    },
    {
      metric: "csat_rate",
      from: [
        { sums: { num: ["satisfied"], den: ["reviews"] } },
        { rate: "csat_rate", of: "reviews" },
        { finished: "csat_rate" },
      ],
    },
    {
      metric: "transfer_rate",
      from: [
        { sums: { num: ["transfers"], den: ["consultations"] } },
        { rate: "transfer_rate", of: "consultations" },
        { finished: "transfer_rate" },
      ],
    },
    {
      metric: "leave_message_reply_rate",
      from: [
        { sums: { num: ["leave_replies"], den: ["leave_messages"] } },
        { rate: "leave_message_reply_rate", of: "leave_messages" },
        { finished: "leave_message_reply_rate" },
      ],
    },
    {
      metric: "conversion_rate",
      from: [
        { sums: { num: ["converted"], den: ["inquiries"] } },
        { rate: "conversion_rate", of: "inquiries" },
        { finished: "conversion_rate" },
      ],
    },
    { metric: "sales_amount", from: [{ figure: "sales_amount" }] },
    { metric: "aov", from: [{ mean: "aov", of: "converted" }, { finished: "aov" }] },
  ],
};
