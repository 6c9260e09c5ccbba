import { adminRecipient, type Recipient, recipientsOf } from "../delivery/recipients.ts";
import { DEFAULT_TIME_ZONE, dayInZone, dayKey } from "../engine/index.ts";
import type { Lang } from "../i18n/index.ts";
import type { AgentProfile } from "../store/agent-day-repo.ts";
import { schemesInForce } from "../store/scheme-repo.ts";
import type { Audience } from "./escalation-items.ts";
import { langOfProfile, type NudgeDeps, zoneOf } from "./nudge-deps.ts";

/**
 * Who an escalation about an agent goes to. "supervisor": the agent's supervisor, else their
 * team's lead (an agent whose role is scored on the team); if neither can be reached on the
 * bot's platforms, the admins, so an escalation is never dropped for want of a chat id.
 * "admins": every admin the bot can reach. Each is written to in their team's language and
 * held through their quiet hours (an admin's: the agent's shop's).
 */

export interface EscalationTarget {
  recipient: Recipient;
  lang: Lang;
  timeZone: string;
}

export type ResolveTargets = (agentId: string, to: Audience) => EscalationTarget[];

export async function escalationTargets(
  deps: NudgeDeps,
  profiles: ReadonlyMap<string, AgentProfile>,
  now: Date,
): Promise<ResolveTargets> {
  const schemes = await schemesInForce(deps.db, dayKey(dayInZone(DEFAULT_TIME_ZONE)(now.getTime())));
  const leadsByTeam = new Map<string, string[]>();
  for (const p of profiles.values()) {
    if (!p.active || p.teamId === null) continue;
    if (schemes.get(p.role)?.scheme.roles.get(p.role)?.scope !== "team") continue;
    leadsByTeam.set(p.teamId, [...(leadsByTeam.get(p.teamId) ?? []), p.id]);
  }
  const candidates = new Set<string>([...leadsByTeam.values()].flat());
  for (const p of profiles.values()) if (p.supervisorId) candidates.add(p.supervisorId);
  const reachable = await recipientsOf(deps.db, deps.platforms, [...candidates]);
  const admins = (agent: AgentProfile | undefined): EscalationTarget[] =>
    deps.config.admins.flatMap((admin) => {
      const recipient = adminRecipient(admin, deps.platforms);
      return recipient
        ? [{ recipient, lang: langOfProfile(deps.config, agent), timeZone: zoneOf(agent) }]
        : [];
    });
  return (agentId, to) => {
    const agent = profiles.get(agentId);
    if (to === "admins") return admins(agent);
    const ids = [agent?.supervisorId, ...(leadsByTeam.get(agent?.teamId ?? "") ?? [])];
    for (const id of ids) {
      if (!id || id === agentId) continue;
      const boss = profiles.get(id);
      const recipient = reachable.get(id);
      if (boss?.active && recipient)
        return [{ recipient, lang: langOfProfile(deps.config, boss), timeZone: zoneOf(boss) }];
    }
    return admins(agent);
  };
}
