/**
 * The metric catalogue: every KPI of ../shared/domain.md as data.
 *
 * Values travel as numerator and denominator (see value.ts) so that any roll-up is exact;
 * `aggregation` says what the pair means:
 * - ratio:   num ÷ den, shown as a percentage (or per mille);
 * - mean:    sum ÷ count (seconds per session, score per rating, sessions per day);
 * - count:   num is the figure (long waits, knowledge-base contributions);
 * - amount:  num is money;
 * - change:  period over period: (num/den) ÷ (base.num/base.den) − 1, e.g. AOV uplift.
 */

export type Direction = "up" | "down";
export type Dimension = "efficiency" | "quality" | "business" | "behaviour";
export type Unit = "percent" | "permille" | "seconds" | "hours" | "yuan" | "count" | "points";
export type Aggregation = "ratio" | "mean" | "count" | "amount" | "change";

export interface MetricDef {
  readonly id: string;
  readonly zh: string;
  readonly en: string;
  readonly unit: Unit;
  readonly direction: Direction;
  readonly dimension: Dimension;
  readonly aggregation: Aggregation;
  /** The denominator counts days: a plain number on a day's record is exact (sessions that day). */
  readonly perDay?: boolean;
  /** For `change` metrics: the metric whose period-over-period change this is. */
  readonly of?: string;
  /** Other names the platforms' exports and the documents use for it (column headers). */
  readonly aliases?: readonly string[];
}

type Row = [
  id: string,
  zh: string,
  en: string,
  unit: Unit,
  direction: Direction,
  aggregation: Aggregation,
  aliases?: readonly string[],
  perDay?: true,
];

const efficiency: Row[] = [
  [
    "first_response_time",
    "首次响应时间",
    "first response time",
    "seconds",
    "down",
    "mean",
    ["首响时间", "首响", "FRT"],
  ],
  [
    "avg_response_time",
    "平均响应时间",
    "average response time",
    "seconds",
    "down",
    "mean",
    ["平均响应", "ART"],
  ],
  ["response_30s_rate", "30秒应答率", "30-second response rate", "percent", "up", "ratio", ["30s应答率"]],
  ["response_3min_rate", "3分钟响应率", "3-minute response rate", "percent", "up", "ratio"],
  ["reply_rate", "回复率", "reply rate", "percent", "up", "ratio"],
  ["effective_reply_rate", "有效回复率", "effective reply rate", "percent", "up", "ratio"],
  ["leave_message_reply_rate", "留言回复率", "left-message reply rate", "percent", "up", "ratio"],
  ["qa_ratio", "问答比", "reply-to-question ratio", "percent", "up", "ratio", ["答问比"]],
  ["long_wait_count", "超时未回复", "long waits", "count", "down", "count", ["超5分钟未回复"]],
  ["receptions", "日均接待量", "daily receptions", "count", "up", "mean", ["接待量", "接待人数"], true],
  ["concurrent_sessions", "同时接待数", "concurrent sessions", "count", "up", "mean", ["最大同时接待"], true],
];

const quality: Row[] = [
  ["resolution_rate", "一次解决率", "one-contact resolution", "percent", "up", "ratio", ["问题解决率"]],
  ["transfer_rate", "转接率", "transfer rate", "percent", "down", "ratio"],
  ["csat_rate", "客户满意度", "CSAT", "percent", "up", "ratio", ["满意率", "满意度"]],
  ["csat_score", "会话满意度评分", "CSAT score", "points", "up", "mean", ["满意度评分"]],
  // 抖店飞鸽 and 拼多多 export 不满意率 beside 满意率: with 一般 between them, neither follows from the other.
  ["dissatisfaction_rate", "不满意率", "dissatisfied-rating rate", "percent", "down", "ratio"],
  ["invite_rate", "邀评率", "rating invitation rate", "percent", "up", "ratio"],
  ["review_rate", "评价率", "rating rate", "percent", "up", "ratio"],
  ["complaint_rate", "投诉率", "complaint rate", "percent", "down", "ratio"],
  ["complaints_per_mille", "千单投诉率", "complaints per thousand orders", "permille", "down", "ratio"],
  ["escalation_rate", "客诉升级率", "complaint escalation rate", "percent", "down", "ratio", ["升级投诉率"]],
  ["bad_review_rate", "差评率", "bad-review rate", "percent", "down", "ratio"],
  ["dispute_rate", "售后纠纷率", "after-sales dispute rate", "percent", "down", "ratio", ["纠纷率"]],
  ["script_compliance", "话术规范率", "script compliance", "percent", "up", "ratio", ["规范话术使用率"]],
  ["reply_completeness", "回复完整率", "reply completeness", "percent", "up", "ratio", ["完整回复率"]],
  // From quality review's ratings (docs/qa.md): the reviewer's verdict, not the analyser's phrase list.
  ["qa_script_compliance", "质检话术规范率", "QA script compliance", "percent", "up", "ratio"],
  ["qa_score", "质检得分", "QA score", "points", "up", "mean", ["质检分"]],
  ["dsr_service", "DSR服务态度分", "DSR service score", "points", "up", "mean", ["DSR服务分"]],
  ["bad_review_recovery", "差评挽回率", "bad-review recovery", "percent", "up", "ratio"],
  // Rated by the supervisor [003]: order details, address changes, refunds done without mistakes.
  ["operation_accuracy", "操作准确性", "operation accuracy", "points", "up", "mean"],
];

const business: Row[] = [
  ["conversion_rate", "咨询转化率", "conversion rate", "percent", "up", "ratio", ["询单转化率", "转化率"]],
  ["new_product_conversion", "新品咨询转化率", "new-product conversion", "percent", "up", "ratio"],
  ["sales_amount", "销售额", "sales", "yuan", "up", "amount", ["客服销售额"]],
  ["aov", "客单价", "average order value", "yuan", "up", "mean"],
  ["aov_uplift", "客单价提升率", "AOV uplift", "percent", "up", "change", ["客单价提升"]],
  ["cross_sell_rate", "关联销售率", "cross-sell rate", "percent", "up", "ratio"],
  ["repurchase_rate", "复购率", "repurchase rate", "percent", "up", "ratio", ["复购引导率"]],
  ["return_rate", "退货率", "return rate", "percent", "down", "ratio"],
  ["return_audit_24h", "退货审核时效", "returns audited within 24 h", "percent", "up", "ratio"],
  ["exchange_48h", "换货履约时效", "exchanges shipped within 48 h", "percent", "up", "ratio"],
  ["payment_reminder_rate", "催付响应率", "payment-reminder replies within 10 min", "percent", "up", "ratio"],
  ["multi_order_rate", "多单合并咨询处理率", "multi-order handling rate", "percent", "up", "ratio"],
];

const behaviour: Row[] = [
  ["attendance_rate", "出勤率", "attendance", "percent", "up", "ratio"],
  ["online_hours", "在线时长", "online hours per day", "hours", "up", "mean", [], true],
  ["training_participation", "培训参与", "training attendance", "percent", "up", "ratio", ["培训参与率"]],
  ["training_pass_rate", "培训考核通过率", "training pass rate", "percent", "up", "ratio"],
  [
    "product_knowledge_pass_rate",
    "产品知识考核通过率",
    "product-knowledge pass rate",
    "percent",
    "up",
    "ratio",
  ],
  ["knowledge_contributions", "知识库更新", "knowledge-base contributions", "count", "up", "count"],
  ["attrition_rate", "人员流失率", "attrition rate", "percent", "down", "ratio", ["流失率"]],
  // Rated by the supervisor (a scheme item with rule: rated): the figure is the rated level's
  // score, a mean over the periods rated (a quarter of monthly ratings: their mean).
  ["teamwork", "团队协作", "teamwork", "points", "up", "mean"],
  ["learning_growth", "学习成长", "learning and growth", "points", "up", "mean"],
  ["compliance", "遵章守纪", "compliance with rules and procedures", "points", "up", "mean"],
];

function define(dimension: Dimension, rows: Row[]): MetricDef[] {
  return rows.map(([id, zh, en, unit, direction, aggregation, aliases, perDay]) => ({
    id,
    zh,
    en,
    unit,
    direction,
    dimension,
    aggregation,
    ...(perDay ? { perDay } : {}),
    ...(aliases?.length ? { aliases } : {}),
    ...(aggregation === "change" ? { of: CHANGE_OF[id] } : {}),
  }));
}

const CHANGE_OF: Record<string, string> = { aov_uplift: "aov" };

export const BUILTIN_METRICS: readonly MetricDef[] = [
  ...define("efficiency", efficiency),
  ...define("quality", quality),
  ...define("business", business),
  ...define("behaviour", behaviour),
];

/** Metrics by id, Chinese name, English name and alias; a scheme may add its own. */
export class MetricCatalogue {
  private readonly byId = new Map<string, MetricDef>();
  private readonly byName = new Map<string, MetricDef>();

  constructor(defs: Iterable<MetricDef>) {
    for (const def of defs) this.add(def);
  }

  add(def: MetricDef): void {
    if (this.byId.has(def.id)) throw new Error(`metric ${def.id} is defined twice`);
    this.byId.set(def.id, def);
    for (const name of [def.id, def.zh, def.en, ...(def.aliases ?? [])]) {
      const key = nameKey(name);
      if (!this.byName.has(key)) this.byName.set(key, def);
    }
  }

  get(id: string): MetricDef | undefined {
    return this.byId.get(id);
  }

  /** Finds a metric by id or by any of its names, ignoring case, spaces and full-width forms. */
  find(name: string): MetricDef | undefined {
    return this.byId.get(name) ?? this.byName.get(nameKey(name));
  }

  all(): IterableIterator<MetricDef> {
    return this.byId.values();
  }

  extend(defs: Iterable<MetricDef>): MetricCatalogue {
    const copy = new MetricCatalogue(this.byId.values());
    for (const def of defs) copy.add(def);
    return copy;
  }
}

function nameKey(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_\-()（）]/g, "");
}

export const builtinCatalogue = new MetricCatalogue(BUILTIN_METRICS);
