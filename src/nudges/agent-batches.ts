import { recipientKey, recipientsOf } from "../delivery/recipients.ts";
import type { AgentProfile } from "../store/agent-day-repo.ts";
import { agentMessagesDue } from "./notice-repo.ts";
import {
  dutyHoursOf,
  emptyReport,
  langOfProfile,
  type NudgeDeps,
  type NudgeReport,
  zoneOf,
} from "./nudge-deps.ts";
import { isUrgent, type NudgeItem, noticeKindOf } from "./nudge-items.ts";
import { nudgeReply } from "./nudge-reply.ts";
import { localDayOf, nextOnDuty } from "./on-duty.ts";
import { tellOnce } from "./tell.ts";

/**
 * Everything of a run for one agent (new bad reviews, reminders, ratings to review, slow days)
 * goes out as one direct message, in one transaction with its notices, when the agent may be
 * nudged: a message with a bad review or a reminder once quiet hours are over, any other once the
 * agent is also on shift. The daily cap counts the messages due on the agent's local day; over
 * it, what can wait stays untold (the next run's batch carries it) and what has a deadline goes.
 */

export async function queueAgentBatches(
  deps: NudgeDeps,
  now: Date,
  batches: ReadonlyMap<string, readonly NudgeItem[]>,
  profiles: ReadonlyMap<string, AgentProfile>,
): Promise<NudgeReport> {
  const report = emptyReport();
  const agentIds = [...batches.keys()].filter((id) => (batches.get(id)?.length ?? 0) > 0);
  const recipients = await recipientsOf(deps.db, deps.platforms, agentIds);
  const { nudges } = deps.config;
  for (const agentId of agentIds) {
    const profile = profiles.get(agentId);
    const recipient = recipients.get(agentId);
    if (!profile || !recipient) {
      report.unreachable.push(agentId);
      continue;
    }
    const hours = dutyHoursOf(deps.config, profile);
    const dueFor = (items: readonly NudgeItem[]) => nextOnDuty(now, hours, items.some(isUrgent));
    let items = [...batches.get(agentId)!];
    const day = localDayOf(dueFor(items), zoneOf(profile));
    if ((await agentMessagesDue(deps.db, agentId, day.from, day.to)) >= nudges.dailyCap) {
      const urgent = items.filter(isUrgent);
      report.heldByCap += items.length - urgent.length;
      items = urgent;
    }
    if (items.length === 0) continue;
    const context = {
      lang: langOfProfile(deps.config, profile),
      timeZone: zoneOf(profile),
      now,
      lowRatingBelow: nudges.lowRatingBelow,
      maxWaitSeconds: nudges.maxWaitSeconds,
      reminderHoursLeft: nudges.reminderHoursLeft,
    };
    const claims = items.map((item) => ({ ...item, agentId, kind: noticeKindOf(item) }));
    const result = await tellOnce(deps.db, claims, now, (won) => {
      const subjects = won.map((w) => w.subject).sort();
      // The key is made of the smallest subject this run won: no other run can make it, and a
      // rerun wins nothing, so neither the whole nor a part is queued twice.
      const kind = won.every((w) => w.kind === "reminder") ? "reminder" : "nudge";
      return [
        {
          message: {
            key: `${kind}:${recipientKey(recipient)}:${subjects[0]}`,
            platform: recipient.platform,
            to: recipient.to,
            reply: nudgeReply(profile.name, won, { ...context, platform: recipient.platform }),
            dueAt: dueFor(won),
          },
          subjects,
        },
      ];
    });
    report.queued += result.queued;
    report.told += result.told;
  }
  return report;
}
