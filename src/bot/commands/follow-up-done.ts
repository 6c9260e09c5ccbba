import type { Reply } from "../../chat/reply.ts";
import { followUpMessagesFor } from "../../follow-ups/follow-up-messages.ts";
import type { FollowUpOutcome } from "../../follow-ups/follow-up-outcomes.ts";
import type { Lang } from "../../i18n/index.ts";
import { shopClock } from "../../present/shop-clock.ts";
import { recordAudit } from "../../store/audit-repo.ts";
import type { Queryable } from "../../store/database.ts";
import { type FollowUpRecord, followUpFactById, recordFollowUp } from "../../store/follow-up-repo.ts";
import { OUTCOME_WORDS } from "./command.ts";
import type { ClickHandler } from "./command-deps.ts";
import { commandMessagesFor } from "./command-messages.ts";
import { actorOf, placeCaller } from "./place-caller.ts";
import { maySee, type Roster, type Viewer } from "./viewer.ts";

/**
 * `done <id> <outcome> [note]` and the follow-up buttons: what was done about a bad review
 * (contacted, recovered, unreachable), or that a low rating's cause was reviewed (reviewed), said
 * once. Only the fact's agent, someone who supervises them, or an admin may say it; the first
 * word stands and a second is told who said it and when. Every recorded outcome is audited.
 */

export const FOLLOW_UP_OUTCOMES = Object.keys(OUTCOME_WORDS) as FollowUpOutcome[];

/** Fact ids are PostgreSQL integers; anything else cannot name one. */
const FACT_ID = /^#?(\d{1,9})$/;

export async function doneReply(
  db: Queryable,
  viewer: Extract<Viewer, { kind: "agent" }>,
  roster: Roster,
  done: { id: string; outcome: FollowUpOutcome; note?: string },
  now: Date,
  lang: Lang,
): Promise<Reply> {
  const f = followUpMessagesFor(lang);
  const answer = (text: string): Reply => ({ blocks: [{ kind: "text", text }], private: true });
  const digits = FACT_ID.exec(done.id.trim())?.[1];
  const found = digits === undefined ? undefined : await followUpFactById(db, Number(digits));
  if (!found) return answer(f.unknownId(done.id));
  const { fact } = found;
  const rating = fact.kind === "low_rating";
  const owner = fact.agentId === null ? undefined : roster.byId.get(fact.agentId);
  if (!viewer.admin && !(owner && maySee(viewer, owner, roster)))
    return answer(rating ? f.ratingForbidden(String(fact.id)) : f.forbidden(String(fact.id)));
  if (rating !== (done.outcome === "reviewed")) return answer(f.wrongOutcome[fact.kind](fact.id));
  const nameOf = (agentId: string) => roster.byId.get(agentId)?.name ?? agentId;
  const already = (standing: FollowUpRecord) => {
    const who = nameOf(standing.doneBy);
    const when = shopClock(standing.doneAt.getTime(), fact.timeZone);
    if (rating) return answer(f.ratingAlready(fact.id, who, when));
    return answer(
      f.already(fact.id, f.outcome[standing.outcome as FollowUpOutcome] ?? standing.outcome, who, when),
    );
  };
  if (found.followUp) return already(found.followUp);
  const record = {
    factId: fact.id,
    outcome: done.outcome,
    note: done.note ?? null,
    doneBy: viewer.agent.id,
    doneAt: now,
  };
  const result = await db.transaction(async (tx) => {
    const written = await recordFollowUp(tx, record);
    if (written.recorded) {
      await recordAudit(tx, {
        at: now,
        actor: actorOf(viewer.caller),
        action: "followup.done",
        subject: `fact:${fact.id}`,
        detail: {
          kind: fact.kind,
          agent: fact.agentId,
          outcome: done.outcome,
          note: record.note,
          doneBy: viewer.agent.id,
        },
      });
    }
    return written;
  });
  if (!result.recorded) return already(result.followUp);
  const agentName = owner?.name ?? f.unattributed;
  if (rating) return answer(f.ratingRecorded(fact.id, agentName));
  return answer(f.recorded(fact.id, f.outcome[done.outcome], agentName));
}

/** A follow-up button: action id `followup:<outcome>`, value the bad review's or low rating's fact id. */
export const followUpClick: ClickHandler = async (deps, click) => {
  const outcome = click.actionId.split(":")[1] as FollowUpOutcome;
  if (!FOLLOW_UP_OUTCOMES.includes(outcome)) return undefined;
  const { roster, viewer, lang } = await placeCaller(deps, click.caller);
  if (viewer.kind !== "agent")
    return { blocks: [{ kind: "text", text: commandMessagesFor(lang).unlinked }], private: true };
  return doneReply(deps.db, viewer, roster, { id: click.value, outcome }, deps.now(), lang);
};
