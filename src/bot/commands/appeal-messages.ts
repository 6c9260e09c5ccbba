import type { Lang } from "../../i18n/index.ts";

/** What appeals (申诉) say, in zh-CN and en: to the agent, the decider and the admins. */

export interface AppealMessages {
  /** "首次响应时间 2026-11" / "#12 超时未回复 11-20": what an appeal is about. */
  itemWhat: (metric: string, period: string) => string;
  factWhat: (id: number, kind: string, day: string) => string;
  factKind: Record<string, string>;
  status: Record<"open" | "accepted" | "rejected", string>;
  unknownTarget: (target: string) => string;
  didYouMean: (names: string) => string;
  notOnCard: (metric: string, period: string) => string;
  noCard: (period: string) => string;
  notYours: (id: number) => string;
  notAppealable: (id: number) => string;
  periodOpen: (period: string) => string;
  pastDeadline: (what: string, deadline: string) => string;
  reasonTooLong: (max: number) => string;
  alreadyOpen: (id: number, when: string) => string;
  noDecider: string;
  raised: (id: number, what: string, decider: string, deadline: string) => string;
  adminsWord: string;
  cardTitle: (id: number, agent: string, what: string) => string;
  reasonLine: (reason: string) => string;
  evidenceHead: [string, string];
  evidence: {
    actual: string;
    target: string;
    score: string;
    fraction: string;
    days: string;
    moreDays: (n: number) => string;
    session: string;
    wait: string;
    phrase: string;
    sentence: string;
    rating: string;
    review: string;
    order: string;
    recovered: string;
    at: string;
  };
  howToDecide: (id: number, fact: boolean) => string;
  acceptButton: string;
  excludeButton: string;
  rejectButton: string;
  appealButton: string;
  typeThis: (command: string) => string;
  appealHow: (command: string) => string;
  notFound: (id: string) => string;
  notOpen: (id: number, status: string, by: string, when: string) => string;
  ownAppeal: string;
  forbidden: (id: number) => string;
  badValue: (value: string, unit: string) => string;
  factNeedsExclude: (id: number) => string;
  excludeNeedsFact: (id: number) => string;
  decidedAccepted: (id: number, agent: string, change: string, total: string) => string;
  decidedRejected: (id: number, agent: string) => string;
  toldAccepted: (id: number, what: string, change: string, total: string, by: string) => string;
  toldExcluded: (id: number, what: string, total: string, by: string) => string;
  toldRejected: (id: number, what: string, by: string, reason: string) => string;
  totalLine: (period: string, before: string, after: string) => string;
  excluded: string;
  listTitle: (open: number) => string;
  listColumns: { id: string; agent: string; what: string; status: string; raised: string; reason: string };
  none: string;
  reminderTitle: (count: number) => string;
  reminder: (id: number, agent: string, days: number) => string;
  escalationTitle: (count: number) => string;
  escalation: (id: number, agent: string, decider: string, raised: string) => string;
}

const zhCN: AppealMessages = {
  itemWhat: (metric, period) => `${metric} ${period}`,
  factWhat: (id, kind, day) => `#${id} ${kind} ${day}`,
  factKind: {
    long_wait: "超时未回复",
    forbidden_phrase: "违规话术",
    low_rating: "低分评价",
    bad_review: "差评",
  },
  status: { open: "待处理", accepted: "已同意", rejected: "已驳回" },
  unknownTarget: (target) => `「${target}」既不是指标，也不是记录编号。`,
  didYouMean: (names) => `是不是想申诉：${names}？`,
  notOnCard: (metric, period) => `你 ${period} 的考核结果里没有「${metric}」这一项。`,
  noCard: (period) => `你 ${period} 还没有考核结果，暂时无法申诉。`,
  notYours: (id) => `#${id} 不是你的记录，只能申诉自己的。`,
  notAppealable: (id) => `#${id} 不能申诉：只能申诉超时未回复、违规话术、低分评价和差评。`,
  periodOpen: (period) => `${period} 还没有结束，结束后才能申诉（数据还会更新）。`,
  pastDeadline: (what, deadline) => `${what} 的申诉期已过：截止到 ${deadline}（含当天）。`,
  reasonTooLong: (max) => `理由最多 ${max} 个字，请精简后再发。`,
  alreadyOpen: (id, when) => `这一项已有待处理的申诉 #${id}（${when} 提交），请等主管处理。`,
  noDecider: "你没有主管，也没有配置管理员，没人能处理申诉，请联系管理员。",
  raised: (id, what, decider, deadline) =>
    `已提交申诉 #${id}（${what}），已转给 ${decider} 处理。申诉期截止 ${deadline}；处理结果会私信告诉你。`,
  adminsWord: "管理员",
  cardTitle: (id, agent, what) => `申诉 #${id}：${agent} ${what}`,
  reasonLine: (reason) => `申诉理由：${reason}`,
  evidenceHead: ["依据", "数据"],
  evidence: {
    actual: "实际",
    target: "目标",
    score: "得分",
    fraction: "分子/分母",
    days: "逐日",
    moreDays: (n) => `另有 ${n} 天`,
    session: "会话",
    wait: "等待",
    phrase: "违规话术",
    sentence: "原句",
    rating: "评分",
    review: "评价内容",
    order: "订单",
    recovered: "跟进结果",
    at: "时间",
  },
  howToDecide: (id, fact) =>
    fact
      ? `同意（把这条记录排除出考核）：\`/kpi 申诉 同意 ${id} 排除\`；驳回：\`/kpi 申诉 驳回 ${id} <理由>\``
      : `同意并更正：\`/kpi 申诉 同意 ${id} <更正值>\`（按指标单位写，如 28秒、92%、45/50）；驳回：\`/kpi 申诉 驳回 ${id} <理由>\``,
  acceptButton: "同意",
  excludeButton: "同意并排除",
  rejectButton: "驳回",
  appealButton: "申诉",
  typeThis: (command) => `按钮不能带文字，请发送（补上内容）：\`${command}\``,
  appealHow: (command) => `要申诉，请发送（写上理由）：\`${command}\``,
  notFound: (id) => `没有编号为「${id}」的申诉。`,
  notOpen: (id, status, by, when) => `申诉 #${id} 已由 ${by} 于 ${when} ${status}。`,
  ownAppeal: "不能处理自己的申诉。",
  forbidden: (id) => `申诉 #${id} 只能由该客服的主管或管理员处理。`,
  badValue: (value, unit) => `「${value}」不是有效的更正值，请按 ${unit} 写，或写分数如 45/50。`,
  factNeedsExclude: (id) =>
    `申诉 #${id} 是对一条记录的申诉，同意时写「排除」：\`/kpi 申诉 同意 ${id} 排除\`。`,
  excludeNeedsFact: (id) => `申诉 #${id} 是对考核项的申诉，同意时写更正后的数值。`,
  decidedAccepted: (id, agent, change, total) => `已同意申诉 #${id}（${agent}）：${change}。${total}`,
  decidedRejected: (id, agent) => `已驳回申诉 #${id}（${agent}），已私信告知理由。`,
  toldAccepted: (id, what, change, total, by) =>
    `你的申诉 #${id}（${what}）已由 ${by} 同意：${change}。${total}`,
  toldExcluded: (id, what, total, by) =>
    `你的申诉 #${id}（${what}）已由 ${by} 同意，这条记录不再计入考核。${total}`,
  toldRejected: (id, what, by, reason) => `你的申诉 #${id}（${what}）已被 ${by} 驳回。理由：${reason}`,
  totalLine: (period, before, after) => `${period} 总分 ${before}→${after}`,
  excluded: "已排除",
  listTitle: (open) => `申诉（待处理 ${open} 条）`,
  listColumns: { id: "编号", agent: "客服", what: "申诉项", status: "状态", raised: "提交", reason: "理由" },
  none: "没有待处理或最近处理的申诉。",
  reminderTitle: (count) => `有 ${count} 条申诉等你处理`,
  reminder: (id, agent, days) => `${agent} 的申诉 #${id} 已等待 ${days} 个工作日，请尽快处理。`,
  escalationTitle: (count) => `${count} 条申诉超时未处理`,
  escalation: (id, agent, decider, raised) =>
    `${agent} 的申诉 #${id}（${raised} 提交）${decider} 还没有处理。`,
};

const en: AppealMessages = {
  itemWhat: (metric, period) => `${metric} ${period}`,
  factWhat: (id, kind, day) => `#${id} ${kind} ${day}`,
  factKind: {
    long_wait: "long wait",
    forbidden_phrase: "phrase hit",
    low_rating: "low rating",
    bad_review: "bad review",
  },
  status: { open: "open", accepted: "accepted", rejected: "rejected" },
  unknownTarget: (target) => `"${target}" is neither a metric nor a fact's number.`,
  didYouMean: (names) => `Did you mean: ${names}?`,
  notOnCard: (metric, period) => `Your ${period} card has no item "${metric}".`,
  noCard: (period) => `You have no scorecard for ${period} yet: nothing to appeal.`,
  notYours: (id) => `#${id} is not yours: you can appeal only your own.`,
  notAppealable: (id) =>
    `#${id} cannot be appealed: only long waits, phrase hits, low ratings and bad reviews can.`,
  periodOpen: (period) => `${period} has not ended yet: appeal once it has (its figures still change).`,
  pastDeadline: (what, deadline) => `Too late to appeal ${what}: appeals closed at the end of ${deadline}.`,
  reasonTooLong: (max) => `A reason is at most ${max} characters; please shorten it.`,
  alreadyOpen: (id, when) => `There is an open appeal on this already: #${id} (raised ${when}).`,
  noDecider:
    "You have no supervisor and no admins are configured: nobody could decide an appeal. Ask an admin.",
  raised: (id, what, decider, deadline) =>
    `Appeal #${id} raised (${what}) and sent to ${decider}. Appeals close at the end of ${deadline}; you will be told the decision.`,
  adminsWord: "the admins",
  cardTitle: (id, agent, what) => `Appeal #${id}: ${agent} ${what}`,
  reasonLine: (reason) => `Reason: ${reason}`,
  evidenceHead: ["evidence", "figure"],
  evidence: {
    actual: "actual",
    target: "target",
    score: "score",
    fraction: "numerator/denominator",
    days: "by day",
    moreDays: (n) => `${n} more days`,
    session: "session",
    wait: "wait",
    phrase: "phrase",
    sentence: "sentence",
    rating: "rating",
    review: "review",
    order: "order",
    recovered: "follow-up",
    at: "at",
  },
  howToDecide: (id, fact) =>
    fact
      ? `Accept (leave the fact out of the scoring): \`/kpi appeal accept ${id} exclude\`; reject: \`/kpi appeal reject ${id} <reason>\``
      : `Accept with a corrected value: \`/kpi appeal accept ${id} <value>\` (in the metric's unit: 28s, 92%, 45/50); reject: \`/kpi appeal reject ${id} <reason>\``,
  acceptButton: "Accept",
  excludeButton: "Accept and exclude",
  rejectButton: "Reject",
  appealButton: "Appeal",
  typeThis: (command) => `A button cannot carry text: send this, filled in: \`${command}\``,
  appealHow: (command) => `To appeal, send this with your reason: \`${command}\``,
  notFound: (id) => `There is no appeal "${id}".`,
  notOpen: (id, status, by, when) => `Appeal #${id} was already ${status} by ${by} at ${when}.`,
  ownAppeal: "You cannot decide your own appeal.",
  forbidden: (id) => `Only the agent's supervisor or an admin can decide appeal #${id}.`,
  badValue: (value, unit) =>
    `"${value}" is not a corrected value: write it in ${unit}, or as a fraction such as 45/50.`,
  factNeedsExclude: (id) =>
    `Appeal #${id} is about a fact: accept it with \`/kpi appeal accept ${id} exclude\`.`,
  excludeNeedsFact: (id) => `Appeal #${id} is about an item: accept it with the corrected value.`,
  decidedAccepted: (id, agent, change, total) => `Appeal #${id} (${agent}) accepted: ${change}. ${total}`,
  decidedRejected: (id, agent) => `Appeal #${id} (${agent}) rejected; they are told your reason.`,
  toldAccepted: (id, what, change, total, by) =>
    `Your appeal #${id} (${what}) was accepted by ${by}: ${change}. ${total}`,
  toldExcluded: (id, what, total, by) =>
    `Your appeal #${id} (${what}) was accepted by ${by}: the fact no longer counts. ${total}`,
  toldRejected: (id, what, by, reason) =>
    `Your appeal #${id} (${what}) was rejected by ${by}. Reason: ${reason}`,
  totalLine: (period, before, after) => `${period} total ${before}→${after}`,
  excluded: "excluded",
  listTitle: (open) => `Appeals (${open} open)`,
  listColumns: {
    id: "id",
    agent: "agent",
    what: "about",
    status: "status",
    raised: "raised",
    reason: "reason",
  },
  none: "No open or recently decided appeals.",
  reminderTitle: (count) => `${count} appeal${count === 1 ? "" : "s"} waiting for your decision`,
  reminder: (id, agent, days) =>
    `${agent}'s appeal #${id} has waited ${days} working days: please decide it.`,
  escalationTitle: (count) => `${count} appeal${count === 1 ? "" : "s"} left undecided`,
  escalation: (id, agent, decider, raised) =>
    `${agent}'s appeal #${id} (raised ${raised}) is still undecided by ${decider}.`,
};

export function appealMessagesFor(lang: Lang): AppealMessages {
  return lang === "en" ? en : zhCN;
}
