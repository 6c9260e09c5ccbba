import { type Caller, chatUserKey } from "../../chat/caller.ts";
import type { AgentProfile } from "../../store/agent-day-repo.ts";

/**
 * Who is asking, and whose numbers they may see: an agent their own, a supervisor their team's
 * (the agents they supervise, and their team when they lead one), an admin everyone's. Someone
 * the bot cannot place is told how to link their chat account.
 */

export type Viewer =
  | { kind: "unlinked"; caller: Caller }
  | { kind: "agent"; caller: Caller; agent: AgentProfile; admin: boolean };

export interface Roster {
  byId: ReadonlyMap<string, AgentProfile>;
  /** Admins as `platform:userId` (configuration: admins). */
  admins: ReadonlySet<string>;
}

export function viewerOf(caller: Caller, agentId: string | undefined, roster: Roster): Viewer {
  const agent = agentId === undefined ? undefined : roster.byId.get(agentId);
  if (!agent) return { kind: "unlinked", caller };
  return { kind: "agent", caller, agent, admin: roster.admins.has(chatUserKey(caller)) };
}

/** Whether someone supervises anyone: a lead sees their whole team. */
function leads(agent: AgentProfile, roster: Roster): boolean {
  for (const other of roster.byId.values()) if (other.supervisorId === agent.id) return true;
  return false;
}

export function maySee(viewer: Viewer, target: AgentProfile, roster: Roster): boolean {
  if (viewer.kind !== "agent") return false;
  if (viewer.admin || viewer.agent.id === target.id) return true;
  if (target.supervisorId === viewer.agent.id) return true;
  return target.teamId !== null && target.teamId === viewer.agent.teamId && leads(viewer.agent, roster);
}

export function maySeeTeam(viewer: Viewer, teamId: string, roster: Roster): boolean {
  if (viewer.kind !== "agent") return false;
  if (viewer.admin) return true;
  return viewer.agent.teamId === teamId && leads(viewer.agent, roster);
}
