import { chatUserKey } from "../../chat/caller.ts";
import type { Reply } from "../../chat/reply.ts";
import type { Lang } from "../../i18n/index.ts";
import type { AgentProfile } from "../../store/agent-day-repo.ts";
import { recordAudit } from "../../store/audit-repo.ts";
import { agentIdsByAccount, type LinkRequest, pendingLinkOf, requestLink } from "../../store/link-repo.ts";
import type { CommandDeps } from "./command-deps.ts";
import { linkMessagesFor } from "./link-messages.ts";
import { actorOf, langOf } from "./place-caller.ts";
import type { Roster, Viewer } from "./viewer.ts";

/**
 * `link <account>` from someone the bot cannot place yet: finds the agent (shop account, agent
 * id or name), files one pending request per chat user and asks the agent's supervisor by direct
 * message, with Approve / Reject buttons (link-decision.ts handles them).
 */
export async function linkReply(
  deps: CommandDeps,
  viewer: Viewer,
  roster: Roster,
  account: string,
  lang: Lang,
): Promise<Reply> {
  const l = linkMessagesFor(lang);
  const answer = (text: string): Reply => ({ blocks: [{ kind: "text", text }], private: true });
  if (viewer.kind === "agent") return answer(l.alreadyLinked(viewer.agent.name));
  const found = await agentsNamed(deps, roster, account.trim());
  if (found.length === 0) return answer(l.unknownAccount(account));
  if (found.length > 1) return answer(l.ambiguous(account, found.map((a) => `${a.name} ${a.id}`).join("、")));
  const agent = found[0]!;
  const { platform, userId } = viewer.caller;
  const pending = await pendingLinkOf(deps.db, platform, userId);
  const supervisor = agent.supervisorId === null ? undefined : roster.byId.get(agent.supervisorId);
  if (pending?.agentId === agent.id) {
    // Asking again is a reminder: the first notice may have been missed (or failed to go out).
    if (supervisor) await notifySupervisor(deps, supervisor, pending, agent);
    return answer(l.stillPending(agent.name));
  }
  const now = deps.now();
  const request = await requestLink(deps.db, { platform, userId, agentId: agent.id, at: now });
  await recordAudit(deps.db, {
    at: now,
    actor: actorOf(viewer.caller),
    action: "link.request",
    subject: `agent:${agent.id}`,
    detail: { request: request.id, replaced: pending?.agentId ?? null },
  });
  if (!supervisor) return answer(l.noSupervisor(agent.name));
  await notifySupervisor(deps, supervisor, request, agent);
  return answer(l.requested(agent.name, supervisor.name));
}

/** An agent id, else the shop accounts that name an agent exactly, else agents of that name. */
async function agentsNamed(deps: CommandDeps, roster: Roster, asked: string): Promise<AgentProfile[]> {
  const active = (ids: Iterable<string>) =>
    [...new Set(ids)].map((id) => roster.byId.get(id)).filter((p): p is AgentProfile => p?.active === true);
  const byId = active([asked]);
  if (byId.length > 0) return byId;
  const byAccount = active(await agentIdsByAccount(deps.db, asked));
  if (byAccount.length > 0) return byAccount;
  return [...roster.byId.values()].filter((p) => p.active && p.name === asked);
}

async function notifySupervisor(
  deps: CommandDeps,
  supervisor: AgentProfile,
  request: LinkRequest,
  agent: AgentProfile,
): Promise<void> {
  const l = linkMessagesFor(langOf(deps, supervisor));
  const value = String(request.id);
  await deps.notify?.(supervisor.id, {
    title: l.noticeTitle,
    blocks: [
      { kind: "text", text: l.notice(chatUserKey(request), agent.name) },
      {
        kind: "actions",
        actions: [
          { id: "link:approve", label: l.approve, value, style: "primary" },
          { id: "link:reject", label: l.reject, value, style: "danger" },
        ],
      },
    ],
  });
}
