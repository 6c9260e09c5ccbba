import type { Lang } from "./index.ts";

/**
 * What each built-in metric's numerator and denominator count, in words (../shared/domain.md,
 * docs/chatlog.md). A metric missing here (a scheme's own) is explained by its aggregation alone.
 * Rows: [zh numerator, zh denominator, en numerator, en denominator]; no denominator for counts
 * and amounts.
 */
type Row = readonly [zhNum: string, zhDen: string | null, enNum: string, enDen: string | null];

const DEFINITIONS: Readonly<Record<string, Row>> = {
  first_response_time: [
    "各会话首次回复用时之和",
    "会话数",
    "seconds to the first reply, summed over sessions",
    "sessions",
  ],
  avg_response_time: [
    "顾客消息到对应回复的间隔之和",
    "被回复的顾客消息数",
    "gaps between a customer message and its reply, summed",
    "replied customer messages",
  ],
  response_30s_rate: [
    "30 秒内首次人工回复的会话",
    "会话（不含转接、留言分配）",
    "sessions first answered within 30 s",
    "sessions (no transfers or left messages)",
  ],
  response_3min_rate: [
    "180 秒内回复的对话轮次",
    "对话轮次",
    "dialogue rounds answered within 180 s",
    "dialogue rounds",
  ],
  reply_rate: [
    "得到回复的咨询",
    "咨询（不含转接、留言）",
    "consultations answered",
    "consultations (no transfers or left messages)",
  ],
  effective_reply_rate: [
    "每段咨询都在 1 小时内得到回复的顾客",
    "顾客",
    "customers whose every run was answered within 1 h",
    "customers",
  ],
  leave_message_reply_rate: ["得到回复的留言", "留言", "left messages answered", "left messages"],
  qa_ratio: ["客服消息数", "顾客消息数", "agent messages", "customer messages"],
  long_wait_count: [
    "超过 5 分钟未回复的咨询",
    null,
    "consultations left over 5 minutes without a reply",
    null,
  ],
  receptions: ["接待的会话", "上班天数", "sessions handled", "days worked"],
  concurrent_sessions: [
    "每天最多同时接待的会话之和",
    "上班天数",
    "most sessions at once, summed over days",
    "days worked",
  ],
  resolution_rate: [
    "未转接、且结束后 72 小时内同一顾客未再咨询的会话",
    "会话",
    "sessions not transferred, with no new one from the customer within 72 h",
    "sessions",
  ],
  transfer_rate: [
    "非顾客要求而转接的会话",
    "会话",
    "sessions transferred (not at the customer's request)",
    "sessions",
  ],
  csat_rate: ["4 分及以上的评价", "评价", "ratings of 4 or more", "ratings"],
  csat_score: ["评分之和", "评价数", "sum of ratings", "ratings"],
  invite_rate: ["发出的评价邀请", "接待", "rating invitations sent", "receptions"],
  review_rate: ["收到的评价", "接待", "ratings received", "receptions"],
  complaint_rate: ["投诉", "接待", "complaints", "receptions"],
  complaints_per_mille: ["投诉", "订单（按千单）", "complaints", "orders (per thousand)"],
  escalation_rate: [
    "升级到主管或平台的投诉",
    "投诉",
    "complaints escalated to a supervisor or the platform",
    "complaints",
  ],
  bad_review_rate: ["差评", "评价", "bad reviews", "reviews"],
  dissatisfaction_rate: ["不满意的服务评价", "服务评价", "dissatisfied service ratings", "service ratings"],
  dispute_rate: [
    "变成平台纠纷（小二介入）的售后咨询",
    "售后咨询",
    "after-sales consultations that became disputes",
    "after-sales consultations",
  ],
  script_compliance: [
    "没有禁用话术的会话",
    "检查的会话",
    "sessions free of forbidden phrases",
    "sessions checked",
  ],
  reply_completeness: [
    "回复覆盖所有问题的抽检会话",
    "抽检会话",
    "sampled sessions answering every question",
    "sampled sessions",
  ],
  qa_script_compliance: [
    "质检判定话术规范的会话",
    "质检会话",
    "reviewed conversations whose wording passed",
    "reviewed conversations",
  ],
  qa_score: ["质检得分（0–100）之和", "质检会话", "QA scores (0–100), summed", "reviewed conversations"],
  dsr_service: ["DSR 服务态度分之和", "天数", "DSR service scores, summed", "days"],
  bad_review_recovery: [
    "跟进后修改或删除的差评",
    "服务原因的差评",
    "bad reviews changed or removed after follow-up",
    "service-caused bad reviews",
  ],
  conversion_rate: [
    "询单后在归因期内付款的顾客",
    "询单顾客",
    "inquiring customers who paid within the window",
    "inquiring customers",
  ],
  new_product_conversion: [
    "询问新品后付款的顾客",
    "询问新品的顾客",
    "customers asking about new products who paid",
    "such customers",
  ],
  sales_amount: [
    "服务顾客的付款金额（含货到付款下单金额）",
    null,
    "amounts paid by customers served (cash on delivery at order)",
    null,
  ],
  aov: ["销售额", "订单数", "sales", "orders"],
  aov_uplift: ["本期客单价", "上期客单价（再减 1）", "this period's AOV", "the previous period's (less 1)"],
  cross_sell_rate: ["含推荐搭配商品的订单", "订单", "orders with a recommended add-on", "orders"],
  repurchase_rate: [
    "30 天内再次购买的服务顾客",
    "服务顾客",
    "customers served who bought again within 30 days",
    "customers served",
  ],
  return_rate: ["退货订单", "订单", "returned orders", "orders"],
  return_audit_24h: ["24 小时内审核的退货", "退货", "returns audited within 24 h", "returns"],
  exchange_48h: ["48 小时内发出的换货", "换货", "exchanges shipped within 48 h", "exchanges"],
  payment_reminder_rate: [
    "10 分钟内回复的催付",
    "催付",
    "payment reminders answered within 10 min",
    "payment reminders",
  ],
  multi_order_rate: [
    "处理完成的多单合并咨询",
    "多单合并咨询",
    "multi-order consultations handled",
    "multi-order consultations",
  ],
  attendance_rate: ["出勤天数", "应出勤天数", "days present", "days scheduled"],
  online_hours: ["在线小时数", "上班天数", "hours online", "days worked"],
  training_participation: ["参加的培训", "安排的培训", "trainings attended", "trainings scheduled"],
  training_pass_rate: ["通过的培训考核", "培训考核", "training tests passed", "training tests"],
  product_knowledge_pass_rate: [
    "通过的产品知识考核",
    "产品知识考核",
    "product tests passed",
    "product tests",
  ],
  knowledge_contributions: ["知识库更新条数", null, "knowledge-base entries added", null],
  attrition_rate: ["离职人数", "组内人数", "people who left", "team members"],
  // Supervisor-rated items (docs/rules.md "Supervisor-rated items"): one rating per assessed period.
  teamwork: [
    "主管评定的分数之和（配合同事、分享经验、协助解决难题）",
    "评定的考核期数",
    "the supervisor's rated scores, summed (helping colleagues, sharing experience)",
    "periods rated",
  ],
  learning_growth: [
    "主管评定的分数之和（参加培训、话术库贡献、学习新知识）",
    "评定的考核期数",
    "the supervisor's rated scores, summed (training, script-library contributions, learning)",
    "periods rated",
  ],
  operation_accuracy: [
    "主管评定的分数之和（订单信息、改地址、退款等操作无误）",
    "评定的考核期数",
    "the supervisor's rated scores, summed (order details, address changes, refunds done right)",
    "periods rated",
  ],
  compliance: [
    "主管评定的分数之和（规章制度、服务流程、交接班制度）",
    "评定的考核期数",
    "the supervisor's rated scores, summed (rules, service procedures, shift handovers)",
    "periods rated",
  ],
};

export function metricDefinition(id: string, lang: Lang): { num: string; den?: string } | undefined {
  const row = DEFINITIONS[id];
  if (!row) return undefined;
  const [num, den] = lang === "en" ? [row[2], row[3]] : [row[0], row[1]];
  return den === null ? { num } : { num, den };
}
