import { describePull, type PullReport } from "../bot/pull.ts";
import { BUILT_IN_CONFIG_ORIGIN } from "../config.ts";
import type { OutboxBacklog } from "../delivery/outbox-drain.ts";
import type { DigestKind } from "../digest/digest-config.ts";
import type { DataSummary } from "../store/data-summary.ts";

/**
 * The lines `kpi start` prints around what the console shows, in the order of its story: the
 * database, the data, what was pulled, the digests, the nudges, then the wait for the next
 * schedule (or, with --once, the end). The English lines are also what scripts and tests read.
 */
export interface StartMessages {
  database: (kind: string, location: string, origin: string) => string;
  demoLoaded: (agents: number, days: number, endDay: string, scorecards: number) => string;
  dataThere: (data: DataSummary) => string;
  owedScored: (periods: readonly string[]) => string;
  pulled: (schedule: string, report: PullReport) => string;
  noticesQueued: (schedule: string, messages: number) => string;
  digestsQueued: (schedule: string, messages: number) => string;
  ratingsQueued: (schedule: string, messages: number) => string;
  qaQueued: (schedule: string, week: string, assigned: number, messages: number) => string;
  /** Heads the console's first look at yesterday: its digests, a Monday's 质检 cards, then its nudges. */
  showing: (stage: "digests" | "qa" | "nudges", messages: number) => string;
  listening: (platforms: string, url: string, routes: readonly string[]) => string;
  /** The next fire of the pulls and digests: its time in its zone and what runs then. */
  waiting: (next: NextSchedule | undefined) => string;
  stopping: string;
  backlog: (backlog: OutboxBacklog) => string;
}

export interface NextSchedule {
  /** YYYY-MM-DD HH:MM in `timeZone`. */
  at: string;
  timeZone: string;
  jobs: ({ job: "pull"; id: string } | { job: "digest"; digest: DigestKind })[];
}

const KIND_ZH: Record<DigestKind, string> = { daily: "日报", weekly: "周报", monthly: "月报" };

const zhCN: StartMessages = {
  database: (kind, location, origin) =>
    `数据库：${kind === "pglite" ? "内置 PGlite" : "PostgreSQL"}（${location}）；配置：${origin === BUILT_IN_CONFIG_ORIGIN ? "内置演示配置" : origin}`,
  demoLoaded: (agents, days, endDay, scorecards) =>
    `已加载演示店铺：${agents} 名客服，${days} 天数据（到 ${endDay}），${scorecards} 份考核结果`,
  dataThere: (data) =>
    data.lastDay === null
      ? `数据：${data.agents} 名客服，还没有数据（用 kpi import 或 kpi pull 导入）`
      : `数据：${data.agents} 名客服，数据到 ${data.lastDay}，${data.scorecards} 份考核结果`,
  owedScored: (periods) => `补算了 ${periods.length} 个待重算的周期（${periods.join("、")}）`,
  pulled: (schedule, report) => `拉取（${schedule}）${report.source} ${report.day}：${pulledZh(report)}`,
  noticesQueued: (schedule, messages) => `${schedule}：${messages} 条提醒和升级待发送`,
  digestsQueued: (schedule, messages) => `${schedule}：${messages} 条汇总消息待发送`,
  ratingsQueued: (schedule, messages) => `${schedule}：${messages} 条主管评分请求、提醒和逾期通知待发送`,
  qaQueued: (schedule, week, assigned, messages) =>
    `${schedule}：${week} 抽取 ${assigned} 条会话质检，${messages} 张质检卡片待发送`,
  showing: (stage, messages) =>
    stage === "digests"
      ? `━━ 昨天的日报（${messages} 条消息）━━`
      : stage === "qa"
        ? `━━ 质检（${messages} 张卡片）━━`
        : `━━ 提醒（${messages} 条消息）━━`,
  listening: (platforms, url, routes) =>
    `聊天平台：${platforms}；监听 ${url}（/healthz、/metrics${routes.map((r) => `、${r}`).join("")}）`,
  waiting: (next) =>
    next === undefined
      ? "调度器已运行：没有待执行的拉取或汇总；按 Ctrl+C 停止"
      : `调度器已运行，等待下一次计划任务：${next.at}（${next.timeZone}）${next.jobs.map((j) => (j.job === "pull" ? `拉取 ${j.id}` : KIND_ZH[j.digest])).join("、")}；按 Ctrl+C 停止`,
  stopping: "正在停止（等进行中的任务和发送完成）",
  backlog: (backlog) => {
    const parts = [backlog.due === 0 ? "到期的消息都已发出" : `还有 ${backlog.due} 条到期消息没发出`];
    if (backlog.held > 0)
      parts.push(`${backlog.held} 条因免打扰或排班暂缓（最早 ${backlog.nextAt?.toISOString()}）`);
    if (backlog.dead > 0) parts.push(`${backlog.dead} 条发送失败（已通知管理员）`);
    return `发件箱：${parts.join("；")}`;
  },
};

function pulledZh(report: PullReport): string {
  if (report.status === "failed") return `失败：${report.error.message}`;
  if (report.status === "rejected") return `拒收，${report.problems} 行有问题（kpi import 可查看）`;
  if (report.status === "unchanged") return "已导入过，没有变化";
  return `导入 ${report.records} 条客服日数据`;
}

const en: StartMessages = {
  database: (kind, location, origin) => `kpi-bot: database ${kind} (${location}), configuration ${origin}`,
  demoLoaded: (agents, days, endDay, scorecards) =>
    `demo shop loaded: ${agents} agents, ${days} days to ${endDay}, ${scorecards} scorecards`,
  dataThere: (data) =>
    data.lastDay === null
      ? `data: ${data.agents} agents, no figures yet (kpi import or kpi pull brings them)`
      : `data: ${data.agents} agents, figures up to ${data.lastDay}, ${data.scorecards} scorecards`,
  owedScored: (periods) => `scored ${periods.length} periods owed a re-score (${periods.join(", ")})`,
  pulled: (schedule, report) => `${schedule}: ${describePull(report)}`,
  noticesQueued: (schedule, messages) => `${schedule}: ${messages} nudges and escalations queued`,
  digestsQueued: (schedule, messages) => `${schedule}: ${messages} digest messages queued`,
  ratingsQueued: (schedule, messages) =>
    `${schedule}: ${messages} rating messages queued (cards, reminders, escalations)`,
  qaQueued: (schedule, week, assigned, messages) =>
    `${schedule}: ${assigned} conversations of ${week} sampled for QA, ${messages} review cards queued`,
  showing: (stage, messages) =>
    stage === "digests"
      ? `━━ yesterday's digests (${messages} messages) ━━`
      : stage === "qa"
        ? `━━ QA reviews (${messages} cards) ━━`
        : `━━ nudges (${messages} messages) ━━`,
  listening: (platforms, url, routes) =>
    `chat: ${platforms}; listening on ${url} (/healthz, /metrics${routes.map((r) => `, ${r}`).join("")})`,
  waiting: (next) =>
    next === undefined
      ? "scheduler running: no pull or digest ahead; Ctrl+C stops"
      : `scheduler running: waiting for the next schedule at ${next.at} (${next.timeZone}): ${next.jobs.map((j) => (j.job === "pull" ? `${j.id} (pull)` : `${j.digest} digest`)).join(", ")}; Ctrl+C stops`,
  stopping: "kpi-bot: stopping (finishing the jobs and sends under way)",
  backlog: (backlog) => {
    const parts = [
      backlog.due === 0 ? "every message due has been sent" : `${backlog.due} messages still due`,
    ];
    if (backlog.held > 0)
      parts.push(
        `${backlog.held} held for quiet hours or shifts (first at ${backlog.nextAt?.toISOString()})`,
      );
    if (backlog.dead > 0) parts.push(`${backlog.dead} could not be delivered (the admins were told)`);
    return `outbox: ${parts.join("; ")}`;
  },
};

export const startMessages = { "zh-CN": zhCN, en } as const;
