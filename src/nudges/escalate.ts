import { recipientKey } from "../delivery/recipients.ts";
import type { AgentProfile } from "../store/agent-day-repo.ts";
import type { Escalation } from "./escalation-items.ts";
import type { EscalationTarget, ResolveTargets } from "./escalation-recipients.ts";
import { escalationReply } from "./escalation-reply.ts";
import { toldAmong } from "./notice-repo.ts";
import { emptyReport, type NudgeDeps, type NudgeReport } from "./nudge-deps.ts";
import { nextOnDuty } from "./on-duty.ts";
import { type Composed, tellOnce } from "./tell.ts";

/**
 * Escalations of a run, each told once: one message per recipient with all of theirs, held
 * through the recipient's quiet hours (never a shift: a supervisor is told when it is not night).
 */

/** Hours after which a review asked for and not recorded counts as ignored. */
export const IGNORED_AFTER_HOURS = 48;

export async function queueEscalations(
  deps: NudgeDeps,
  now: Date,
  items: readonly Escalation[],
  targets: ResolveTargets,
  profiles: ReadonlyMap<string, AgentProfile>,
): Promise<NudgeReport> {
  const report = emptyReport();
  const told = await toldAmong(
    deps.db,
    items.map((i) => i.subject),
  );
  const reachable: (Escalation & { kind: "escalation"; targets: EscalationTarget[] })[] = [];
  for (const item of items) {
    if (told.has(item.subject)) continue;
    const found = targets(item.agentId, item.to);
    if (found.length === 0) {
      if (!report.unreachable.includes(item.agentId)) report.unreachable.push(item.agentId);
      continue;
    }
    reachable.push({ ...item, kind: "escalation", targets: found });
  }
  const result = await tellOnce(deps.db, reachable, now, (won) => {
    const byRecipient = new Map<string, { target: EscalationTarget; items: Escalation[] }>();
    for (const item of won) {
      for (const target of item.targets) {
        const key = recipientKey(target.recipient);
        const entry = byRecipient.get(key) ?? { target, items: [] };
        byRecipient.set(key, entry);
        entry.items.push(item);
      }
    }
    return [...byRecipient].map(([key, { target, items: theirs }]): Composed => {
      const subjects = theirs.map((i) => i.subject).sort();
      const quiet = {
        timeZone: target.timeZone,
        quietHours:
          deps.config.holdForDuty === false ? { from: "00:00", to: "00:00" } : deps.config.nudges.quietHours,
      };
      return {
        message: {
          key: `escalation:${key}:${subjects[0]}`,
          platform: target.recipient.platform,
          to: target.recipient.to,
          reply: escalationReply(theirs, {
            lang: target.lang,
            now,
            profiles,
            ignoredAfterHours: IGNORED_AFTER_HOURS,
          }),
          dueAt: nextOnDuty(now, quiet, true),
        },
        subjects,
      };
    });
  });
  report.queued += result.queued;
  report.told += result.told;
  return report;
}
