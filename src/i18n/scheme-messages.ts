import type { Aggregation, Dimension, Direction, Unit } from "../engine/index.ts";
import type { Lang } from "./index.ts";

/** What the bot says about metrics and targets (`explain`, `targets`), per language. */
export interface SchemeMessages {
  direction: Record<Direction, string>;
  dimension: Record<Dimension, string>;
  /** How the figure is made from its numerator and denominator, when no definition names them. */
  aggregation: Record<Aggregation, string>;
  kind: (dimension: string, direction: string) => string;
  computed: (num: string, den?: string) => string;
  aliases: (names: string) => string;
  yourItem: (role: string, target: string, weight: string, rule: string) => string;
  notInScheme: (role: string) => string;
  noScheme: (role: string) => string;
  /** The caller's figure in a period; `soFar` while the period runs. */
  actual: (period: string, figure: string, soFar: boolean) => string;
  noActual: (period: string, soFar: boolean) => string;
  unknownMetric: (name: string) => string;
  didYouMean: (names: string) => string;
  targetsTitle: (role: string, scheme: string) => string;
  columns: { metric: string; target: string; weight: string; rule: string };
  rule: {
    proportional: (cap: number) => string;
    passFail: string;
    /** Points off per display unit off target (per percentage point, per second, per long wait). */
    deduct: (points: number, unit: Unit, direction: Direction) => string;
    /** A supervisor-rated item: its levels and their scores ("优秀 100 / 良好 90 …"). */
    rated: (levels: string) => string;
  };
  /** A grade band: its floor (undefined for the bottom band, which is below `below`). */
  band: (
    grade: string,
    label: string | undefined,
    min: number | undefined,
    below: number,
    coefficient?: string,
  ) => string;
  bandSeparator: string;
  grades: (bands: string) => string;
  /** The coefficient is the total ÷ 100, between a floor and a ceiling. */
  linearCoefficient: (min: string | undefined, max: string | undefined) => string;
  teamScope: string;
  seasons: (names: string) => string;
}

/** "每差 1 个百分点": the unit a deduction counts in, as the documents say it. */
const UNIT_ZH: Record<Unit, string> = {
  percent: " 个百分点",
  permille: " 个千分点",
  seconds: " 秒",
  hours: " 小时",
  yuan: " 元",
  count: " 次",
  points: " 分",
};

const UNIT_EN: Record<Unit, string> = {
  percent: "percentage point",
  permille: "per-mille point",
  seconds: "second",
  hours: "hour",
  yuan: "yuan",
  count: "",
  points: "point",
};

const zhCN: SchemeMessages = {
  direction: { up: "越高越好 ↑", down: "越低越好 ↓" },
  dimension: { efficiency: "效率", quality: "质量", business: "业务", behaviour: "行为" },
  aggregation: {
    ratio: "分子 ÷ 分母，按百分比显示",
    mean: "总和 ÷ 次数（平均值）",
    count: "期间内的次数",
    amount: "期间内的金额",
    change: "本期 ÷ 上期 − 1（环比）",
  },
  kind: (dimension, direction) => `${dimension}指标，${direction}`,
  computed: (num, den) => (den ? `计算：${num} ÷ ${den}` : `计算：${num}`),
  aliases: (names) => `又称：${names}`,
  yourItem: (role, target, weight, rule) => `你的考核（${role}）：目标 ${target}，权重 ${weight}，${rule}`,
  notInScheme: (role) => `你的考核方案（${role}）不考核这个指标。`,
  noScheme: (role) => `还没有适用于「${role}」的考核方案。`,
  actual: (period, figure, soFar) =>
    soFar ? `你${thisPeriod(period)}（${period}）至今：${figure}` : `你在 ${period}：${figure}`,
  noActual: (period, soFar) =>
    soFar
      ? `你${thisPeriod(period)}（${period}）还没有这个指标的数据。`
      : `你在 ${period} 没有这个指标的数据。`,
  unknownMetric: (name) => `找不到指标「${name}」。`,
  didYouMean: (names) => `你是不是想找：${names}`,
  targetsTitle: (role, scheme) => `${role} 考核标准 · ${scheme}`,
  columns: { metric: "指标", target: "目标", weight: "权重", rule: "计分方法" },
  rule: {
    proportional: (cap) => `按完成比例计分，最高 ${cap} 分`,
    passFail: "达标得 100 分，未达标 0 分",
    deduct: (points, unit, direction) =>
      unit === "count"
        ? `每${direction === "down" ? "多" : "少"} 1 次扣 ${points} 分`
        : `每差 1${UNIT_ZH[unit]}扣 ${points} 分`,
    rated: (levels) => `主管每个考核期评定：${levels}`,
  },
  band: (grade, label, min, below, coefficient) =>
    `${label ? `${grade}（${label}）` : `${grade} `}${min === undefined ? `<${below}` : `≥${min}`} 分${coefficient ? `，系数 ${coefficient}` : ""}`,
  bandSeparator: "；",
  grades: (bands) => `等级：${bands}`,
  linearCoefficient: (min, max) =>
    `绩效系数 = 总分 ÷ 100${min || max ? `（${[min && `最低 ${min}`, max && `最高 ${max}`].filter(Boolean).join("，")}）` : ""}`,
  teamScope: "按全组汇总的数据计分。",
  seasons: (names) => `本月适用活动期规则：${names}`,
};

const en: SchemeMessages = {
  direction: { up: "higher is better ↑", down: "lower is better ↓" },
  dimension: { efficiency: "efficiency", quality: "quality", business: "business", behaviour: "behaviour" },
  aggregation: {
    ratio: "numerator ÷ denominator, shown as a percentage",
    mean: "sum ÷ count (an average)",
    count: "how many in the period",
    amount: "the amount in the period",
    change: "this period ÷ the previous one − 1",
  },
  kind: (dimension, direction) => `a ${dimension} metric, ${direction}`,
  computed: (num, den) => (den ? `Computed: ${num} ÷ ${den}` : `Computed: ${num}`),
  aliases: (names) => `Also called: ${names}`,
  yourItem: (role, target, weight, rule) =>
    `Your scheme (${role}): target ${target}, weight ${weight}, ${rule}`,
  notInScheme: (role) => `Your scheme (${role}) does not score this metric.`,
  noScheme: (role) => `No scheme is in force for "${role}" yet.`,
  actual: (period, figure, soFar) => `You in ${period}${soFar ? " so far" : ""}: ${figure}`,
  noActual: (period, soFar) => `No figures of yours for this metric in ${period}${soFar ? " yet" : ""}.`,
  unknownMetric: (name) => `Unknown metric "${name}".`,
  didYouMean: (names) => `Did you mean: ${names}`,
  targetsTitle: (role, scheme) => `${role} targets · ${scheme}`,
  columns: { metric: "metric", target: "target", weight: "weight", rule: "scoring" },
  rule: {
    proportional: (cap) => `in proportion, capped at ${cap}`,
    passFail: "100 if met, else 0",
    deduct: (points, unit, direction) =>
      unit === "count"
        ? `${points} points off for each one ${direction === "down" ? "over" : "short of"} the target`
        : `${points} points off per ${UNIT_EN[unit]} off the target`,
    rated: (levels) => `rated by the supervisor each assessed period: ${levels}`,
  },
  band: (grade, _label, min, below, coefficient) =>
    `${grade} ${min === undefined ? `below ${below}` : `≥${min}`}${coefficient ? `, coefficient ${coefficient}` : ""}`,
  bandSeparator: "; ",
  grades: (bands) => `Grades: ${bands}`,
  linearCoefficient: (min, max) =>
    `Coefficient = total ÷ 100${min || max ? ` (${[min && `at least ${min}`, max && `at most ${max}`].filter(Boolean).join(", ")})` : ""}`,
  teamScope: "Scored on the team's figures rolled up.",
  seasons: (names) => `In force this month: ${names}`,
};

export function schemeMessagesFor(lang: Lang): SchemeMessages {
  return lang === "en" ? en : zhCN;
}

/** 本月 / 本周 / 今天 / 本期 for a running period's key (2026-11, 2026-W48, 2026-11-23, …). */
function thisPeriod(key: string): string {
  if (/^\d{4}-\d{2}$/.test(key)) return "本月";
  if (/^\d{4}-W\d{2}$/.test(key)) return "本周";
  if (/^\d{4}-\d{2}-\d{2}$/.test(key)) return "今天";
  return "本期";
}
