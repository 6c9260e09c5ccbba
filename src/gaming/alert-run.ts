import { recipientKey } from "../delivery/recipients.ts";
import { DEFAULT_GAMING_THRESHOLDS, type GamingFinding, type GamingThresholds } from "../engine/index.ts";
import { type EscalationTarget, escalationTargets } from "../nudges/escalation-recipients.ts";
import { toldAmong } from "../nudges/notice-repo.ts";
import type { NudgeDeps } from "../nudges/nudge-deps.ts";
import { nextOnDuty } from "../nudges/on-duty.ts";
import { type Composed, tellOnce } from "../nudges/tell.ts";
import { agentProfiles } from "../store/agent-day-repo.ts";
import { addGamingAlerts, type GamingAlertRow, openGamingAlerts } from "../store/gaming-repo.ts";
import { type AlertView, alertsPerMessage, gamingAlertReply } from "./alert-reply.ts";
import { findingsOfStoredWeek } from "./stored-week.ts";

/**
 * The weekly gaming run for one ISO week: judge every agent's stored week, raise at most one
 * alert per agent, week and kind (the table's unique key), and tell each open alert of the week
 * once to the agent's supervisor (else their team's lead, else the admins: escalation-recipients),
 * in a direct message, never the team channel. A run repeated, or two at once, raise and tell
 * nothing twice; an alert raised by a run that died before telling is told by the next.
 */

export interface GamingRunReport {
  raised: number;
  queued: number;
  told: number;
  unreachable: string[];
}

export async function raiseGamingAlerts(
  deps: NudgeDeps,
  scope: { week: string; now: Date; thresholds?: GamingThresholds },
): Promise<GamingRunReport> {
  const { week, now } = scope;
  const findings = await findingsOfStoredWeek(deps.db, week, scope.thresholds ?? DEFAULT_GAMING_THRESHOLDS);
  const raised = await deps.db.transaction((tx) =>
    addGamingAlerts(
      tx,
      [...findings].flatMap(([agentId, found]) =>
        found.map((f) => ({ agentId, week, kind: f.kind, evidence: f })),
      ),
      now,
    ),
  );
  const open = (await openGamingAlerts(deps.db)).filter((a) => a.week === week);
  const told = await toldAmong(
    deps.db,
    open.map((a) => subjectOf(a)),
  );
  const untold = open.filter((a) => !told.has(subjectOf(a)));
  const report: GamingRunReport = { raised: raised.length, queued: 0, told: 0, unreachable: [] };
  if (untold.length === 0) return report;

  const profiles = new Map((await agentProfiles(deps.db)).map((p) => [p.id, p]));
  const targets = await escalationTargets(deps, profiles, now);
  const items: (GamingAlertRow & {
    subject: string;
    kind: "escalation";
    alertKind: string;
    targets: EscalationTarget[];
  })[] = [];
  for (const alert of untold) {
    const found = targets(alert.agentId, "supervisor");
    if (found.length === 0) {
      if (!report.unreachable.includes(alert.agentId)) report.unreachable.push(alert.agentId);
      continue;
    }
    items.push({
      ...alert,
      subject: subjectOf(alert),
      kind: "escalation",
      alertKind: alert.kind,
      targets: found,
    });
  }
  const result = await tellOnce(deps.db, items, now, (won) => {
    const byRecipient = new Map<string, { target: EscalationTarget; alerts: typeof won }>();
    for (const item of won)
      for (const target of item.targets) {
        const key = recipientKey(target.recipient);
        const entry = byRecipient.get(key) ?? { target, alerts: [] };
        byRecipient.set(key, entry);
        entry.alerts.push(item);
      }
    return [...byRecipient].flatMap(([key, { target, alerts }]) => {
      // DingTalk takes five buttons a message: one button per alert, so five alerts a message.
      return alertsPerMessage(alerts, target.recipient.platform).map((chunk): Composed => {
        const views: AlertView[] = chunk.map((a) => ({
          id: a.id,
          agentName: profiles.get(a.agentId)?.name ?? a.agentId,
          week: a.week,
          kind: a.alertKind,
          finding: a.evidence as GamingFinding,
        }));
        const subjects = chunk.map((a) => a.subject).sort();
        const quiet = {
          timeZone: target.timeZone,
          quietHours:
            deps.config.holdForDuty === false
              ? { from: "00:00", to: "00:00" }
              : deps.config.nudges.quietHours,
        };
        return {
          message: {
            key: `gaming:${key}:${subjects[0]}`,
            platform: target.recipient.platform,
            to: target.recipient.to,
            reply: gamingAlertReply(views, target.lang),
            dueAt: nextOnDuty(now, quiet, true),
          },
          subjects,
        };
      });
    });
  });
  report.queued = result.queued;
  report.told = result.told;
  return report;
}

const subjectOf = (alert: { id: number }) => `gaming:${alert.id}`;
