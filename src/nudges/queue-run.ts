import { type AgentProfile, agentProfiles } from "../store/agent-day-repo.ts";
import type { Queryable } from "../store/database.ts";
import { queueAgentBatches } from "./agent-batches.ts";
import { queueEscalations } from "./escalate.ts";
import type { Escalation } from "./escalation-items.ts";
import { escalationTargets } from "./escalation-recipients.ts";
import { addReports, emptyReport, type NudgeDeps, type NudgeReport } from "./nudge-deps.ts";
import type { NudgeItem } from "./nudge-items.ts";

/**
 * What a run found to tell, and how it is queued: each agent one message with all of theirs,
 * each supervisor or admin one message with all their escalations (notice-run.ts gathers a run).
 */

export interface NoticeRun {
  /** Per agent, what they are to be told (nothing told yet, as each use-case found it). */
  agents: Map<string, NudgeItem[]>;
  escalations: Escalation[];
}

export const emptyRun = (): NoticeRun => ({ agents: new Map(), escalations: [] });

/** Adds a use-case's findings to the run; a subject found twice is told once. */
export function addToRun(
  run: NoticeRun,
  more: { agents?: ReadonlyMap<string, readonly NudgeItem[]>; escalations?: readonly Escalation[] },
): NoticeRun {
  for (const [agentId, items] of more.agents ?? []) {
    const list = run.agents.get(agentId) ?? [];
    run.agents.set(agentId, list);
    for (const item of items) if (!list.some((i) => i.subject === item.subject)) list.push(item);
  }
  for (const e of more.escalations ?? [])
    if (!run.escalations.some((x) => x.subject === e.subject)) run.escalations.push(e);
  return run;
}

/** One message per agent, one per escalation recipient, for what the run found. */
export async function queueRun(deps: NudgeDeps, now: Date, run: NoticeRun): Promise<NudgeReport> {
  const report = emptyReport();
  const profiles = await activeProfiles(deps.db);
  if (run.agents.size > 0) addReports(report, await queueAgentBatches(deps, now, run.agents, profiles));
  if (run.escalations.length > 0) {
    const targets = await escalationTargets(deps, profiles, now);
    addReports(report, await queueEscalations(deps, now, run.escalations, targets, profiles));
  }
  return report;
}

export async function activeProfiles(db: Queryable): Promise<Map<string, AgentProfile>> {
  return new Map((await agentProfiles(db)).filter((p) => p.active).map((p) => [p.id, p]));
}
