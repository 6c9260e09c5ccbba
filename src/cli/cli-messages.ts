import type { DigestKind } from "../digest/digest-config.ts";
import type { Lang } from "../i18n/index.ts";
import { type StartMessages, startMessages } from "./start-messages.ts";

/**
 * What `kpi score` and `kpi digest` print around the scorecards and digests, in KPI_LANG's
 * language (Chinese unless told otherwise). Errors stay in English, as every `kpi` error does.
 */
export interface CliMessages {
  ranking: {
    head: string[];
    summary: (period: string, count: number) => string;
    noFigures: (period: string) => string;
  };
  digest: {
    preview: (kind: DigestKind, team: string, period: string, to: string) => string;
    noChannel: string;
    unfinished: (kind: DigestKind) => string;
    supervisors: (names: string) => string;
    chartSaved: (path: string) => string;
    queued: (messages: number, revisions: number) => string;
    alreadySent: (kind: DigestKind, period: string, team: string) => string;
    noRecipients: (team: string, platform: string) => string;
  };
  /** `kpi start`'s story on the terminal (start-messages.ts). */
  start: StartMessages;
}

const KIND_ZH: Record<DigestKind, string> = { daily: "日报", weekly: "周报", monthly: "月报" };
const LAST_WORD: Record<DigestKind, string> = {
  daily: "yesterday",
  weekly: "last-week",
  monthly: "last-month",
};
const UNIT_ZH: Record<DigestKind, string> = { daily: "天", weekly: "周", monthly: "月" };

const zhCN: CliMessages = {
  ranking: {
    head: ["名次", "客服编号", "姓名", "岗位", "小组", "总分", "等级", "绩效系数", "待补数据"],
    summary: (period, count) => `${period} 共 ${count} 份考核结果`,
    noFigures: (period) =>
      `数据库里还没有 ${period} 的数据：先导入（kpi import、kpi pull），或加载演示店铺（kpi demo）`,
  },
  digest: {
    preview: (kind, team, period, to) => `── ${team} ${period} ${KIND_ZH[kind]} → ${to} ──`,
    noChannel: "（没有配置频道）",
    unfinished: (kind) =>
      `（本期还没结束，只含到今天为止的数据；上一个完整的${UNIT_ZH[kind]}请用 --period ${LAST_WORD[kind]}）`,
    supervisors: (names) => `── 另外私信发给每位主管（${names}）──`,
    chartSaved: (path) => `趋势图已保存到 ${path}`,
    queued: (messages, revisions) => `已交给机器人发送 ${messages} 条消息（含 ${revisions} 条考核结果更正）`,
    alreadySent: (kind, period, team) => `${team} ${period} 的${KIND_ZH[kind]}已经发过，这次没有再发`,
    noRecipients: (team, platform) => `${team} 在 ${platform} 上没有配置频道（配置文件的 teams[].channels）`,
  },
  start: startMessages["zh-CN"],
};

const en: CliMessages = {
  ranking: {
    head: ["#", "agent", "name", "role", "team", "total", "grade", "coef.", "pending"],
    summary: (period, count) => `${period}: ${count} scorecards`,
    noFigures: (period) =>
      `no figures in the database for ${period}: import some (kpi import, kpi pull) or load the demo (kpi demo)`,
  },
  digest: {
    preview: (kind, team, period, to) => `── ${kind} digest of ${team} for ${period} → ${to} ──`,
    noChannel: "(no channel configured)",
    unfinished: (kind) =>
      `(the period is not over: figures up to today only; --period ${LAST_WORD[kind]} is the last complete one)`,
    supervisors: (names) => `── and to each supervisor (${names}) by direct message ──`,
    chartSaved: (path) => `chart saved to ${path}`,
    queued: (messages, revisions) =>
      `queued ${messages} messages for the bot to send (${revisions} revisions reported)`,
    alreadySent: (kind, period, team) =>
      `the ${kind} digest of ${period} was already sent to ${team}; nothing queued`,
    noRecipients: (team, platform) =>
      `${team} has no channel on ${platform} (teams[].channels in the configuration)`,
  },
  start: startMessages.en,
};

export function cliMessagesFor(lang: Lang): CliMessages {
  return lang === "en" ? en : zhCN;
}
