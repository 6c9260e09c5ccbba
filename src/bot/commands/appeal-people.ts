import type { ChatPlatform } from "../../chat/caller.ts";
import type { Reply } from "../../chat/reply.ts";
import { addToOutbox } from "../../delivery/outbox-repo.ts";
import { adminRecipient, type Recipient, recipientKey, recipientsOf } from "../../delivery/recipients.ts";
import type { AgentProfile } from "../../store/agent-day-repo.ts";
import type { Queryable } from "../../store/database.ts";
import type { CommandDeps } from "./command-deps.ts";
import { maySee, type Roster, type Viewer } from "./viewer.ts";

/**
 * Who decides an agent's appeal and how they are written to. The decider is the agent's
 * supervisor; without one (or one the bot cannot reach), the admins. Only the agent's supervisor,
 * the lead of their team, or an admin decides, and never the agent themself.
 */

export const platformsOf = (deps: Pick<CommandDeps, "platforms">): readonly ChatPlatform[] =>
  deps.platforms ?? ["console"];

export function supervisorOf(agent: AgentProfile, roster: Roster): AgentProfile | undefined {
  const supervisor = agent.supervisorId === null ? undefined : roster.byId.get(agent.supervisorId);
  return supervisor?.active ? supervisor : undefined;
}

export function mayDecide(
  viewer: Extract<Viewer, { kind: "agent" }>,
  agent: AgentProfile,
  roster: Roster,
): boolean {
  if (viewer.agent.id === agent.id) return false;
  return viewer.admin || agent.supervisorId === viewer.agent.id || maySee(viewer, agent, roster);
}

/** The decider's recipients: the supervisor's, else every admin's on the bot's platforms. */
export async function deciderRecipients(
  db: Queryable,
  deps: Pick<CommandDeps, "platforms" | "admins">,
  agent: AgentProfile,
  roster: Roster,
): Promise<{ supervisor: AgentProfile | undefined; recipients: Recipient[] }> {
  const supervisor = supervisorOf(agent, roster);
  if (supervisor) {
    const found = (await recipientsOf(db, platformsOf(deps), [supervisor.id])).get(supervisor.id);
    if (found) return { supervisor, recipients: [found] };
  }
  return { supervisor: undefined, recipients: adminRecipients(deps) };
}

export function adminRecipients(deps: Pick<CommandDeps, "platforms" | "admins">): Recipient[] {
  return [...deps.admins].flatMap((admin) => adminRecipient(admin, platformsOf(deps)) ?? []);
}

/** Writes one message per recipient to the outbox; keys `<key>:<recipient>` are sent once. */
export async function queueTo(
  db: Queryable,
  recipients: readonly Recipient[],
  key: string,
  reply: Reply,
  now: Date,
): Promise<number> {
  const added = await addToOutbox(
    db,
    recipients.map((r) => ({ key: `${key}:${recipientKey(r)}`, ...r, reply: { ...reply, private: true } })),
    now,
  );
  return added.length;
}

/** Writes a message to an agent by direct message (outbox); 0 when they are reachable nowhere. */
export async function queueToAgent(
  db: Queryable,
  deps: Pick<CommandDeps, "platforms">,
  agentId: string,
  key: string,
  reply: Reply,
  now: Date,
): Promise<number> {
  const found = (await recipientsOf(db, platformsOf(deps), [agentId])).get(agentId);
  return found ? queueTo(db, [found], key, reply, now) : 0;
}
