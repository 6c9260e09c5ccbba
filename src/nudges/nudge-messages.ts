import type { Lang } from "../i18n/index.ts";

/**
 * What the bot says on its own to agents (nudges, reminders) and to supervisors and admins
 * (escalations), per language. Times arrive as the shop's clock ("11-30 14:05"), durations and
 * figures formatted; every message says what to send back.
 */
export interface NudgeMessages {
  batchTitle: (agent: string, count: number) => string;
  badReviewIntro: string;
  badReviewLine: (
    id: number,
    order: string,
    customer: string,
    text: string,
    due: string,
    left: string,
  ) => string;
  badReviewsHeading: (count: number) => string;
  ratingsHeading: (count: number) => string;
  slowHeading: string;
  /** Bad reviews beyond those listed. */
  moreBadReviews: (count: number) => string;
  /** Bad reviews listed without their buttons: the platform takes no more in one message. */
  badReviewsWithoutButtons: (count: number) => string;
  /** Ratings listed without a "reviewed" button. */
  ratingsWithoutButtons: (count: number) => string;
  lowRatingIntro: (count: number, below: number) => string;
  ratingColumns: { id: string; session: string; score: string; at: string };
  reviewedButton: (id: number) => string;
  slowLine: (day: string, figures: readonly string[]) => string;
  slowFigure: (metric: string, actual: string, target: string) => string;
  longWaitsIntro: (count: number, limit: string) => string;
  waitColumns: { session: string; customer: string; startedAt: string; waited: string };
  waited: (seconds: number) => string;
  moreSessions: (count: number) => string;
  seeCard: (day: string) => string;
  reminderTitle: (count: number, hours: number) => string;
  reminderLine: (id: number, order: string, text: string, due: string, left: string) => string;
  escalationTitle: (count: number) => string;
  overdueHeading: (count: number) => string;
  overdueLine: (
    agent: string,
    id: number,
    text: string,
    order: string,
    reviewedAt: string,
    due: string,
    overdue: string,
  ) => string;
  overdueHow: string;
  ignoredLine: (agent: string, count: number, hours: number, firstAsked: string) => string;
  ignoredColumns: { id: string; session: string; score: string; ratedAt: string; askedAt: string };
  ignoredHow: string;
  lowGradeLine: (
    agent: string,
    period: string,
    through: string,
    days: number,
    total: string,
    grade: string,
    threshold: string,
  ) => string;
  lowGradeHow: (agent: string, period: string) => string;
  /** "小张（售前一组）" / "小张 (Pre-sales 1)". */
  agentInTeam: (agent: string, team: string | null) => string;
}

const zhCN: NudgeMessages = {
  batchTitle: (agent, count) => `${agent}，有 ${count} 项需要你处理`,
  badReviewIntro:
    "收到差评后须在 24 小时内联系顾客。联系后请点下面的按钮记录结果，或发送 `done <编号> 已联系`（也可以写 已挽回、联系不上）。",
  badReviewLine: (id, order, customer, text, due, left) =>
    `差评 #${id}（订单 ${order}，顾客 ${customer}）：「${text}」。跟进截止 ${due}，${left}。`,
  badReviewsHeading: (count) => `差评待跟进（${count}）`,
  ratingsHeading: (count) => `低分评价待复盘（${count}）`,
  slowHeading: "响应偏慢",
  moreBadReviews: (count) => `另有 ${count} 条待跟进差评未列出，发送 \`/kpi followups\` 查看全部。`,
  badReviewsWithoutButtons: (count) =>
    `还有 ${count} 条差评未附按钮（一条消息放不下更多按钮）：跟进后发送 \`done <编号> 已联系\`（也可以写 已挽回、联系不上），发送 \`/kpi followups\` 查看全部。`,
  ratingsWithoutButtons: (count) =>
    `还有 ${count} 条未附按钮：复盘后发送 \`done <编号> 已复盘\`，发送 \`/kpi followups\` 查看全部。`,
  lowRatingIntro: (count, below) =>
    `${count} 条评价低于 ${below} 分，请复盘原因；复盘后点「已复盘」，或发送 \`done <编号> 已复盘\`。`,
  ratingColumns: { id: "编号", session: "会话", score: "评分", at: "时间" },
  reviewedButton: (id) => `已复盘 #${id}`,
  slowLine: (day, figures) => `${day} 响应偏慢${figures.length > 0 ? `：${figures.join("；")}` : ""}。`,
  slowFigure: (metric, actual, target) => `${metric} ${actual}（目标 ${target}）`,
  longWaitsIntro: (count, limit) => `${count} 个会话顾客等待超过 ${limit}：`,
  waitColumns: { session: "会话", customer: "顾客", startedAt: "开始等待", waited: "等待" },
  waited: (seconds) =>
    seconds < 60
      ? `${seconds}秒`
      : seconds % 60 === 0
        ? `${seconds / 60}分钟`
        : `${Math.floor(seconds / 60)}分${seconds % 60}秒`,
  moreSessions: (count) => `另有 ${count} 个会话未列出。`,
  seeCard: (day) => `发送 \`me ${day}\` 查看当天各项指标。`,
  reminderTitle: (count, hours) => `差评跟进提醒：${count} 条差评不到 ${hours} 小时就到截止时间`,
  reminderLine: (id, order, text, due, left) =>
    `差评 #${id}（订单 ${order}）：「${text}」。跟进截止 ${due}，${left}，还没有记录跟进结果。`,
  escalationTitle: (count) => `有 ${count} 项需要你关注`,
  overdueHeading: (count) => `${count} 条差评超过 24 小时未跟进：`,
  overdueLine: (agent, id, text, order, reviewedAt, due, overdue) =>
    `${agent}的差评 #${id}：「${text}」（订单 ${order}，${reviewedAt} 差评）。跟进截止 ${due}，${overdue}，仍未记录结果。`,
  overdueHow:
    "发送 `followups` 查看全部待跟进差评；跟进后点按钮，或发送 `done <编号> 已联系`（也可以写 已挽回、联系不上）记录。",
  ignoredLine: (agent, count, hours, firstAsked) =>
    `${agent}有 ${count} 条低分评价提醒复盘已超过 ${hours} 小时，仍未记录复盘（最早一条 ${firstAsked} 提醒）：`,
  ignoredColumns: { id: "编号", session: "会话", score: "评分", ratedAt: "评价时间", askedAt: "提醒时间" },
  ignoredHow: "复盘后由客服本人或主管发送 `done <编号> 已复盘` 记录。",
  lowGradeLine: (agent, period, through, days, total, grade, threshold) =>
    `${agent}${period} 至今（到 ${through}，${days} 天有数据）总分 ${total}，等级 ${grade}，在 ${threshold} 或以下。`,
  lowGradeHow: (agent, period) => `发送 \`agent ${agent} ${period}\` 查看考核结果和提升建议。`,
  agentInTeam: (agent, team) => (team ? `${agent}（${team}）` : agent),
};

const en: NudgeMessages = {
  batchTitle: (agent, count) =>
    `${agent}, ${count} ${count === 1 ? "thing needs" : "things need"} your attention`,
  badReviewIntro:
    "A bad review's customer must be contacted within 24 h. Record what happened with the buttons, or send `done <id> contacted|recovered|unreachable`.",
  badReviewLine: (id, order, customer, text, due, left) =>
    `Bad review #${id} (order ${order}, customer ${customer}): "${text}". Follow up by ${due}, ${left}.`,
  badReviewsHeading: (count) => `Bad reviews to follow up (${count})`,
  ratingsHeading: (count) => `Low ratings to review (${count})`,
  slowHeading: "Slow responses",
  moreBadReviews: (count) =>
    `${count} more bad ${count === 1 ? "review" : "reviews"} to follow up not listed: send \`/kpi followups\` to see them all.`,
  badReviewsWithoutButtons: (count) =>
    `${count} more bad ${count === 1 ? "review" : "reviews"} without buttons (one message takes no more): once followed up send \`done <id> contacted|recovered|unreachable\`; \`/kpi followups\` shows them all.`,
  ratingsWithoutButtons: (count) =>
    `${count} more without a button: once reviewed send \`done <id> reviewed\`; \`/kpi followups\` shows them all.`,
  lowRatingIntro: (count, below) =>
    `${count} ${count === 1 ? "rating" : "ratings"} below ${below}: review the cause, then press "reviewed" or send \`done <id> reviewed\`.`,
  ratingColumns: { id: "id", session: "session", score: "rating", at: "at" },
  reviewedButton: (id) => `reviewed #${id}`,
  slowLine: (day, figures) =>
    `Slow responses on ${day}${figures.length > 0 ? `: ${figures.join("; ")}` : ""}.`,
  slowFigure: (metric, actual, target) => `${metric} ${actual} (target ${target})`,
  longWaitsIntro: (count, limit) =>
    `${count} ${count === 1 ? "session" : "sessions"} waited more than ${limit}:`,
  waitColumns: { session: "session", customer: "customer", startedAt: "waiting from", waited: "waited" },
  waited: (seconds) =>
    seconds < 60
      ? `${seconds} s`
      : seconds % 60 === 0
        ? `${seconds / 60} min`
        : `${Math.floor(seconds / 60)} min ${seconds % 60} s`,
  moreSessions: (count) => `${count} more sessions not listed.`,
  seeCard: (day) => `Send \`me ${day}\` for the day's scorecard.`,
  reminderTitle: (count, hours) =>
    `Follow-up reminder: ${count} bad ${count === 1 ? "review is" : "reviews are"} due within ${hours} h`,
  reminderLine: (id, order, text, due, left) =>
    `Bad review #${id} (order ${order}): "${text}". Follow up by ${due}, ${left}; nothing is recorded yet.`,
  escalationTitle: (count) => `${count} ${count === 1 ? "thing needs" : "things need"} your attention`,
  overdueHeading: (count) =>
    `${count} bad ${count === 1 ? "review has" : "reviews have"} not been followed up within 24 h:`,
  overdueLine: (agent, id, text, order, reviewedAt, due, overdue) =>
    `${agent}'s bad review #${id}: "${text}" (order ${order}, reviewed ${reviewedAt}). Due ${due}, ${overdue}, nothing recorded.`,
  overdueHow:
    "Send `followups` for every open bad review; once followed up, press a button or send `done <id> contacted|recovered|unreachable`.",
  ignoredLine: (agent, count, hours, firstAsked) =>
    `${agent} has ${count} low-rating reviews asked for more than ${hours} h ago and not recorded (the first asked ${firstAsked}):`,
  ignoredColumns: { id: "id", session: "session", score: "rating", ratedAt: "rated", askedAt: "asked" },
  ignoredHow: "Once reviewed, the agent or their supervisor sends `done <id> reviewed`.",
  lowGradeLine: (agent, period, through, days, total, grade, threshold) =>
    `${agent}'s ${period} so far (through ${through}, figures on ${days} days) totals ${total}, grade ${grade}: ${threshold} or below.`,
  lowGradeHow: (agent, period) =>
    `Send \`agent ${agent} ${period}\` for the scorecard and what would lift it.`,
  agentInTeam: (agent, team) => (team ? `${agent} (${team})` : agent),
};

export function nudgeMessagesFor(lang: Lang): NudgeMessages {
  return lang === "en" ? en : zhCN;
}
