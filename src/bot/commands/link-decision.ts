import { chatUserKey } from "../../chat/caller.ts";
import type { Reply } from "../../chat/reply.ts";
import { shopClock } from "../../present/shop-clock.ts";
import { recordAudit } from "../../store/audit-repo.ts";
import { addLinkedIdentity, decideLink, type LinkRequest, linkRequestById } from "../../store/link-repo.ts";
import type { ClickHandler } from "./command-deps.ts";
import { commandMessagesFor } from "./command-messages.ts";
import { linkMessagesFor } from "./link-messages.ts";
import { actorOf, langOf, placeCaller } from "./place-caller.ts";

/**
 * The Approve / Reject buttons of a link notice (action `link:approve` or `link:reject`, value
 * the request id). Only the agent's supervisor or an admin decides, once; an approval makes the
 * chat user that agent (a chat identity of origin "link") and tells them so. A rejected requester
 * is not told: until linked, the bot has no way to reach them but their next command.
 */
const DECISIONS: Readonly<Record<string, "approved" | "rejected">> = {
  "link:approve": "approved",
  "link:reject": "rejected",
};

export const linkClick: ClickHandler = async (deps, click) => {
  const decision = DECISIONS[click.actionId];
  if (!decision) return undefined;
  const { roster, viewer, lang } = await placeCaller(deps, click.caller);
  const l = linkMessagesFor(lang);
  const answer = (text: string): Reply => ({ blocks: [{ kind: "text", text }], private: true });
  if (viewer.kind !== "agent") return answer(commandMessagesFor(lang).unlinked);
  const id = /^\d{1,9}$/.test(click.value) ? Number(click.value) : undefined;
  const request = id === undefined ? undefined : await linkRequestById(deps.db, id);
  const agent = request && roster.byId.get(request.agentId);
  if (!request || !agent) return answer(l.unknownRequest);
  if (!viewer.admin && agent.supervisorId !== viewer.agent.id) return answer(l.forbidden(agent.name));
  // Only decided requests reach here: decidedBy and decidedAt are set with the status.
  const decided = (r: LinkRequest) =>
    answer(
      l.decided(
        r.status as "approved" | "rejected",
        roster.byId.get(r.decidedBy!)?.name ?? r.decidedBy!,
        shopClock(r.decidedAt!.getTime(), agent.timeZone ?? undefined),
      ),
    );
  if (request.status !== "pending") return decided(request);
  const now = deps.now();
  const user = chatUserKey(request);
  const outcome = await deps.db.transaction(async (tx) => {
    const done = await decideLink(tx, request.id, { status: decision, by: viewer.agent.id, at: now });
    if (!done) return undefined;
    const linked =
      decision === "approved" &&
      (await addLinkedIdentity(tx, {
        platform: request.platform,
        userId: request.userId,
        agentId: agent.id,
      }));
    await recordAudit(tx, {
      at: now,
      actor: actorOf(viewer.caller),
      action: decision === "approved" ? "link.approve" : "link.reject",
      subject: `agent:${agent.id}`,
      detail: { request: request.id, user, linked },
    });
    return { linked };
  });
  if (!outcome) return decided((await linkRequestById(deps.db, request.id))!);
  if (decision === "rejected") return answer(l.rejectedNotice(user, agent.name, viewer.agent.name));
  if (!outcome.linked) return answer(l.userTaken(user));
  deps.rosterChanged?.();
  await deps.notify?.(agent.id, answer(linkMessagesFor(langOf(deps, agent)).youAreLinked(agent.name)));
  return answer(l.approvedNotice(user, agent.name, viewer.agent.name));
};
