import { dayInZone, periodOfDay } from "../engine/index.ts";
import type { AgentProfile } from "../store/agent-day-repo.ts";
import { recordedFactIds } from "../store/follow-up-repo.ts";
import { NUDGE_HORIZON_DAYS } from "./day-nudges.ts";
import { IGNORED_AFTER_HOURS } from "./escalate.ts";
import { type Escalation, ignoredSubject, overdueSubject } from "./escalation-items.ts";
import { dueOfTold, ratingReviewsAsked, toldAmong } from "./notice-repo.ts";
import { dutyHoursOf, type NudgeDeps, type NudgeReport, zoneOf } from "./nudge-deps.ts";
import { openBadReviewsSince, ratingsByIds } from "./nudge-facts.ts";
import { badReviewSubject, type NudgeItem, reminderSubject } from "./nudge-items.ts";
import { inQuietHours, nextOnDuty, quietHoursBegan } from "./on-duty.ts";
import { activeProfiles, type NoticeRun, queueRun } from "./queue-run.ts";

/**
 * Run every few minutes: the reminder to an agent when a bad review's deadline is near and
 * nothing is recorded; the overdue ladder (each step once, to the supervisor or the admins);
 * and the agents who leave rating reviews unrecorded (once per agent per ISO week).
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A reminder that would fall in quiet hours lasting past the deadline goes this long before they begin. */
const BEFORE_QUIET = HOUR;
/** Reviews asked for longer ago than this no longer count as ignored. */
const IGNORED_LOOKBACK = 14 * DAY;

/** A run of the follow-up checks alone (notice-run.ts runs them with the rest of a run). */
export async function checkFollowUps(deps: NudgeDeps, { now }: { now: Date }): Promise<NudgeReport> {
  return queueRun(deps, now, await followUpChecks(deps, { now }));
}

/** The reminders due (per agent) and the escalations due, none told yet. */
export async function followUpChecks(deps: NudgeDeps, { now }: { now: Date }): Promise<NoticeRun> {
  const profiles = await activeProfiles(deps.db);
  const ladder = deps.config.escalations.followUpOverdue;
  const lastStep = Math.max(0, ...ladder.map((s) => s.afterHours));
  // Far enough back for the ladder's last step, never less than the nudges' week.
  const since = new Date(now.getTime() - Math.max(NUDGE_HORIZON_DAYS * DAY, DAY + lastStep * HOUR + DAY));
  const open = (await openBadReviewsSince(deps.db, since)).filter((r) => profiles.has(r.agentId));
  const agents = deps.config.nudges.enabled ? await dueReminders(deps, now, open, profiles) : new Map();
  const escalations: Escalation[] = [];
  // A review pulled after its deadline (the platforms' figures come a day late) gives its agent
  // graceHours from being told before the supervisor hears; one never told is escalated on time.
  const told = await dueOfTold(
    deps.db,
    open.map((r) => badReviewSubject(r.fact.factId)),
  );
  const graceMs = deps.config.escalations.graceHours * HOUR;
  for (const { agentId, fact } of open) {
    const toldAt = told.get(badReviewSubject(fact.factId));
    const notBefore = toldAt === undefined ? 0 : toldAt.getTime() + graceMs;
    ladder.forEach((step, i) => {
      if (Math.max(fact.deadline.getTime() + step.afterHours * HOUR, notBefore) > now.getTime()) return;
      escalations.push({
        type: "overdue",
        subject: overdueSubject(fact.factId, i + 1),
        agentId,
        to: step.to,
        step: i + 1,
        review: fact,
      });
    });
  }
  escalations.push(...(await ignoredReviews(deps, now, profiles)));
  return { agents, escalations };
}

type OpenReview = Awaited<ReturnType<typeof openBadReviewsSince>>[number];

/**
 * A reminder goes when `reminderHoursLeft` are left, unless the nudge itself came that late (it
 * said the deadline). Where that moment falls in quiet hours that last past the deadline, it goes
 * an hour before they begin instead; one that could only arrive after the deadline is not sent.
 */
async function dueReminders(
  deps: NudgeDeps,
  now: Date,
  open: readonly OpenReview[],
  profiles: ReadonlyMap<string, AgentProfile>,
): Promise<Map<string, NudgeItem[]>> {
  const ahead = open.filter((r) => r.fact.deadline > now);
  const nudged = await dueOfTold(
    deps.db,
    ahead.map((r) => badReviewSubject(r.fact.factId)),
  );
  const reminded = await toldAmong(
    deps.db,
    ahead.map((r) => reminderSubject(r.fact.factId)),
  );
  const batches = new Map<string, NudgeItem[]>();
  for (const { agentId, fact } of ahead) {
    const hours = dutyHoursOf(deps.config, profiles.get(agentId));
    let remindAt = new Date(fact.deadline.getTime() - deps.config.nudges.reminderHoursLeft * HOUR);
    if (inQuietHours(remindAt, hours) && nextOnDuty(remindAt, hours, true) >= fact.deadline)
      remindAt = new Date(quietHoursBegan(remindAt, hours).getTime() - BEFORE_QUIET);
    const nudgeDue = nudged.get(badReviewSubject(fact.factId));
    if (now < remindAt || nudgeDue === undefined || nudgeDue >= remindAt) continue;
    if (reminded.has(reminderSubject(fact.factId))) continue;
    if (nextOnDuty(now, hours, true) >= fact.deadline) continue;
    const list = batches.get(agentId) ?? [];
    batches.set(agentId, list);
    list.push({ type: "reminder", subject: reminderSubject(fact.factId), ...fact });
  }
  return batches;
}

/** Agents with `count` or more rating reviews asked for over 48 h ago and still not recorded. */
async function ignoredReviews(
  deps: NudgeDeps,
  now: Date,
  profiles: ReadonlyMap<string, AgentProfile>,
): Promise<Escalation[]> {
  const rule = deps.config.escalations.ignoredNudges;
  if (!rule) return [];
  const asked = await ratingReviewsAsked(
    deps.db,
    new Date(now.getTime() - IGNORED_LOOKBACK),
    new Date(now.getTime() - IGNORED_AFTER_HOURS * HOUR),
  );
  const recorded = await recordedFactIds(
    deps.db,
    asked.map((a) => a.factId),
  );
  const pending = asked.filter((a) => !recorded.has(a.factId) && profiles.has(a.agentId));
  const byAgent = new Map<string, typeof pending>();
  for (const a of pending) byAgent.set(a.agentId, [...(byAgent.get(a.agentId) ?? []), a]);
  const ratings = await ratingsByIds(
    deps.db,
    pending.map((a) => a.factId),
  );
  const out: Escalation[] = [];
  for (const [agentId, list] of byAgent) {
    if (list.length < rule.count) continue;
    const week = periodOfDay(dayInZone(zoneOf(profiles.get(agentId)))(now.getTime()), "week").key;
    out.push({
      type: "ignored",
      subject: ignoredSubject(agentId, week),
      agentId,
      to: rule.to,
      ratings: list
        .flatMap((a) => {
          const r = ratings.get(a.factId);
          return r ? [{ ...r, askedAt: a.askedAt }] : [];
        })
        .sort((a, b) => a.at.getTime() - b.at.getTime()),
    });
  }
  return out;
}
