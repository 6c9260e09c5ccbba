import type { Reply, ReplyBlock } from "../../chat/reply.ts";
import { badReviewButtons } from "../../follow-ups/follow-up-buttons.ts";
import { timeLeft } from "../../follow-ups/follow-up-deadline.ts";
import { followUpMessagesFor } from "../../follow-ups/follow-up-messages.ts";
import { FOLLOW_UP_WINDOW_MS } from "../../follow-ups/follow-up-outcomes.ts";
import type { Lang } from "../../i18n/index.ts";
import { shopClock } from "../../present/shop-clock.ts";
import type { Queryable } from "../../store/database.ts";
import { type BadReview, openBadReviews } from "../../store/follow-up-repo.ts";
import { maySee, type Roster, type Viewer } from "./viewer.ts";

/**
 * `followups`: bad reviews nobody has followed up yet, the soonest due first. The customer must
 * be contacted within 24 h of the review [000]; times are the shop's clock. An agent sees their
 * own, a supervisor their team's, an admin everyone's.
 */

/** A chat message stays readable (and under Slack's block limits) with this many rows. */
const LISTED = 20;
const WITH_BUTTONS = 5;

export async function followUpsReply(
  db: Queryable,
  viewer: Extract<Viewer, { kind: "agent" }>,
  roster: Roster,
  now: Date,
  lang: Lang,
): Promise<Reply> {
  const f = followUpMessagesFor(lang);
  const visible = viewer.admin
    ? undefined
    : [...roster.byId.values()].filter((p) => maySee(viewer, p, roster)).map((p) => p.id);
  const open = await openBadReviews(db, visible);
  if (open.length === 0) return { blocks: [{ kind: "text", text: f.none }], private: true };
  const agentName = (r: BadReview) =>
    r.agentId === null ? f.unattributed : (roster.byId.get(r.agentId)?.name ?? r.agentId);
  const listed = open.slice(0, LISTED);
  const blocks: ReplyBlock[] = [
    {
      kind: "table",
      head: Object.values(f.columns),
      rows: listed.map((r) => {
        const due = r.at.getTime() + FOLLOW_UP_WINDOW_MS;
        return [
          String(r.id),
          agentName(r),
          shopClock(r.at.getTime(), r.timeZone),
          shopClock(due, r.timeZone),
          timeLeft(due - now.getTime(), f),
          reviewText(r),
        ];
      }),
    },
  ];
  if (open.length > LISTED) blocks.push({ kind: "note", text: f.more(open.length - LISTED) });
  for (const r of listed.slice(0, WITH_BUTTONS)) {
    blocks.push({ kind: "text", text: f.buttonsFor(r.id, agentName(r)) });
    blocks.push(badReviewButtons(r.id, f));
  }
  return { title: f.title(open.length), blocks, private: true };
}

/** The review's words (cut to fit a table cell), else the order it is about. */
function reviewText(r: BadReview): string {
  const text = typeof r.detail.text === "string" && r.detail.text !== "" ? r.detail.text : r.ref;
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
