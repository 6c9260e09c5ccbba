import type { Lang } from "../../i18n/index.ts";

/** What the bot says about linking a chat account to an agent (`link` and its approval buttons). */
export interface LinkMessages {
  alreadyLinked: (agent: string) => string;
  unknownAccount: (account: string) => string;
  ambiguous: (account: string, agents: string) => string;
  requested: (agent: string, supervisor: string) => string;
  stillPending: (agent: string) => string;
  noSupervisor: (agent: string) => string;
  noticeTitle: string;
  notice: (user: string, agent: string) => string;
  approve: string;
  reject: string;
  approvedNotice: (user: string, agent: string, by: string) => string;
  rejectedNotice: (user: string, agent: string, by: string) => string;
  youAreLinked: (agent: string) => string;
  forbidden: (agent: string) => string;
  decided: (status: "approved" | "rejected", by: string, when: string) => string;
  unknownRequest: string;
  userTaken: (user: string) => string;
}

const zhCN: LinkMessages = {
  alreadyLinked: (agent) => `你已绑定为客服 ${agent}，无需再绑定。`,
  unknownAccount: (account) =>
    `找不到账号、编号或姓名为「${account}」的客服。请用店铺后台的客服账号，例如 \`link 旗舰店:小张\`。`,
  ambiguous: (account, agents) => `「${account}」对应多位客服（${agents}），请改用客服编号。`,
  requested: (agent, supervisor) => `已申请绑定为客服 ${agent}，等待主管 ${supervisor} 批准。`,
  stillPending: (agent) => `你绑定为客服 ${agent} 的申请仍在等待批准。`,
  noSupervisor: (agent) =>
    `已申请绑定为客服 ${agent}，但该客服没有主管，无人批准：请联系管理员在花名册里设置主管。`,
  noticeTitle: "绑定申请",
  notice: (user, agent) => `${user} 申请把聊天账号绑定为客服 ${agent}。`,
  approve: "批准",
  reject: "拒绝",
  approvedNotice: (user, agent, by) => `${by} 已批准 ${user} 绑定为客服 ${agent}。`,
  rejectedNotice: (user, agent, by) => `${by} 已拒绝 ${user} 绑定为客服 ${agent}。`,
  youAreLinked: (agent) => `你的绑定申请已批准：你现在是客服 ${agent}，发送 \`me\` 查看你的考核结果。`,
  forbidden: (agent) => `只有客服 ${agent} 的主管或管理员可以处理这个绑定申请。`,
  decided: (status, by, when) =>
    `这个绑定申请已由 ${by} 于 ${when} ${status === "approved" ? "批准" : "拒绝"}。`,
  unknownRequest: "找不到这个绑定申请。",
  userTaken: (user) => `${user} 已经绑定了客服账号，未作更改。`,
};

const en: LinkMessages = {
  alreadyLinked: (agent) => `You are already linked as ${agent}.`,
  unknownAccount: (account) =>
    `No agent with the account, id or name "${account}". Use your shop account, e.g. \`旗舰店:小张\`.`,
  ambiguous: (account, agents) => `"${account}" names several agents (${agents}); use the agent id.`,
  requested: (agent, supervisor) => `Asked to link you as ${agent}; waiting for ${supervisor} to approve.`,
  stillPending: (agent) => `Your request to be linked as ${agent} is still waiting for approval.`,
  noSupervisor: (agent) =>
    `Asked to link you as ${agent}, but ${agent} has no supervisor: ask an admin to add you to the roster.`,
  noticeTitle: "Link request",
  notice: (user, agent) => `${user} asks to be linked as ${agent}.`,
  approve: "Approve",
  reject: "Reject",
  approvedNotice: (user, agent, by) => `${by} approved linking ${user} as ${agent}.`,
  rejectedNotice: (user, agent, by) => `${by} rejected linking ${user} as ${agent}.`,
  youAreLinked: (agent) => `Your link was approved: you are ${agent}. Send \`me\` for your scorecard.`,
  forbidden: (agent) => `Only ${agent}'s supervisor or an admin may decide this link request.`,
  decided: (status, by, when) => `This link request was already ${status} by ${by} at ${when}.`,
  unknownRequest: "No such link request.",
  userTaken: (user) => `${user} is already linked to an agent; nothing changed.`,
};

export function linkMessagesFor(lang: Lang): LinkMessages {
  return lang === "en" ? en : zhCN;
}
