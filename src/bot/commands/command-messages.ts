import type { Lang } from "../../i18n/index.ts";
import type { CommandName } from "./command.ts";

/** What the bot answers to /kpi commands, per language. Figures arrive formatted. */
export interface CommandMessages {
  noCard: (who: string, period: string) => string;
  rank: (place: number, of: number) => string;
  change: (delta: string, previous: string) => string;
  unlinked: string;
  forbidden: (who: string) => string;
  unknownAgent: (name: string) => string;
  teamTitle: (team: string, period: string) => string;
  topTitle: (team: string, period: string) => string;
  columns: { place: string; agent: string; total: string; grade: string };
  anonymous: (place: number) => string;
  noTeam: string;
  usage: {
    empty: string;
    unknownCommand: (word: string) => string;
    badPeriod: (word: string) => string;
    missing: (argument: string) => string;
    badOutcome: (word: string) => string;
    extraWords: (words: string) => string;
    line: (usage: string) => string;
  };
  helpTitle: string;
  help: Record<CommandName, string>;
  periodsHelp: string;
}

const zhCN: CommandMessages = {
  noCard: (who, period) => `${who} 在 ${period} 还没有成绩单（数据可能尚未拉取）`,
  rank: (place, of) => `组内排名 ${place}/${of}`,
  change: (delta, previous) => `比 ${previous} ${delta}`,
  unlinked: "还不知道你是哪位客服。发送 `link <客服账号>` 绑定（需主管批准，或由花名册配置）。",
  forbidden: (who) => `你没有权限查看 ${who} 的数据：客服只能看自己的，主管看本组，管理员看全部。`,
  unknownAgent: (name) => `找不到客服「${name}」`,
  teamTitle: (team, period) => `${team} · ${period}`,
  topTitle: (team, period) => `${team} 排行 · ${period}`,
  columns: { place: "#", agent: "客服", total: "总分", grade: "等级" },
  anonymous: (place) => `第 ${place} 名`,
  noTeam: "你不在任何小组中",
  usage: {
    empty: "请输入命令，例如 `me`。",
    unknownCommand: (word) => `不认识的命令「${word}」。`,
    badPeriod: (word) =>
      `「${word}」不是时间段：可用 today、yesterday、week、last-week、month、last-month、YYYY-MM-DD、YYYY-MM。`,
    missing: (argument) => `缺少参数 ${argument}。`,
    badOutcome: (word) =>
      `「${word}」不是跟进结果：差评可用 contacted、recovered、unreachable，低分评价复盘用 reviewed。`,
    extraWords: (words) => `多余的内容「${words}」。`,
    line: (usage) => `用法：/kpi ${usage}`,
  },
  helpTitle: "kpi 命令",
  help: {
    me: "我的成绩单、组内排名、和上期比较、提升建议",
    team: "本组成绩（主管）",
    top: "本组排行",
    agent: "某位客服的成绩单（主管、管理员）",
    explain: "某个指标怎么算",
    targets: "我的考核目标",
    followups: "待跟进的差评",
    done: "记录差评跟进结果，或低分评价已复盘",
    link: "把聊天账号绑定到客服账号",
    help: "显示本帮助",
  },
  periodsHelp:
    "时间段：today 今天、yesterday 昨天、week 本周、last-week 上周、month 本月（不写时默认）、last-month 上月、YYYY-MM-DD、YYYY-MM",
};

const en: CommandMessages = {
  noCard: (who, period) =>
    `No scorecard for ${who} in ${period} yet (the day's figures may not be pulled yet).`,
  rank: (place, of) => `rank ${place} of ${of} in the team`,
  change: (delta, previous) => `${delta} vs ${previous}`,
  unlinked:
    "I don't know which agent you are yet. Send `link <your agent account>` (a supervisor approves it, or the roster lists you).",
  forbidden: (who) =>
    `You may not see ${who}'s figures: agents see their own, supervisors their team, admins everyone.`,
  unknownAgent: (name) => `No agent called "${name}".`,
  teamTitle: (team, period) => `${team} · ${period}`,
  topTitle: (team, period) => `${team} leaderboard · ${period}`,
  columns: { place: "#", agent: "agent", total: "total", grade: "grade" },
  anonymous: (place) => `#${place}`,
  noTeam: "You are not in a team.",
  usage: {
    empty: "Type a command, e.g. `me`.",
    unknownCommand: (word) => `Unknown command "${word}".`,
    badPeriod: (word) =>
      `"${word}" is not a period: use today, yesterday, week, last-week, month, last-month, YYYY-MM-DD or YYYY-MM.`,
    missing: (argument) => `Missing ${argument}.`,
    badOutcome: (word) =>
      `"${word}" is not an outcome: use contacted, recovered or unreachable for a bad review, reviewed for a low rating.`,
    extraWords: (words) => `Unexpected "${words}".`,
    line: (usage) => `Usage: /kpi ${usage}`,
  },
  helpTitle: "kpi commands",
  help: {
    me: "your scorecard, rank in the team, change and what lifts your grade",
    team: "your team's scores (supervisors)",
    top: "the team's leaderboard",
    agent: "an agent's scorecard (supervisors, admins)",
    explain: "how a metric is measured",
    targets: "your targets",
    followups: "bad reviews waiting for follow-up",
    done: "record a bad review's follow-up, or that a low rating was reviewed",
    link: "link your chat account to your agent account",
    help: "this help",
  },
  periodsHelp:
    "Periods: today, yesterday, week, last-week, month (the default), last-month, YYYY-MM-DD, YYYY-MM",
};

export function commandMessagesFor(lang: Lang): CommandMessages {
  return lang === "en" ? en : zhCN;
}
