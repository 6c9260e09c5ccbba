import type { GamingKind } from "../engine/index.ts";
import type { Lang } from "../i18n/index.ts";

/**
 * What the gaming alerts say, in zh-CN and en: the kinds' names, one line of evidence per rule,
 * the alert message to a supervisor and the `/kpi alerts` replies.
 */

type Numbers = Record<string, number>;

export interface GamingMessages {
  kind: Record<GamingKind, string>;
  metric: Record<string, string>;
  title(count: number): string;
  intro: string;
  alertLine(id: number, agent: string, week: string, kind: string): string;
  evidence(rule: string, n: Numbers): string;
  example: string;
  fineButton: string;
  listTitle(count: number): string;
  none: string;
  listHow: string;
  unknownId(id: string): string;
  forbidden(id: number): string;
  already(id: number, who: string, when: string): string;
  marked(id: number, agent: string): string;
  usage: string;
}

const pct = (x: number | undefined) => `${Math.round((x ?? 0) * 100)}%`;

const zh: GamingMessages = {
  kind: {
    split_answers: "拆句回复",
    invite_targeting: "选择性邀评",
    invite_timing: "月末集中邀评",
    review_guidance: "引导好评",
    threshold_delay: "卡阈值拖延",
    transfer_before_limit: "超时前转接",
    figure_jump: "指标突变",
  },
  metric: { qa_ratio: "问答比", invite_rate: "邀评率", csat_rate: "满意率" },
  title: (n) => `疑似刷指标提醒（${n}）`,
  intro: "仅发给主管，不计入绩效，也不发到团队群。请看证据；如无问题，点“没问题”。",
  alertLine: (id, agent, week, kind) => `#${id} ${agent} · ${week} · ${kind}`,
  evidence(rule, n) {
    switch (rule) {
      case "split_answers":
        return `${n.withSplit}/${n.conversations} 个会话有几秒内拆开发送的半句（平时 ${pct(n.baseShare)}）；问答比 ${n.qaRatio}，合并拆句后 ${n.qaRatioJoined}`;
      case "invite_targeting":
        return `邀评：结束时满意的客户 ${pct(n.ratePositive)}（${n.positiveInvited}/${n.positive}），其他客户 ${pct(n.rateOther)}（${n.otherInvited}/${n.other}）`;
      case "month_end":
        return `月末 ${n.tailDays} 天邀评率 ${pct(n.tailRate)}（${n.tailInvites}/${n.tailReceptions}），当月其余日子 ${pct(n.restRate)}`;
      case "review_guidance":
        return `${n.withPhrase} 个会话含引导好评话术（共 ${n.conversations} 个会话）`;
      case "first_reply_spike":
        return `${n.nearLimit}/${n.firstReplies} 个首次响应落在 ${(n.limitSeconds ?? 30) - 5}–${n.limitSeconds ?? 30} 秒（平时 ${pct(n.baseShare)}），刚超过的仅 ${n.justOver} 个`;
      case "kept_open":
        return `${n.keptOpen}/${n.conversations} 个会话在客户沉默后被反复催问、保持打开（平时 ${pct(n.baseShare)}）`;
      case "transfer_before_limit":
        return `${n.nearLimit}/${n.transfers} 次转接发生在客户等待即将超过响应时限之前`;
      default:
        return `${this.metric[rule] ?? rule} 本周 ${n.weekValue}，以往中位数 ${n.pastMedian}（稳健 z = ${n.z}，${n.highDays}/${n.weekDays} 天偏高）`;
    }
  },
  example: "例",
  fineButton: "没问题",
  listTitle: (n) => `未处理的刷指标提醒（${n}）`,
  none: "没有未处理的刷指标提醒。",
  listHow: "确认无问题：/kpi alerts fine <编号> [备注]",
  unknownId: (id) => `找不到提醒 ${id}。`,
  forbidden: (id) => `提醒 #${id} 不是你团队成员的，只有其主管或管理员可以处理。`,
  already: (id, who, when) => `提醒 #${id} 已由 ${who} 于 ${when} 标记为没问题。`,
  marked: (id, agent) => `已将 ${agent} 的提醒 #${id} 标记为没问题（已记录）。`,
  usage: "用法：/kpi alerts，或 /kpi alerts fine <编号> [备注]",
};

const en: GamingMessages = {
  kind: {
    split_answers: "split answers",
    invite_targeting: "selective rating invitations",
    invite_timing: "invitations crowded at month end",
    review_guidance: "guidance to a good review",
    threshold_delay: "delays at a threshold",
    transfer_before_limit: "transfers before a time limit",
    figure_jump: "figure jump",
  },
  metric: { qa_ratio: "reply-to-question ratio", invite_rate: "invitation rate", csat_rate: "CSAT" },
  title: (n) => `Possible gaming (${n})`,
  intro:
    "For supervisors only: never counted in pay, never posted to the team channel. Read the evidence; if it is fine, press Fine.",
  alertLine: (id, agent, week, kind) => `#${id} ${agent} · ${week} · ${kind}`,
  evidence(rule, n) {
    switch (rule) {
      case "split_answers":
        return `${n.withSplit}/${n.conversations} conversations hold half-sentences sent seconds apart (usually ${pct(n.baseShare)}); reply-to-question ratio ${n.qaRatio}, ${n.qaRatioJoined} with the halves joined`;
      case "invite_targeting":
        return `Invited: ${pct(n.ratePositive)} of customers who ended happy (${n.positiveInvited}/${n.positive}), ${pct(n.rateOther)} of the others (${n.otherInvited}/${n.other})`;
      case "month_end":
        return `Invitation rate ${pct(n.tailRate)} in the month's last ${n.tailDays} days (${n.tailInvites}/${n.tailReceptions}), ${pct(n.restRate)} the rest of the month`;
      case "review_guidance":
        return `${n.withPhrase} conversations ask for a good review (of ${n.conversations})`;
      case "first_reply_spike":
        return `${n.nearLimit}/${n.firstReplies} first replies came at ${(n.limitSeconds ?? 30) - 5}–${n.limitSeconds ?? 30} s (usually ${pct(n.baseShare)}), only ${n.justOver} just after`;
      case "kept_open":
        return `${n.keptOpen}/${n.conversations} sessions kept open by pinging a silent customer (usually ${pct(n.baseShare)})`;
      case "transfer_before_limit":
        return `${n.nearLimit}/${n.transfers} transfers came just before the customer's wait crossed a response limit`;
      default:
        return `${this.metric[rule] ?? rule} ${n.weekValue} this week against a median of ${n.pastMedian} (robust z = ${n.z}; ${n.highDays}/${n.weekDays} days high)`;
    }
  },
  example: "e.g.",
  fineButton: "Fine",
  listTitle: (n) => `Open gaming alerts (${n})`,
  none: "No open gaming alerts.",
  listHow: "To mark one fine: /kpi alerts fine <id> [note]",
  unknownId: (id) => `There is no alert ${id}.`,
  forbidden: (id) =>
    `Alert #${id} is not about someone you supervise: their supervisor or an admin may mark it.`,
  already: (id, who, when) => `Alert #${id} was marked fine by ${who} at ${when}.`,
  marked: (id, agent) => `Alert #${id} on ${agent} marked fine (audited).`,
  usage: "Usage: /kpi alerts, or /kpi alerts fine <id> [note]",
};

export function gamingMessagesFor(lang: Lang): GamingMessages {
  return lang === "en" ? en : zh;
}
