import type { Lang } from "../i18n/index.ts";
import type { FollowUpKind } from "../store/follow-up-repo.ts";
import type { FollowUpOutcome } from "./follow-up-outcomes.ts";

/**
 * What the bot says about bad-review follow-ups and low-rating reviews (`followups`, `done`, their
 * buttons), per language.
 */
export interface FollowUpMessages {
  title: (count: number) => string;
  none: string;
  columns: { id: string; agent: string; reviewedAt: string; due: string; left: string; review: string };
  left: (duration: string) => string;
  overdue: (duration: string) => string;
  /** Days appear once it is more than two days: "84天4小时" reads better than "2020小时42分"; no "0分". */
  duration: (days: number, hours: number, minutes: number) => string;
  /** Page `page` of `pages`, `after` rows on the pages after it. */
  page: (page: number, pages: number, after: number) => string;
  ratingsTitle: (count: number) => string;
  ratingColumns: { id: string; agent: string; session: string; score: string; at: string };
  unattributed: string;
  outcome: Record<FollowUpOutcome, string>;
  buttonsFor: (id: number, agent: string) => string;
  unknownId: (id: string) => string;
  forbidden: (id: string) => string;
  already: (id: number, outcome: string, who: string, when: string) => string;
  recorded: (id: number, outcome: string, agent: string) => string;
  /** A low rating (below 4): its cause reviewed (复盘). */
  ratingForbidden: (id: string) => string;
  ratingAlready: (id: number, who: string, when: string) => string;
  ratingRecorded: (id: number, agent: string) => string;
  /** An outcome that does not fit the fact: a bad review "reviewed", a low rating "contacted". */
  wrongOutcome: Record<FollowUpKind, (id: number) => string>;
}

const zhCN: FollowUpMessages = {
  title: (count) => `待跟进差评（${count}）`,
  none: "没有待跟进的差评，也没有待复盘的低分评价。",
  columns: {
    id: "编号",
    agent: "客服",
    reviewedAt: "差评时间",
    due: "跟进截止",
    left: "剩余",
    review: "差评",
  },
  left: (duration) => `还剩 ${duration}`,
  overdue: (duration) => `已超时 ${duration}`,
  duration: (days, hours, minutes) =>
    days > 0
      ? `${days}天${hours > 0 ? `${hours}小时` : ""}`
      : hours > 0
        ? `${hours}小时${minutes > 0 ? `${minutes}分` : ""}`
        : `${minutes}分钟`,
  page: (page, pages, after) =>
    page < pages
      ? `第 ${page}/${pages} 页，后面还有 ${after} 条：发送 \`/kpi followups ${page + 1}\` 查看下一页。`
      : `第 ${page}/${pages} 页（最后一页）。`,
  ratingsTitle: (count) => `待复盘的低分评价（${count}）`,
  ratingColumns: { id: "编号", agent: "客服", session: "会话", score: "评分", at: "评价时间" },
  unattributed: "（未归属）",
  outcome: { contacted: "已联系", recovered: "已挽回", unreachable: "联系不上", reviewed: "已复盘" },
  buttonsFor: (id, agent) => `#${id} ${agent}：`,
  unknownId: (id) => `找不到编号为「${id}」的差评或低分评价。发送 \`followups\` 查看待跟进的差评及编号。`,
  forbidden: (id) => `你不能记录差评 #${id} 的跟进：只有该客服本人、其主管或管理员可以。`,
  already: (id, outcome, who, when) => `差评 #${id} 的跟进已由 ${who} 于 ${when} 记录为「${outcome}」。`,
  recorded: (id, outcome, agent) => `已记录：差评 #${id}（${agent}）跟进结果「${outcome}」。`,
  ratingForbidden: (id) => `你不能记录低分评价 #${id} 的复盘：只有该客服本人、其主管或管理员可以。`,
  ratingAlready: (id, who, when) => `低分评价 #${id} 的复盘已由 ${who} 于 ${when} 记录。`,
  ratingRecorded: (id, agent) => `已记录：低分评价 #${id}（${agent}）已复盘。`,
  wrongOutcome: {
    bad_review: (id) =>
      `#${id} 是差评：联系顾客后发送 \`done ${id} 已联系\`、\`done ${id} 已挽回\` 或 \`done ${id} 联系不上\`。`,
    low_rating: (id) => `#${id} 是低分评价：复盘原因后发送 \`done ${id} 已复盘\`。`,
  },
};

const en: FollowUpMessages = {
  title: (count) => `Bad reviews to follow up (${count})`,
  none: "No bad reviews are waiting for follow-up, and no low ratings for review.",
  columns: { id: "id", agent: "agent", reviewedAt: "reviewed", due: "due", left: "left", review: "review" },
  left: (duration) => `${duration} left`,
  overdue: (duration) => `overdue by ${duration}`,
  duration: (days, hours, minutes) =>
    days > 0
      ? `${days} d${hours > 0 ? ` ${hours} h` : ""}`
      : hours > 0
        ? `${hours} h${minutes > 0 ? ` ${minutes} min` : ""}`
        : `${minutes} min`,
  page: (page, pages, after) =>
    page < pages
      ? `Page ${page} of ${pages}, ${after} more after it: send \`/kpi followups ${page + 1}\` for the next.`
      : `Page ${page} of ${pages} (the last).`,
  ratingsTitle: (count) => `Low ratings to review (${count})`,
  ratingColumns: { id: "id", agent: "agent", session: "session", score: "rating", at: "rated" },
  unattributed: "(no agent)",
  outcome: {
    contacted: "contacted",
    recovered: "recovered",
    unreachable: "unreachable",
    reviewed: "reviewed",
  },
  buttonsFor: (id, agent) => `#${id} ${agent}:`,
  unknownId: (id) =>
    `No bad review or low rating with id "${id}". Send \`followups\` for the open bad reviews and their ids.`,
  forbidden: (id) =>
    `You may not record the follow-up of bad review #${id}: only its agent, their supervisor or an admin may.`,
  already: (id, outcome, who, when) =>
    `The follow-up of bad review #${id} was already recorded as "${outcome}" by ${who} at ${when}.`,
  recorded: (id, outcome, agent) => `Recorded: bad review #${id} (${agent}) followed up, "${outcome}".`,
  ratingForbidden: (id) =>
    `You may not record the review of low rating #${id}: only its agent, their supervisor or an admin may.`,
  ratingAlready: (id, who, when) =>
    `The review of low rating #${id} was already recorded by ${who} at ${when}.`,
  ratingRecorded: (id, agent) => `Recorded: low rating #${id} (${agent}) reviewed.`,
  wrongOutcome: {
    bad_review: (id) =>
      `#${id} is a bad review: after contacting the customer send \`done ${id} contacted\`, \`done ${id} recovered\` or \`done ${id} unreachable\`.`,
    low_rating: (id) => `#${id} is a low rating: once its cause is reviewed send \`done ${id} reviewed\`.`,
  },
};

export function followUpMessagesFor(lang: Lang): FollowUpMessages {
  return lang === "en" ? en : zhCN;
}
