import type { Messages } from "./messages.ts";

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
  status: { missing: "无数据", "no-data": "无样本" },
  heading: (agent, role, period, scheme) => `${agent} · ${role} · ${period} · 方案 ${scheme}`,
  seasons: (names) => `本期适用：${names.join("、")}`,
  summary: (total, grade, coefficient) => `总分 ${total} → ${grade}，绩效系数 ${coefficient}`,
  unscorable: "本期没有可计分的指标",
  pay: (total, base, performance, bonus) =>
    `薪酬 ${total}（基本 ${base} + 绩效 ${performance} + 奖金 ${bonus}）`,
  lift: (metric, from, to, grade, next) => `${metric} ${from}→${to}，可从 ${grade} 升到 ${next}`,
  noSingleLift: (next, gap) => `距 ${next} 还差 ${gap} 分，单靠任何一项都不够，需要多项一起提升`,
  topGrade: (grade) => `已是最高等级 ${grade}`,
};
