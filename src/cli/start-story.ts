import type { BotNews } from "../bot/bot-news.ts";
import type { BotSchedule } from "../bot/bot-schedules.ts";
import { localTimeIn } from "../engine/index.ts";
import type { NextSchedule, StartMessages } from "./start-messages.ts";

/** The running bot's news in the reader's words (start-messages.ts). */
export function newsLine(words: StartMessages, news: BotNews): string {
  switch (news.kind) {
    case "owed-scored":
      return words.owedScored(news.periods);
    case "pulled":
      return words.pulled(news.schedule, news.report);
    case "notices-queued":
      return words.noticesQueued(news.schedule, news.messages);
    case "digests-queued":
      return words.digestsQueued(news.schedule, news.messages);
    case "ratings-queued":
      return words.ratingsQueued(news.schedule, news.messages);
    case "qa-queued":
      return words.qaQueued(news.schedule, news.week, news.assigned, news.messages);
  }
}

/**
 * The next pulls and digests: the earliest fire among them, with every job due at that instant,
 * in the first such job's zone. The follow-up watch (every five minutes, quiet unless a deadline
 * passed) and the rating requests (daily, quiet except in the days after a period closes) are not
 * what anyone waits for.
 */
export function nextSchedule(
  schedules: readonly BotSchedule[],
  fires: readonly { job: string; at: Date | null }[],
): NextSchedule | undefined {
  const due = fires.flatMap(({ job, at }) => {
    const schedule = schedules.find((s) => s.id === job);
    // Only pulls and digests: the watch, gaming alerts, rating requests and 质检 batches are the
    // supervisors' business, not what the terminal waits for.
    if (!schedule || !at || (schedule.job !== "pull" && schedule.job !== "digest")) return [];
    const what: NextSchedule["jobs"][number] =
      schedule.job === "pull" ? { job: "pull", id: schedule.id } : { job: "digest", digest: schedule.digest };
    return [{ at, timeZone: schedule.timeZone, what }];
  });
  const first = Math.min(...due.map((d) => d.at.getTime()));
  const together = due.filter((d) => d.at.getTime() === first);
  const lead = together[0];
  if (!lead) return undefined;
  const local = new Date(localTimeIn(lead.timeZone)(first)).toISOString();
  return {
    at: `${local.slice(0, 10)} ${local.slice(11, 16)}`,
    timeZone: lead.timeZone,
    jobs: together.map((d) => d.what),
  };
}
