import type { Reply } from "../../chat/reply.ts";
import { commandMessagesFor } from "../../i18n/command-messages.ts";
import { followUpMessagesFor } from "../../i18n/follow-up-messages.ts";
import type { Lang } from "../../i18n/index.ts";
import { recordAudit } from "../../store/audit-repo.ts";
import type { Queryable } from "../../store/database.ts";
import { badReviewById, type FollowUpRecord, recordFollowUp } from "../../store/follow-up-repo.ts";
import type { ClickHandler } from "../chat-handlers.ts";
import { type FollowUpOutcome, OUTCOME_WORDS } from "./command.ts";
import { actorOf, placeCaller } from "./place-caller.ts";
import { shopClock } from "./shop-clock.ts";
import { maySee, type Roster, type Viewer } from "./viewer.ts";

/**
 * `done <id> <outcome> [note]` and the follow-up buttons: what was done about a bad review, said
 * once. Only the review's agent, someone who supervises them, or an admin may say it; the first
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
  const found = digits === undefined ? undefined : await badReviewById(db, Number(digits));
  if (!found) return answer(f.unknownId(done.id));
  const { review } = found;
  const owner = review.agentId === null ? undefined : roster.byId.get(review.agentId);
  if (!viewer.admin && !(owner && maySee(viewer, owner, roster)))
    return answer(f.forbidden(String(review.id)));
  const nameOf = (agentId: string) => roster.byId.get(agentId)?.name ?? agentId;
  const already = (standing: FollowUpRecord) =>
    answer(
      f.already(
        review.id,
        f.outcome[standing.outcome as FollowUpOutcome] ?? standing.outcome,
        nameOf(standing.doneBy),
        shopClock(standing.doneAt.getTime(), review.timeZone),
      ),
    );
  if (found.followUp) return already(found.followUp);
  const record = {
    factId: review.id,
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
        subject: `fact:${review.id}`,
        detail: { agent: review.agentId, outcome: done.outcome, note: record.note, doneBy: viewer.agent.id },
      });
    }
    return written;
  });
  if (!result.recorded) return already(result.followUp);
  return answer(f.recorded(review.id, f.outcome[done.outcome], owner?.name ?? f.unattributed));
}

/** A follow-up button: action id `followup:<outcome>`, value the bad review's fact id. */
export const followUpClick: ClickHandler = async (deps, click) => {
  const outcome = click.actionId.split(":")[1] as FollowUpOutcome;
  if (!FOLLOW_UP_OUTCOMES.includes(outcome)) return undefined;
  const { roster, viewer, lang } = await placeCaller(deps, click.caller);
  if (viewer.kind !== "agent")
    return { blocks: [{ kind: "text", text: commandMessagesFor(lang).unlinked }], private: true };
  return doneReply(deps.db, viewer, roster, { id: click.value, outcome }, deps.now(), lang);
};
