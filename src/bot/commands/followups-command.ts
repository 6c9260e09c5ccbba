import type { Reply, ReplyBlock } from "../../chat/reply.ts";
import { badReviewButtons } from "../../follow-ups/follow-up-buttons.ts";
import { timeLeft } from "../../follow-ups/follow-up-deadline.ts";
import { followUpMessagesFor } from "../../follow-ups/follow-up-messages.ts";
import { FOLLOW_UP_WINDOW_MS } from "../../follow-ups/follow-up-outcomes.ts";
import type { Lang } from "../../i18n/index.ts";
import { shopClock } from "../../present/shop-clock.ts";
import type { Queryable } from "../../store/database.ts";
import { type BadReview, openAskedRatings, openBadReviews } from "../../store/follow-up-repo.ts";
import { maySee, type Roster, type Viewer } from "./viewer.ts";

/**
 * `followups [page]`: bad reviews nobody has followed up yet, the soonest due first, and the low
 * ratings the bot asked to review that are not recorded yet: everything a nudge lists, with
 * what a nudge had no room (or no button) for. The customer must be contacted within 24 h of
 * the review [000]; times are the shop's clock. An agent sees their own, a supervisor their
 * team's, an admin everyone's. Twenty of each a page; the note says how to see the next.
 */

/** A chat message stays readable (and under Slack's block limits) with this many rows. */
export const FOLLOW_UPS_PAGE = 20;
const WITH_BUTTONS = 5;

export async function followUpsReply(
  db: Queryable,
  viewer: Extract<Viewer, { kind: "agent" }>,
  roster: Roster,
  now: Date,
  lang: Lang,
  page = 1,
): Promise<Reply> {
  const f = followUpMessagesFor(lang);
  const visible = viewer.admin
    ? undefined
    : [...roster.byId.values()].filter((p) => maySee(viewer, p, roster)).map((p) => p.id);
  const open = await openBadReviews(db, visible);
  const ratings = await openAskedRatings(db, visible);
  if (open.length === 0 && ratings.length === 0)
    return { blocks: [{ kind: "text", text: f.none }], private: true };
  const pages = Math.max(1, Math.ceil(Math.max(open.length, ratings.length) / FOLLOW_UPS_PAGE));
  const shown = Math.min(page, pages);
  const from = (shown - 1) * FOLLOW_UPS_PAGE;
  const agentName = (r: BadReview) =>
    r.agentId === null ? f.unattributed : (roster.byId.get(r.agentId)?.name ?? r.agentId);
  const listed = open.slice(from, from + FOLLOW_UPS_PAGE);
  const blocks: ReplyBlock[] = [];
  if (listed.length > 0) {
    if (ratings.length > 0) blocks.push({ kind: "heading", text: f.title(open.length) });
    blocks.push({
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
    });
    for (const r of listed.slice(0, WITH_BUTTONS)) {
      blocks.push({ kind: "text", text: f.buttonsFor(r.id, agentName(r)) });
      blocks.push(badReviewButtons(r.id, f));
    }
  }
  const ratingsListed = ratings.slice(from, from + FOLLOW_UPS_PAGE);
  if (ratingsListed.length > 0) {
    blocks.push({ kind: "heading", text: f.ratingsTitle(ratings.length) });
    blocks.push({
      kind: "table",
      head: Object.values(f.ratingColumns),
      rows: ratingsListed.map((r) => [
        String(r.id),
        agentName(r),
        typeof r.detail.session === "string" ? r.detail.session : r.ref,
        typeof r.detail.score === "number" ? String(r.detail.score) : "",
        shopClock(r.at.getTime(), r.timeZone),
      ]),
      numeric: [false, false, false, true, false],
    });
    blocks.push({
      kind: "actions",
      actions: ratingsListed.slice(0, WITH_BUTTONS).map((r) => ({
        id: "followup:reviewed",
        label: `${f.outcome.reviewed} #${r.id}`,
        value: String(r.id),
      })),
    });
  }
  const after =
    Math.max(0, open.length - from - FOLLOW_UPS_PAGE) + Math.max(0, ratings.length - from - FOLLOW_UPS_PAGE);
  if (pages > 1) blocks.push({ kind: "note", text: f.page(shown, pages, after) });
  return {
    title: listed.length > 0 || ratings.length === 0 ? f.title(open.length) : f.ratingsTitle(ratings.length),
    blocks,
    private: true,
  };
}

/** The review's words (cut to fit a table cell), else the order it is about. */
function reviewText(r: BadReview): string {
  const text = typeof r.detail.text === "string" && r.detail.text !== "" ? r.detail.text : r.ref;
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
