import type { Lang } from "../i18n/index.ts";
import type { DigestKind } from "./digest-config.ts";

/** What the team digests say, per language. Figures arrive formatted. */
export interface DigestMessages {
  title: (team: string, kind: DigestKind, period: string) => string;
  /** `change`: on the period before, in words (i18n's change). */
  average: (average: string, change: string | undefined) => string;
  teamTotal: (total: string, grade: string) => string;
  grades: (counts: readonly (readonly [grade: string, agents: number])[]) => string;
  /** A rate's change in percentage points, signed ("+0.8"); "0" when it did not move. */
  points: (signed: string) => string;
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
  /** Beside a metric a revision names, when an accepted appeal corrected it. */
  appealed: string;
  /** A watched digest (a day or a week of a monthly scheme) says why it shows no grades. */
  watchHeadline: (kind: DigestKind) => string;
  watchTitle: string;
  watchColumns: { metric: string; target: string; team: string; offTarget: string };
  allOnTarget: string;
  offTargetCount: (count: number) => string;
  /** A board's group of new hires on probation. */
  probation: (role: string) => string;
  /** What a * after a name or figure means. */
  pendingNote: string;
  chartTitle: (team: string, period: string) => string;
  chartAlt: (series: string, period: string) => string;
  footer: string;
  supervisorTitle: (team: string, period: string) => string;
  supervisorColumns: {
    agent: string;
    total: string;
    grade: string;
    coefficient: string;
    baseFactor: string;
    bonusFactor: string;
    extra: string;
    pay: string;
    weakest: string;
  };
  /** How the pay columns are read (seed 002's split). */
  paySplitNote: string;
}

const KIND_ZH: Record<DigestKind, string> = { daily: "日报", weekly: "周报", monthly: "月报" };
const KIND_EN: Record<DigestKind, string> = {
  daily: "daily digest",
  weekly: "weekly digest",
  monthly: "monthly digest",
};

const zhCN: DigestMessages = {
  title: (team, kind, period) => `${team} · ${KIND_ZH[kind]} · ${period}`,
  average: (average, change) => `团队平均分 ${average}${change ? `，${change}` : ""}`,
  teamTotal: (total, grade) => `团队整体得分 ${total}${grade ? `（${grade}）` : ""}`,
  grades: (counts) => `等级分布：${counts.map(([grade, n]) => `${grade} ${n} 人`).join("、")}`,
  points: (signed) => (signed === "0" ? "持平" : `${signed} 个百分点`),
  resultsTitle: "团队整体指标",
  resultColumns: { metric: "指标", target: "目标", actual: "实际", change: "较上期" },
  boardTitle: (shown, of) => (shown < of ? `排行榜（前 ${shown} 名，共 ${of} 人）` : `排行榜（${of} 人）`),
  boardColumns: {
    place: "名次",
    agent: "客服",
    total: "总分",
    grade: "等级",
    change: "较上期",
    coefficient: "绩效系数",
  },
  anonymous: (place) => `第${place}名`,
  noCards: "本期还没有考核结果（数据可能还没导入）。",
  attentionTitle: "需关注",
  attentionLine: (agent, grade, reasons) => `${agent} ${grade}${reasons ? `：${reasons}` : ""}`,
  attentionReason: (metric, actual, target) => `${metric} ${actual}（目标 ${target}）`,
  attentionCount: (count) => `${count} 人需关注，主管可发送 \`/kpi team\` 查看。`,
  followUps: (open, overdue) => `待跟进差评 ${open} 条${overdue > 0 ? `，其中 ${overdue} 条已超时` : ""}。`,
  soonest: (list) => `最早截止：${list}`,
  noFollowUps: "没有待跟进的差评。",
  dsrFalling: (days, from, to) =>
    `⚠ DSR 服务分已连续 ${days} 天下降（${from} → ${to}），请组织全组分析原因。`,
  revisionsTitle: "考核结果更正",
  appealed: "申诉更正",
  revision: (agent, period, change, metrics) =>
    `${agent} ${period} ${change}${metrics ? `（${metrics}）` : ""}`,
  revisionCount: (count) =>
    `已发布的 ${count} 条考核结果因数据更新有变动，发送 \`/kpi me\` 查看自己最新的考核结果。`,
  watchHeadline: (kind) =>
    `绩效按月考核：${kind === "daily" ? "日报" : "周报"}只看${kind === "daily" ? "每日" : "每周"}监控指标是否达标，不排名、不评等级（等级见月报，或发送 \`/kpi me\` 查看本月至今）。`,
  watchTitle: "监控指标",
  watchColumns: { metric: "指标", target: "目标", team: "团队", offTarget: "未达标" },
  allOnTarget: "全部达标",
  offTargetCount: (count) => `${count} 人`,
  probation: (role) => `${role}（试用期）`,
  pendingNote: "* 含尚未最终确定的数据（延迟统计的转化，或 72 小时内可能变化的解决率），数据补齐后会更新。",
  chartTitle: (team, period) => `${team} 趋势 ${period}`,
  chartAlt: (series, period) => `趋势图：${series}（${period}）`,
  footer: "发送 `/kpi me` 查看个人绩效考核表，`/kpi followups` 查看待跟进差评。",
  supervisorTitle: (team, period) => `${team} · ${period} 全员绩效考核表（仅发给主管）`,
  supervisorColumns: {
    agent: "客服",
    total: "总分",
    grade: "等级",
    coefficient: "绩效系数",
    baseFactor: "出勤系数",
    bonusFactor: "奖金系数",
    extra: "超额奖励",
    pay: "应发合计",
    weakest: "得分最低的一项",
  },
  paySplitNote:
    "薪酬 = 基本工资 60% × 出勤系数 + 绩效工资 25% × 绩效系数 + 业绩奖金 15% × 奖金系数 + 超额奖励（比例以考核方案为准）。",
};

const en: DigestMessages = {
  title: (team, kind, period) => `${team} · ${KIND_EN[kind]} · ${period}`,
  average: (average, change) => `Team average ${average}${change ? ` (${change})` : ""}`,
  teamTotal: (total, grade) => `Team as a whole ${total}${grade ? ` ${grade}` : ""}`,
  grades: (counts) => `Grades: ${counts.map(([grade, n]) => `${n} ${grade}`).join(", ")}`,
  points: (signed) => `${signed}pp`,
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
  appealed: "corrected on appeal",
  revision: (agent, period, change, metrics) =>
    `${agent} ${period} ${change}${metrics ? ` (${metrics})` : ""}`,
  revisionCount: (count) =>
    `${count} published score${count === 1 ? " was" : "s were"} revised by later figures; send \`/kpi me\` for your latest.`,
  watchHeadline: (kind) =>
    `Graded monthly: a ${kind === "daily" ? "daily" : "weekly"} digest shows whether the ${kind === "daily" ? "daily" : "weekly"} watched metrics are on target, with no ranking or grades (grades come with the monthly digest; send \`/kpi me\` for the month so far).`,
  watchTitle: "Watched metrics",
  watchColumns: { metric: "metric", target: "target", team: "team", offTarget: "short of target" },
  allOnTarget: "everyone on target",
  offTargetCount: (count) => `${count} agent${count === 1 ? "" : "s"}`,
  probation: (role) => `${role} (probation)`,
  pendingNote:
    "* includes figures not yet final (conversion that settles later, resolution within its 72 h); updated when they are.",
  chartTitle: (team, period) => `${team} trend ${period}`,
  chartAlt: (series, period) => `Trend chart: ${series} (${period})`,
  footer: "Send `/kpi me` for your scorecard, `/kpi followups` for open bad reviews.",
  supervisorTitle: (team, period) => `${team} · ${period}, every agent (for the supervisor)`,
  supervisorColumns: {
    agent: "agent",
    total: "total",
    grade: "grade",
    coefficient: "coef.",
    baseFactor: "attendance factor",
    bonusFactor: "bonus factor",
    extra: "extra reward",
    pay: "pay",
    weakest: "weakest item",
  },
  paySplitNote:
    "Pay = base 60% × attendance factor + performance 25% × coefficient + bonus 15% × bonus factor + extra rewards (shares as the scheme sets them).",
};

export function digestMessagesFor(lang: Lang): DigestMessages {
  return lang === "en" ? en : zhCN;
}
