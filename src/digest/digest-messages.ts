import type { Lang } from "../i18n/index.ts";
import type { DigestKind } from "./digest-config.ts";

/** What the team digests say, per language. Figures arrive formatted. */
export interface DigestMessages {
  title: (team: string, kind: DigestKind, period: string) => string;
  average: (average: string, change: string | undefined) => string;
  teamTotal: (total: string, grade: string) => string;
  grades: (counts: string) => string;
  resultsTitle: string;
  resultColumns: { metric: string; target: string; actual: string; change: string };
  boardTitle: (shown: number, of: number) => string;
  boardColumns: {
    place: string;
    agent: string;
    total: string;
    grade: string;
    change: string;
    coefficient: string;
  };
  anonymous: (place: number) => string;
  noCards: string;
  attentionTitle: string;
  attentionLine: (agent: string, grade: string, reasons: string) => string;
  attentionReason: (metric: string, actual: string, target: string) => string;
  attentionCount: (count: number) => string;
  followUps: (open: number, overdue: number) => string;
  soonest: (list: string) => string;
  noFollowUps: string;
  dsrFalling: (days: number, from: string, to: string) => string;
  revisionsTitle: string;
  revision: (agent: string, period: string, change: string, metrics: string) => string;
  revisionCount: (count: number) => string;
  chartTitle: (team: string, period: string) => string;
  chartAlt: (series: string, period: string) => string;
  averageSeries: string;
  footer: string;
  supervisorTitle: (team: string, period: string) => string;
  supervisorColumns: {
    agent: string;
    total: string;
    grade: string;
    coefficient: string;
    pay: string;
    weakest: string;
  };
}

const KIND_ZH: Record<DigestKind, string> = { daily: "日报", weekly: "周报", monthly: "月报" };
const KIND_EN: Record<DigestKind, string> = {
  daily: "daily digest",
  weekly: "weekly digest",
  monthly: "monthly digest",
};

const zhCN: DigestMessages = {
  title: (team, kind, period) => `${team} · ${KIND_ZH[kind]} · ${period}`,
  average: (average, change) => `团队平均分 ${average}${change ? `（较上期 ${change}）` : ""}`,
  teamTotal: (total, grade) => `全组合计得分 ${total}${grade ? ` ${grade}` : ""}`,
  grades: (counts) => `等级分布 ${counts}`,
  resultsTitle: "团队指标",
  resultColumns: { metric: "指标", target: "目标", actual: "实际", change: "较上期" },
  boardTitle: (shown, of) => (shown < of ? `排行榜（前 ${shown} 名，共 ${of} 人）` : `排行榜（${of} 人）`),
  boardColumns: {
    place: "#",
    agent: "客服",
    total: "总分",
    grade: "等级",
    change: "较上期",
    coefficient: "系数",
  },
  anonymous: (place) => `第${place}名`,
  noCards: "本期还没有成绩单（数据可能尚未拉取）。",
  attentionTitle: "需关注",
  attentionLine: (agent, grade, reasons) => `${agent} ${grade}${reasons ? `：${reasons}` : ""}`,
  attentionReason: (metric, actual, target) => `${metric} ${actual}（目标 ${target}）`,
  attentionCount: (count) => `${count} 人需关注，主管可发送 \`/kpi team\` 查看。`,
  followUps: (open, overdue) => `待跟进差评 ${open} 条${overdue > 0 ? `，其中 ${overdue} 条已超时` : ""}。`,
  soonest: (list) => `最近截止：${list}`,
  noFollowUps: "没有待跟进的差评。",
  dsrFalling: (days, from, to) =>
    `⚠ DSR 服务分已连续 ${days} 天下降（${from} → ${to}），请组织全组分析原因。`,
  revisionsTitle: "更正",
  revision: (agent, period, change, metrics) =>
    `${agent} ${period} ${change}${metrics ? `（${metrics}）` : ""}`,
  revisionCount: (count) => `已发布的 ${count} 项成绩因数据更新有变动，发送 \`/kpi me\` 查看自己的最新成绩。`,
  chartTitle: (team, period) => `${team} 趋势 ${period}`,
  chartAlt: (series, period) => `趋势图：${series}（${period}）`,
  averageSeries: "平均分",
  footer: "发送 `/kpi me` 查看个人成绩单，`/kpi followups` 查看待跟进差评。",
  supervisorTitle: (team, period) => `${team} · ${period} 全员成绩（主管专送）`,
  supervisorColumns: {
    agent: "客服",
    total: "总分",
    grade: "等级",
    coefficient: "系数",
    pay: "绩效工资",
    weakest: "最弱项",
  },
};

const en: DigestMessages = {
  title: (team, kind, period) => `${team} · ${KIND_EN[kind]} · ${period}`,
  average: (average, change) =>
    `Team average ${average}${change ? ` (${change} on the previous period)` : ""}`,
  teamTotal: (total, grade) => `Team as a whole ${total}${grade ? ` ${grade}` : ""}`,
  grades: (counts) => `Grades ${counts}`,
  resultsTitle: "Team results",
  resultColumns: { metric: "metric", target: "target", actual: "actual", change: "change" },
  boardTitle: (shown, of) => (shown < of ? `Leaderboard (top ${shown} of ${of})` : `Leaderboard (${of})`),
  boardColumns: {
    place: "#",
    agent: "agent",
    total: "total",
    grade: "grade",
    change: "change",
    coefficient: "coef.",
  },
  anonymous: (place) => `#${place}`,
  noCards: "No scorecards for this period yet (the figures may not have been pulled).",
  attentionTitle: "Needs attention",
  attentionLine: (agent, grade, reasons) => `${agent} ${grade}${reasons ? `: ${reasons}` : ""}`,
  attentionReason: (metric, actual, target) => `${metric} ${actual} (target ${target})`,
  attentionCount: (count) => `${count} need attention; supervisors can send \`/kpi team\` for the details.`,
  followUps: (open, overdue) =>
    `${open} bad review${open === 1 ? "" : "s"} to follow up${overdue > 0 ? `, ${overdue} overdue` : ""}.`,
  soonest: (list) => `Due soonest: ${list}`,
  noFollowUps: "No bad reviews are waiting for follow-up.",
  dsrFalling: (days, from, to) =>
    `⚠ The DSR service score has fallen ${days} days in a row (${from} → ${to}): analyse the causes with the whole team.`,
  revisionsTitle: "Revised",
  revision: (agent, period, change, metrics) =>
    `${agent} ${period} ${change}${metrics ? ` (${metrics})` : ""}`,
  revisionCount: (count) =>
    `${count} published score${count === 1 ? " was" : "s were"} revised by later figures; send \`/kpi me\` for your latest.`,
  chartTitle: (team, period) => `${team} trend ${period}`,
  chartAlt: (series, period) => `Trend chart: ${series} (${period})`,
  averageSeries: "average score",
  footer: "Send `/kpi me` for your scorecard, `/kpi followups` for open bad reviews.",
  supervisorTitle: (team, period) => `${team} · ${period}, every agent (for the supervisor)`,
  supervisorColumns: {
    agent: "agent",
    total: "total",
    grade: "grade",
    coefficient: "coef.",
    pay: "performance pay",
    weakest: "weakest item",
  },
};

export function digestMessagesFor(lang: Lang): DigestMessages {
  return lang === "en" ? en : zhCN;
}
