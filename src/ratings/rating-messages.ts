import type { Lang } from "../i18n/index.ts";

/** What the rating card, `/kpi rate`, the reminders and the escalations say (zh-CN and en). */
export interface RatingMessages {
  cardTitle: (team: string, period: string) => string;
  reminderTitle: (count: number, period: string) => string;
  intro: (levels: string) => string;
  /** An agent's line: the items still to rate. */
  agentLine: (agent: string, items: readonly string[]) => string;
  howToType: (example: string) => string;
  withoutButtons: (count: number) => string;
  moreAgents: (count: number) => string;
  nothingToRate: string;
  rated: (agent: string, item: string, level: string, score: number, period: string) => string;
  rerated: (oldLevel: string) => string;
  left: (count: number) => string;
  allRated: string;
  unknownAgent: (word: string, valid: readonly string[]) => string;
  forbidden: (agent: string) => string;
  noRatedItems: (agent: string, period: string) => string;
  unknownItem: (word: string, agent: string, valid: readonly string[]) => string;
  badLevel: (word: string, valid: readonly string[]) => string;
  missingLevel: (valid: readonly string[]) => string;
  usage: string;
  escalationTitle: (period: string) => string;
  escalationLine: (supervisor: string, team: string, count: number, days: number) => string;
}

const list = (items: readonly string[], sep: string) => items.join(sep);

const zhCN: RatingMessages = {
  cardTitle: (team, period) => `请为「${team}」评分 · ${period}`,
  reminderTitle: (count, period) => `还有 ${count} 项待评分 · ${period}（评分后成绩才计总分和等级）`,
  intro: (levels) =>
    `每位客服每个评分项选一个等级：${levels}。评分前，本期成绩只显示其他各项得分，不计总分、等级和绩效系数。`,
  agentLine: (agent, items) => `${agent}：${list(items, "、")}`,
  howToType: (example) => `也可以发命令评分：/kpi ${example}（可在最后加备注）`,
  withoutButtons: (count) => `另有 ${count} 项没有按钮（消息放不下），请用上面的命令评分。`,
  moreAgents: (count) => `还有 ${count} 位客服，发送 /kpi rate 查看。`,
  nothingToRate: "没有待评分的项目。",
  rated: (agent, item, level, score, period) =>
    `已评分：${agent} ${item} ${level}（${score} 分）· ${period}，成绩将重新计算。`,
  rerated: (oldLevel) => `（原为 ${oldLevel}）`,
  left: (count) => `还有 ${count} 项待评分，发送 /kpi rate 查看。`,
  allRated: "本期评分项已全部评完。",
  unknownAgent: (word, valid) =>
    `找不到客服「${word}」。${valid.length ? `可以评分的客服：${list(valid, "、")}` : "你没有需要评分的客服。"}`,
  forbidden: (agent) => `只有 ${agent} 的主管或管理员可以给 ${agent} 评分。`,
  noRatedItems: (agent, period) => `${agent} 在 ${period} 没有需要主管评分的项目。`,
  unknownItem: (word, agent, valid) => `「${word}」不是 ${agent} 的评分项。评分项：${list(valid, "、")}`,
  badLevel: (word, valid) => `「${word}」不是评分等级。等级：${list(valid, "、")}`,
  missingLevel: (valid) => `缺少等级。等级：${list(valid, "、")}`,
  usage: "用法：/kpi rate <客服> <评分项> <等级> [备注]，例如 /kpi 评分 小张 团队协作 优秀",
  escalationTitle: (period) => `主管评分逾期 · ${period}`,
  escalationLine: (supervisor, team, count, days) =>
    `${supervisor}（${team}）还有 ${count} 项未评分，考核期结束已 ${days} 天；这些客服的成绩尚无等级。`,
};

const en: RatingMessages = {
  cardTitle: (team, period) => `Rate ${team} · ${period}`,
  reminderTitle: (count, period) =>
    `${count} rating${count === 1 ? "" : "s"} still to give · ${period} (cards get a total and grade once rated)`,
  intro: (levels) =>
    `Pick one level per agent and item: ${levels}. Until then the card shows the other items' scores, with no total, grade or coefficient.`,
  agentLine: (agent, items) => `${agent}: ${list(items, ", ")}`,
  howToType: (example) => `Or type it: /kpi ${example} (a note may follow)`,
  withoutButtons: (count) => `${count} more without buttons (no room in one message): use the command above.`,
  moreAgents: (count) => `${count} more agent${count === 1 ? "" : "s"}: send /kpi rate to see them.`,
  nothingToRate: "Nothing left to rate.",
  rated: (agent, item, level, score, period) =>
    `Rated: ${agent} ${item} ${level} (${score}) · ${period}; the card is re-scored.`,
  rerated: (oldLevel) => ` (was ${oldLevel})`,
  left: (count) => `${count} still to rate: send /kpi rate to see them.`,
  allRated: "Everything of the period is rated.",
  unknownAgent: (word, valid) =>
    `No agent "${word}". ${valid.length ? `You can rate: ${list(valid, ", ")}` : "You have no agents to rate."}`,
  forbidden: (agent) => `Only ${agent}'s supervisor or an admin may rate ${agent}.`,
  noRatedItems: (agent, period) => `${agent} has no supervisor-rated item for ${period}.`,
  unknownItem: (word, agent, valid) => `"${word}" is not one of ${agent}'s rated items: ${list(valid, ", ")}`,
  badLevel: (word, valid) => `"${word}" is not a level: ${list(valid, ", ")}`,
  missingLevel: (valid) => `The level is missing: ${list(valid, ", ")}`,
  usage: "Usage: /kpi rate <agent> <item> <level> [note], e.g. /kpi rate zhang teamwork good",
  escalationTitle: (period) => `Supervisor ratings overdue · ${period}`,
  escalationLine: (supervisor, team, count, days) =>
    `${supervisor} (${team}) has ${count} rating${count === 1 ? "" : "s"} to give, ${days} days after the period closed; those cards have no grade yet.`,
};

export function ratingMessagesFor(lang: Lang): RatingMessages {
  return lang === "en" ? en : zhCN;
}
