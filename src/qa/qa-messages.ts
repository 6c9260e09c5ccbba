import type { QaStratum } from "../engine/index.ts";
import type { Lang } from "../i18n/index.ts";

/** What quality review (质检) says: its cards, the `qa` command, reminders, per language. */
export interface QaMessages {
  cardTitle: (id: number, agent: string, day: string) => string;
  stratum: Record<QaStratum, string>;
  facts: {
    firstWait: (seconds: number) => string;
    longestWait: (seconds: number) => string;
    rating: (score: number) => string;
    noRating: string;
    transferred: string;
    phraseHits: (phrases: string[]) => string;
    badReview: string;
  };
  speaker: { customer: string; agent: string; auto: string; system: string };
  moreLines: (n: number) => string;
  due: (when: string) => string;
  rubricLine: (criteria: string) => string;
  commandHint: (example: string) => string;
  buttons: { allPass: string; allPass4: string; incomplete: string; script: string };
  yes: string;
  no: string;
  listTitle: (count: number) => string;
  none: string;
  columns: { id: string; agent: string; day: string; due: string; results: string; note: string };
  myResultsTitle: string;
  noResults: string;
  unknownId: (id: string) => string;
  forbidden: (id: number) => string;
  ownConversation: string;
  rated: (id: number, agent: string, score: string) => string;
  rerated: (id: number, agent: string, score: string) => string;
  badCriterion: (word: string, known: string) => string;
  badValue: (criterion: string, value: string, scale: "pass" | "1-5") => string;
  missingCriteria: (names: string) => string;
  rateUsage: string;
  reminderTitle: (count: number) => string;
  reminder: (count: number, due: string) => string;
  escalationTitle: (reviewer: string, count: number) => string;
  escalation: (reviewer: string, count: number, due: string) => string;
}

const zhCN: QaMessages = {
  cardTitle: (id, agent, day) => `质检 #${id}：${agent} ${day}`,
  stratum: {
    low_rating: "低分评价",
    bad_review: "差评",
    long_wait: "长时间等待",
    transfer: "转接",
    phrase_hit: "疑似违规话术",
    random: "随机抽查",
  },
  facts: {
    firstWait: (s) => `首次响应 ${s} 秒`,
    longestWait: (s) => `最长等待 ${s} 秒`,
    rating: (n) => `客户评分 ${n}/5`,
    noRating: "客户未评价",
    transferred: "已转接",
    phraseHits: (p) => `命中禁用话术：${p.join("、")}`,
    badReview: "该订单有差评",
  },
  speaker: { customer: "客户", agent: "客服", auto: "自动回复", system: "系统" },
  moreLines: (n) => `……另有 ${n} 行未显示`,
  due: (when) => `请于 ${when} 前完成质检`,
  rubricLine: (criteria) => `评分项：${criteria}`,
  commandHint: (example) => `逐项评分：${example}`,
  buttons: {
    allPass: "全部合格（态度5）",
    allPass4: "全部合格（态度4）",
    incomplete: "回复不完整",
    script: "话术不规范",
  },
  yes: "是",
  no: "否",
  listTitle: (n) => `待质检会话（${n}）`,
  none: "没有待质检的会话。",
  columns: { id: "编号", agent: "客服", day: "日期", due: "截止", results: "结果", note: "备注" },
  myResultsTitle: "我最近的质检结果",
  noResults: "还没有你的质检结果。",
  unknownId: (id) => `找不到质检会话 ${id}。用 /kpi qa 查看待质检的会话。`,
  forbidden: (id) => `质检会话 #${id} 不是分配给你的，只有指定的质检员或管理员可以评分。`,
  ownConversation: "不能给自己的会话评分。",
  rated: (id, agent, score) => `已记录质检 #${id}（${agent}），得分 ${score}。`,
  rerated: (id, agent, score) => `已更新质检 #${id}（${agent}）的评分，得分 ${score}。`,
  badCriterion: (word, known) => `不认识评分项“${word}”。可用：${known}`,
  badValue: (criterion, value, scale) =>
    `“${criterion}”的值“${value}”不对：${scale === "pass" ? "请写 是 或 否" : "请写 1 到 5"}`,
  missingCriteria: (names) => `还缺少评分项：${names}`,
  rateUsage: "用法：/kpi qa rate <编号> 完整回复=是|否 话术规范=是|否 态度=1-5 问题解决=是|否 [备注]",
  reminderTitle: (n) => `质检提醒：${n} 条待评`,
  reminder: (n, due) => `你还有 ${n} 条会话待质检，最早的截止时间是 ${due}。发送 /kpi qa 查看。`,
  escalationTitle: (reviewer, n) => `质检逾期：${reviewer} ${n} 条`,
  escalation: (reviewer, n, due) => `${reviewer} 有 ${n} 条质检已逾期（最早截止 ${due}）。`,
};

const en: QaMessages = {
  cardTitle: (id, agent, day) => `QA #${id}: ${agent} ${day}`,
  stratum: {
    low_rating: "low rating",
    bad_review: "bad review",
    long_wait: "long wait",
    transfer: "transfer",
    phrase_hit: "possible forbidden phrase",
    random: "random pick",
  },
  facts: {
    firstWait: (s) => `first reply after ${s} s`,
    longestWait: (s) => `longest wait ${s} s`,
    rating: (n) => `customer rating ${n}/5`,
    noRating: "not rated by the customer",
    transferred: "transferred",
    phraseHits: (p) => `forbidden phrases: ${p.join(", ")}`,
    badReview: "the order has a bad review",
  },
  speaker: { customer: "Customer", agent: "Agent", auto: "Auto-reply", system: "System" },
  moreLines: (n) => `… ${n} more lines`,
  due: (when) => `Please review by ${when}`,
  rubricLine: (criteria) => `Criteria: ${criteria}`,
  commandHint: (example) => `Criterion by criterion: ${example}`,
  buttons: {
    allPass: "All pass (attitude 5)",
    allPass4: "All pass (attitude 4)",
    incomplete: "Incomplete reply",
    script: "Script breach",
  },
  yes: "yes",
  no: "no",
  listTitle: (n) => `Conversations to review (${n})`,
  none: "No conversations waiting for your review.",
  columns: { id: "ID", agent: "Agent", day: "Day", due: "Due", results: "Results", note: "Note" },
  myResultsTitle: "My latest QA results",
  noResults: "No QA results for you yet.",
  unknownId: (id) => `No QA conversation ${id}. /kpi qa lists those waiting for you.`,
  forbidden: (id) =>
    `QA conversation #${id} is not assigned to you: only its reviewer or an admin may rate it.`,
  ownConversation: "You cannot rate your own conversation.",
  rated: (id, agent, score) => `QA #${id} (${agent}) recorded: score ${score}.`,
  rerated: (id, agent, score) => `QA #${id} (${agent}) re-rated: score ${score}.`,
  badCriterion: (word, known) => `Unknown criterion "${word}". Known: ${known}`,
  badValue: (criterion, value, scale) =>
    `"${value}" is not a value for "${criterion}": ${scale === "pass" ? "write yes or no" : "write 1 to 5"}`,
  missingCriteria: (names) => `Criteria missing: ${names}`,
  rateUsage: "Usage: /kpi qa rate <id> complete=yes|no script=yes|no attitude=1-5 solved=yes|no [note]",
  reminderTitle: (n) => `QA reminder: ${n} to review`,
  reminder: (n, due) =>
    `${n} conversations wait for your review; the first is due ${due}. Send /kpi qa to see them.`,
  escalationTitle: (reviewer, n) => `QA overdue: ${reviewer}, ${n}`,
  escalation: (reviewer, n, due) => `${reviewer} has ${n} overdue QA reviews (the first was due ${due}).`,
};

export function qaMessagesFor(lang: Lang): QaMessages {
  return lang === "en" ? en : zhCN;
}
