import type { PeriodKind } from "../engine/index.ts";
import type { Messages } from "./messages.ts";

/** The period before, as a 主管 says it: 较上月 (环比). */
const BEFORE: Record<PeriodKind, string> = {
  day: "前一天",
  week: "上周",
  fortnight: "上一个双周",
  month: "上月",
  quarter: "上季度",
  year: "上一年",
};

const PERIOD: Record<PeriodKind, string> = {
  day: "日",
  week: "周",
  fortnight: "双周",
  month: "月",
  quarter: "季度",
  year: "年",
};

export const zhCN: Messages = {
  lang: "zh-CN",
  columns: {
    metric: "指标",
    target: "目标值",
    actual: "实际",
    score: "单项得分",
    weight: "权重",
    weighted: "加权得分",
  },
  status: {
    missing: "无数据",
    "no-data": "无样本",
    "not-combinable": "不可汇总",
    "awaiting-rating": "等待主管评分",
  },
  ratedPerPeriod: (assessment) => `主管按${PERIOD[assessment]}评分`,
  awaitingRating: (items) => `等待主管评分：${items.join("、")}；评分后才计总分、等级和绩效系数`,
  awaitingRatingOf: (agents, items) =>
    `等待主管评分（${items.join("、")}）：${agents.join("、")}；评分后才计总分、等级、排名和绩效系数`,
  awaitingRatingCount: (count, items) =>
    `等待主管评分（${items.join("、")}）：${count} 人；评分后才计总分、等级、排名和绩效系数`,
  pendingFigure: "延迟统计",
  heading: (agent, role, period, scheme) => `${agent} · ${role} · ${period} · 方案 ${scheme}`,
  seasons: (names) => `本期适用活动期规则：${names.join("、")}`,
  summary: (total, grade, coefficient) => `总分 ${total} → ${grade}，绩效系数 ${coefficient}`,
  unscorable: "本期没有可计分的指标",
  watched: (assessment) => `按${PERIOD[assessment]}考核：本期只看各项是否达标，不计总分、等级和绩效系数`,
  belowCoverage: (coverage, minimum) =>
    `有数据的指标只占权重的 ${coverage}%（至少需要 ${minimum}%），本期不评定总分和等级`,
  change: (delta, kind, previous) => {
    const before = `${BEFORE[kind]}${previous ? `（${previous}）` : ""}`;
    if (delta === 0) return `与${before}持平`;
    return `较${before}${delta > 0 ? "提高" : "下降"} ${Math.abs(delta)} 分`;
  },
  pay: (total, base, performance, bonus) =>
    `薪酬 ${total}（基本工资 ${base} + 绩效工资 ${performance} + 业绩奖金 ${bonus}）`,
  lift: (metric, from, to, grade, next) => `${metric} ${from}→${to}，可从 ${grade} 升到 ${next}`,
  noSingleLift: (next, gap) => `距 ${next} 还差 ${gap} 分，单靠任何一项都不够，需要多项一起提升`,
  together: (lifts, grade, next) =>
    `单靠任何一项都不够；${lifts.join("、")}一起达到，可从 ${grade} 升到 ${next}`,
  outOfReach: (next, gap) => `距 ${next} 还差 ${gap} 分，本期各项即使做到最好也达不到`,
  topGrade: (grade) => `已是最高等级 ${grade}`,
  seasonDays: (season, first, last) => `${season}（${first} 至 ${last}）`,
  split: (metric, parts, score) => `${metric}分段计分：${parts.join("；")}；按量加权得 ${score} 分`,
  splitPart: (days, seasons, target, actual, score, volume) =>
    `${days}${seasons ? `（${seasons}）` : ""} 目标 ${target}，实际 ${actual}，得分 ${score}，样本量 ${volume}`,
  correctedOnAppeal: (metrics) => `† 已申诉更正：${metrics}`,
  pendingNote: "* 尚未最终确定（延迟统计的转化，或 72 小时内可能变化的解决率），数据补齐后会更新",
  notCombinable: (metric, needs) =>
    needs.length
      ? `${metric} 不可汇总：导出缺少 ${needs.join("、")}，只有逐日的成品比率，无法精确合计，本项不计分（补上这些列后重新导入即可）`
      : `${metric} 不可汇总：导出只有逐日的成品比率，没有其分母，无法精确合计，本项不计分`,
  approximate: (metric, count) => `≈ ${metric} 按 ${count} 加权估算（导出缺少其本身的分母），仅供参考`,
  payFactors: (base, performance, bonus, extra) =>
    `薪酬：基本工资按出勤系数 ${base}，绩效工资按绩效系数 ${performance}，业绩奖金按奖金系数 ${bonus}${extra ? `，另有超额奖励 ${extra}` : ""}`,
};
