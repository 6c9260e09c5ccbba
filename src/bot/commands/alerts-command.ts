import type { Reply, ReplyBlock } from "../../chat/reply.ts";
import type { GamingFinding } from "../../engine/index.ts";
import { alertBlocks, FINE_ACTION } from "../../gaming/alert-reply.ts";
import { gamingMessagesFor } from "../../gaming/gaming-messages.ts";
import type { Lang } from "../../i18n/index.ts";
import { shopClock } from "../../present/shop-clock.ts";
import { recordAudit } from "../../store/audit-repo.ts";
import type { Queryable } from "../../store/database.ts";
import { gamingAlertById, markGamingAlertFine, openGamingAlerts } from "../../store/gaming-repo.ts";
import type { ClickHandler } from "./command-deps.ts";
import { commandMessagesFor } from "./command-messages.ts";
import { actorOf, placeCaller } from "./place-caller.ts";
import { maySee, type Roster, type Viewer } from "./viewer.ts";

/**
 * `/kpi alerts`: the open gaming alerts of the agents a supervisor supervises (an admin: all of
 * them; an agent never sees alerts on themselves). `/kpi alerts fine <id> [note]` and the
 * "没问题 / Fine" button close one; the first word stands, and every marking is audited.
 */

const LISTED = 20;
const ALERT_ID = /^#?(\d{1,9})$/;

type AgentViewer = Extract<Viewer, { kind: "agent" }>;

function mayHandle(viewer: AgentViewer, agentId: string, roster: Roster): boolean {
  if (viewer.admin) return true;
  const target = roster.byId.get(agentId);
  return target !== undefined && target.id !== viewer.agent.id && maySee(viewer, target, roster);
}

export async function alertsReply(
  db: Queryable,
  viewer: AgentViewer,
  roster: Roster,
  lang: Lang,
): Promise<Reply> {
  const m = gamingMessagesFor(lang);
  const open = (await openGamingAlerts(db)).filter((a) => mayHandle(viewer, a.agentId, roster));
  if (open.length === 0) return { blocks: [{ kind: "text", text: m.none }], private: true };
  const blocks: ReplyBlock[] = open.slice(0, LISTED).flatMap((a) =>
    alertBlocks(
      {
        id: a.id,
        agentName: roster.byId.get(a.agentId)?.name ?? a.agentId,
        week: a.week,
        kind: a.kind,
        finding: a.evidence as GamingFinding,
      },
      m,
      false,
    ),
  );
  blocks.push({ kind: "note", text: m.listHow });
  return { title: m.listTitle(open.length), blocks, private: true };
}

export async function markFineReply(
  db: Queryable,
  viewer: AgentViewer,
  roster: Roster,
  fine: { id: string; note?: string },
  now: Date,
  lang: Lang,
): Promise<Reply> {
  const m = gamingMessagesFor(lang);
  const answer = (text: string): Reply => ({ blocks: [{ kind: "text", text }], private: true });
  const digits = ALERT_ID.exec(fine.id.trim())?.[1];
  const alert = digits === undefined ? undefined : await gamingAlertById(db, Number(digits));
  if (!alert) return answer(m.unknownId(fine.id));
  if (!mayHandle(viewer, alert.agentId, roster)) return answer(m.forbidden(alert.id));
  const nameOf = (id: string) => roster.byId.get(id)?.name ?? id;
  const zone = roster.byId.get(alert.agentId)?.timeZone ?? undefined;
  const already = (by: string | null, at: Date | null) =>
    answer(m.already(alert.id, nameOf(by ?? "?"), at ? shopClock(at.getTime(), zone) : "?"));
  if (alert.status !== "open") return already(alert.markedBy, alert.markedAt);
  const note = fine.note ?? null;
  const marked = await db.transaction(async (tx) => {
    const done = await markGamingAlertFine(tx, alert.id, viewer.agent.id, note, now);
    if (done)
      await recordAudit(tx, {
        at: now,
        actor: actorOf(viewer.caller),
        action: "gaming.fine",
        subject: `gaming_alert:${alert.id}`,
        detail: { agent: alert.agentId, week: alert.week, kind: alert.kind, note, markedBy: viewer.agent.id },
      });
    return done;
  });
  if (!marked) {
    const now2 = await gamingAlertById(db, alert.id);
    return already(now2?.markedBy ?? null, now2?.markedAt ?? null);
  }
  return answer(m.marked(alert.id, nameOf(alert.agentId)));
}

/** The "没问题 / Fine" button: action id FINE_ACTION (`gaming:fine`), value the alert's id. */
export const gamingClick: ClickHandler = async (deps, click) => {
  if (click.actionId !== FINE_ACTION) return undefined;
  const { roster, viewer, lang } = await placeCaller(deps, click.caller);
  if (viewer.kind !== "agent")
    return { blocks: [{ kind: "text", text: commandMessagesFor(lang).unlinked }], private: true };
  return markFineReply(deps.db, viewer, roster, { id: click.value }, deps.now(), lang);
};
