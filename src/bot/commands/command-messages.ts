import type { Lang } from "../../i18n/index.ts";
import { COMMAND_WORDS, type CommandName, PERIOD_WORDS, type PeriodWord, USAGE } from "./command.ts";

/** What the bot answers to /kpi commands, per language. Figures arrive formatted. */
export interface CommandMessages {
  noCard: (who: string, period: string) => string;
  rank: (place: number, of: number) => string;
  unlinked: string;
  forbidden: (who: string) => string;
  unknownAgent: (name: string) => string;
  teamTitle: (team: string, period: string) => string;
  topTitle: (team: string, period: string) => string;
  columns: { place: string; agent: string; total: string; grade: string };
  anonymous: (place: number) => string;
  /** A board's group when a team ranks several (engine/rank.ts): a role, or its new hires on probation. */
  group: (name: string, count: number) => string;
  probation: (role: string) => string;
  /** A day or week asked for: they are watched, not graded, so the board is the period graded so far. */
  gradedSoFar: (asked: string, period: string) => string;
  /** What a * after a name means. */
  pendingNote: string;
  /** Under a board: who has a card but too few figures to be graded or ranked (不足以评级). */
  notRanked: (who: readonly { name: string; coverage: string; minimum: string }[]) => string;
  /** Under a watched day or week: the period graded, so far. */
  soFar: (period: string, total: string, grade: string, place?: number, of?: number) => string;
  soFarUngraded: (period: string) => string;
  noTeam: string;
  usage: {
    empty: string;
    badCharacters: string;
    tooLong: (limit: number) => string;
    unknownCommand: (word: string) => string;
    badPeriod: (word: string) => string;
    /** `argument` as the parser names it ("metric", "name|@user" …). */
    missing: (argument: string) => string;
    badOutcome: (word: string) => string;
    extraWords: (words: string) => string;
    line: (usage: string) => string;
  };
  /** Each command's arguments, in the reader's words. */
  usageOf: Record<CommandName, string>;
  helpTitle: string;
  /** One line of help: the usage, other words for the command, what it does. */
  helpLine: (usage: string, name: CommandName, what: string) => string;
  help: Record<CommandName, string>;
  /** The period words (PERIOD_WORDS) and keys, as the help lists them: the one list of them. */
  periodsTitle: string;
  periodLine: (words: readonly string[], meaning: string) => string;
  periodMeaning: Record<PeriodWord, string>;
  periodKeys: { keys: string; meaning: string };
}

const CJK = /[\u3400-\u9fff]/;
/** The Chinese words of a table row first, for Chinese readers. */
const chineseFirst = (words: readonly string[]) => [
  ...words.filter((w) => CJK.test(w)),
  ...words.filter((w) => !CJK.test(w)),
];

const MISSING_ZH: Readonly<Record<string, string>> = {
  "name|@user": "要查看的客服（姓名、编号或 @某人）",
  metric: "指标名称",
  id: "编号",
  "contacted|recovered|unreachable|reviewed": "跟进结果（已联系、已挽回、联系不上 或 已复盘）",
  account: "客服账号",
  "metric|#fact": "申诉的指标或记录编号",
  reason: "理由",
  "value|exclude": "更正值（如 28秒、92%、45/50）或 排除",
};

const zhCN: CommandMessages = {
  noCard: (who, period) => `${who} ${period} 还没有考核结果（数据可能还没导入）。`,
  rank: (place, of) => `组内排名：第 ${place} 名（共 ${of} 人）`,
  unlinked:
    "还不知道你对应哪位客服。请发送 `link <客服账号>` 申请绑定，主管批准后即可使用；也可以请管理员在花名册里配置。",
  forbidden: (who) =>
    `你没有权限查看 ${who} 的数据：客服只能查看自己的，主管可以查看本组的，管理员可以查看全部。`,
  unknownAgent: (name) => `找不到客服「${name}」，请检查姓名或编号。`,
  teamTitle: (team, period) => `${team} · ${period} 全员考核结果`,
  topTitle: (team, period) => `${team} · ${period} 排行榜`,
  columns: { place: "名次", agent: "客服", total: "总分", grade: "等级" },
  anonymous: (place) => `第 ${place} 名`,
  group: (name, count) => `${name}（${count} 人）`,
  probation: (role) => `${role}（试用期）`,
  gradedSoFar: (asked, period) => `${asked} 只看各项是否达标，不排名；以下是按月考核的 ${period} 至今排名。`,
  pendingNote: "* 含尚未最终确定的数据（延迟统计的转化，或 72 小时内可能变化的解决率）。",
  notRanked: (who) =>
    `未评级、不排名：${who.map((w) => `${w.name}（有数据的指标只占权重的 ${w.coverage}%，至少需要 ${w.minimum}%）`).join("、")}`,
  soFar: (period, total, grade, place, of) =>
    `${period} 至今：总分 ${total}，等级 ${grade}${place !== undefined && of !== undefined && of > 1 ? `，组内第 ${place} 名（共 ${of} 人）` : ""}`,
  soFarUngraded: (period) => `${period} 至今还不能评定等级（数据不足）`,
  noTeam: "你还没有分到任何小组。",
  usage: {
    empty: "请输入命令，例如 `me`。",
    badCharacters: "命令里有无法识别的控制字符，请重新输入。",
    tooLong: (limit) => `命令太长（最多 ${limit} 个字），请检查后重新输入。`,
    unknownCommand: (word) => `没有「${word}」这个命令。`,
    badPeriod: (word) => `「${word}」不是可用的时间段，发送 \`help\` 查看时间段的写法。`,
    missing: (argument) => `缺少${MISSING_ZH[argument] ?? argument}。`,
    badOutcome: (word) =>
      `「${word}」不是跟进结果：差评写 已联系、已挽回 或 联系不上（contacted、recovered、unreachable），低分评价复盘后写 已复盘（reviewed）。`,
    extraWords: (words) => `多了「${words}」，请检查命令。`,
    line: (usage) => `用法：/kpi ${usage}`,
  },
  usageOf: {
    me: "me [时间段]",
    team: "team [时间段]",
    top: "top [时间段]",
    agent: "agent <姓名|@某人> [时间段]",
    explain: "explain <指标> [时段]",
    targets: "targets",
    followups: "followups [页码]",
    done: "done <编号> 已联系|已挽回|联系不上|已复盘 [备注]",
    link: "link <客服账号>",
    appeal:
      "申诉 <指标|#编号> [时间段] <理由> · 申诉 同意 <申诉号> <更正值|排除> · 申诉 驳回 <申诉号> <理由>",
    appeals: "申诉列表",
    alerts: "alerts [没问题 <编号> [备注]]",
    rate: "rate [<客服> <评分项> <等级> [备注]]（评分 小张 团队协作 优秀）",
    qa: "qa [评分 <编号> 完整回复=是|否 话术规范=是|否 态度=1-5 问题解决=是|否 [备注]]",
    help: "help",
  },
  helpTitle: "/kpi 命令一览",
  helpLine: (usage, name, what) => {
    const chinese = COMMAND_WORDS[name].filter((w) => CJK.test(w));
    return `/kpi ${usage}${chinese.length ? `（中文：${chinese.join("、")}）` : ""} — ${what}`;
  },
  help: {
    me: "我的考核结果：各项得分、组内排名、与上期相比、怎样升到下一等级",
    team: "本组全员的考核结果（主管）",
    top: "本组排行榜",
    agent: "某位客服的考核结果（主管、管理员）",
    explain: "某个指标的含义和算法，以及我的目标和本月（或所问时段）的数据，大促分段时列出每段",
    targets: "我的考核标准：各项目标、权重、计分方法和等级",
    followups: "待跟进的差评和待复盘的低分评价（每页 20 条）",
    done: "记录差评的跟进结果，或低分评价已复盘",
    link: "把聊天账号绑定到客服账号",
    appeal:
      "对自己考核结果中的某项（默认上月）或某条记录（超时、违规话术、低分、差评）提出申诉；主管同意或驳回",
    appeals: "待处理和最近处理的申诉（客服看自己的，主管看本组的，管理员看全部）",
    alerts: "未处理的刷指标提醒（主管、管理员），或把一条标记为没问题",
    rate: "主管为上一考核期的评分项打分（团队协作等）；只写 rate 列出还没评的",
    qa: "质检：质检员查看待评会话并评分，客服查看自己最近的质检结果",
    help: "显示本帮助",
  },
  periodsTitle: "时间段写在命令后面，例如 `me 上周`；不写时为本月：",
  periodLine: (words, meaning) => `${chineseFirst(words).join("、")}：${meaning}`,
  periodMeaning: {
    today: "今天（当天的数据一般次日上午才到齐）",
    yesterday: "昨天",
    week: "本周一到今天",
    "last-week": "上周一到上周日",
    month: "本月 1 日到今天（默认）",
    "last-month": "上个月",
  },
  periodKeys: {
    keys: "2026-11-23、2026-W47、2026-11、2026-Q4",
    meaning: "指定的某一天、某一周（ISO 周，周一开始）、某个月、某个季度",
  },
};

const en: CommandMessages = {
  noCard: (who, period) =>
    `No scorecard for ${who} in ${period} yet (the figures may not have been imported yet).`,
  rank: (place, of) => `rank ${place} of ${of} in the team`,
  unlinked:
    "I don't know which agent you are yet. Send `link <your agent account>` (a supervisor approves it, or an admin adds you to the roster).",
  forbidden: (who) =>
    `You may not see ${who}'s figures: agents see their own, supervisors their team, admins everyone.`,
  unknownAgent: (name) => `No agent called "${name}".`,
  teamTitle: (team, period) => `${team} · ${period}, every agent`,
  topTitle: (team, period) => `${team} leaderboard · ${period}`,
  columns: { place: "#", agent: "agent", total: "total", grade: "grade" },
  anonymous: (place) => `#${place}`,
  group: (name, count) => `${name} (${count})`,
  probation: (role) => `${role} (probation)`,
  gradedSoFar: (asked, period) =>
    `${asked} is watched, not ranked; here is the ranking of ${period} so far, the period graded.`,
  pendingNote:
    "* includes figures not yet final (conversion that settles later, resolution within its 72 h).",
  notRanked: (who) =>
    `Not graded or ranked: ${who.map((w) => `${w.name} (figures for ${w.coverage}% of the weight, ${w.minimum}% needed)`).join(", ")}`,
  soFar: (period, total, grade, place, of) =>
    `${period} so far: total ${total}, grade ${grade}${place !== undefined && of !== undefined && of > 1 ? `, #${place} of ${of}` : ""}`,
  soFarUngraded: (period) => `${period} so far: not enough figures for a grade yet`,
  noTeam: "You are not in a team.",
  usage: {
    empty: "Type a command, e.g. `me`.",
    badCharacters: "The command holds control characters; please type it again.",
    tooLong: (limit) => `The command is too long (at most ${limit} characters).`,
    unknownCommand: (word) => `Unknown command "${word}".`,
    badPeriod: (word) => `"${word}" is not a period: send \`help\` for the periods you can ask for.`,
    missing: (argument) => `Missing ${argument}.`,
    badOutcome: (word) =>
      `"${word}" is not an outcome: use contacted, recovered or unreachable for a bad review, reviewed for a low rating.`,
    extraWords: (words) => `Unexpected "${words}".`,
    line: (usage) => `Usage: /kpi ${usage}`,
  },
  usageOf: USAGE,
  helpTitle: "kpi commands",
  helpLine: (usage, _name, what) => `/kpi ${usage} — ${what}`,
  help: {
    me: "your scorecard, rank in the team, change and what lifts your grade",
    team: "your team's scores (supervisors)",
    top: "the team's leaderboard",
    agent: "an agent's scorecard (supervisors, admins)",
    explain:
      "what a metric measures and how, your target and figure this month (or the period asked), stretch by stretch across a promotion",
    targets: "your targets, weights, scoring and grades",
    followups: "bad reviews waiting for follow-up and low ratings waiting for review (20 a page)",
    done: "record a bad review's follow-up, or that a low rating was reviewed",
    link: "link your chat account to your agent account",
    appeal:
      "appeal an item of your card (last month unless a period is given) or a fact (a long wait, phrase hit, low rating, bad review); your supervisor accepts or rejects it",
    appeals: "open and recent appeals (agents their own, supervisors their team's, admins all)",
    alerts: "open gaming alerts (supervisors, admins), or mark one fine",
    rate: "rate your agents' supervisor-rated items (teamwork …) for the period just closed; `rate` alone lists what is left",
    qa: "quality review: reviewers list and rate their conversations, agents see their latest results",
    help: "this help",
  },
  periodsTitle: "Periods go after the command, e.g. `me last-week`; without one, this month:",
  periodLine: (words, meaning) => `${words.join(", ")}: ${meaning}`,
  periodMeaning: {
    today: "today (a day's figures usually arrive the next morning)",
    yesterday: "yesterday",
    week: "this week so far, from Monday",
    "last-week": "last week, Monday to Sunday",
    month: "this month so far (the default)",
    "last-month": "last month",
  },
  periodKeys: {
    keys: "2026-11-23, 2026-W47, 2026-11, 2026-Q4",
    meaning: "that day, ISO week (Monday first), month or quarter",
  },
};

export function commandMessagesFor(lang: Lang): CommandMessages {
  return lang === "en" ? en : zhCN;
}

/** The help's list of periods: every word of PERIOD_WORDS with its meaning, then the keys. */
export function periodsHelp(c: CommandMessages): string {
  const words = (Object.keys(PERIOD_WORDS) as PeriodWord[]).map((w) =>
    c.periodLine(PERIOD_WORDS[w], c.periodMeaning[w]),
  );
  return [c.periodsTitle, ...words, c.periodLine([c.periodKeys.keys], c.periodKeys.meaning)].join("\n");
}
