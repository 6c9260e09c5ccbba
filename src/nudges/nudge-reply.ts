import { BUTTONS_PER_MESSAGE } from "../chat/button-room.ts";
import type { ChatPlatform } from "../chat/caller.ts";
import type { Reply, ReplyBlock } from "../chat/reply.ts";
import { builtinCatalogue, formatQuantity } from "../engine/index.ts";
import { badReviewButtons } from "../follow-ups/follow-up-buttons.ts";
import { timeLeft } from "../follow-ups/follow-up-deadline.ts";
import { followUpMessagesFor } from "../follow-ups/follow-up-messages.ts";
import type { Lang } from "../i18n/index.ts";
import { shopClock } from "../present/shop-clock.ts";
import type { NudgeItem, SlowFigure } from "./nudge-items.ts";
import { type NudgeMessages, nudgeMessagesFor } from "./nudge-messages.ts";

/**
 * One message to an agent with everything of a run, most pressing first, each part under its
 * heading when there are several: bad reviews (new ones and reminders, the soonest deadline
 * first, each with contacted / recovered / unreachable buttons), ratings to review (a
 * "reviewed" button each), slow days (the figures against their targets, the sessions that
 * waited). Lists are cut to stay readable and to fit the platform's buttons; what is cut says
 * how many more and how to see them (`/kpi followups`, or `done <id> …` without a button).
 */

export interface NudgeContext {
  lang: Lang;
  timeZone: string;
  now: Date;
  lowRatingBelow: number;
  maxWaitSeconds: number;
  reminderHoursLeft: number;
  /** Where it goes: how many buttons fit (the console when not said). */
  platform?: ChatPlatform;
}

/** Bad reviews listed; the rest are counted and `/kpi followups` shows them. */
const BAD_REVIEWS_LISTED = 8;
const WAITS_LISTED = 5;
/** "Reviewed" buttons; a row longer than this stops being read. */
const RATING_BUTTONS = 5;

type Review = Extract<NudgeItem, { type: "bad_review" | "reminder" }>;

export function nudgeReply(agentName: string, items: readonly NudgeItem[], c: NudgeContext): Reply {
  const m = nudgeMessagesFor(c.lang);
  const reviews = items
    .flatMap((i) => (i.type === "bad_review" || i.type === "reminder" ? [i] : []))
    .sort((a, b) => a.deadline.getTime() - b.deadline.getTime() || a.factId - b.factId);
  const ratings = items.flatMap((i) => (i.type === "low_rating" ? [i] : []));
  const slow = items.flatMap((i) => (i.type === "slow" ? [i] : []));
  const headed = [reviews, ratings, slow].filter((part) => part.length > 0).length > 1;
  const room = { buttons: BUTTONS_PER_MESSAGE[c.platform ?? "console"] };
  const blocks: ReplyBlock[] = [];
  if (reviews.length > 0) {
    if (headed) blocks.push({ kind: "heading", text: m.badReviewsHeading(reviews.length) });
    blocks.push(...reviewBlocks(reviews, c, m, room));
  }
  if (ratings.length > 0) {
    if (headed) blocks.push({ kind: "heading", text: m.ratingsHeading(ratings.length) });
    blocks.push(...ratingBlocks(ratings, c, m, room));
  }
  if (slow.length > 0) {
    if (headed) blocks.push({ kind: "heading", text: m.slowHeading });
    for (const day of slow) blocks.push(...slowBlocks(day, c, m));
  }
  const onlyReminders = reviews.length === items.length && reviews.every((r) => r.type === "reminder");
  return {
    title: onlyReminders
      ? m.reminderTitle(reviews.length, c.reminderHoursLeft)
      : m.batchTitle(agentName, items.length),
    blocks,
  };
}

/** Reviews with their deadline; each gets its three buttons while the platform has room. */
function reviewBlocks(
  reviews: readonly Review[],
  c: NudgeContext,
  m: NudgeMessages,
  room: { buttons: number },
): ReplyBlock[] {
  const f = followUpMessagesFor(c.lang);
  const blocks: ReplyBlock[] = [];
  if (reviews.some((r) => r.type === "bad_review")) blocks.push({ kind: "text", text: m.badReviewIntro });
  let withoutButtons = 0;
  for (const r of reviews.slice(0, BAD_REVIEWS_LISTED)) {
    const due = shopClock(r.deadline.getTime(), c.timeZone);
    const left = timeLeft(r.deadline.getTime() - c.now.getTime(), f);
    const text =
      r.type === "reminder"
        ? m.reminderLine(r.factId, r.order, r.text, due, left)
        : m.badReviewLine(r.factId, r.order, r.customer, r.text, due, left);
    blocks.push({ kind: "text", text });
    const row = badReviewButtons(r.factId, f);
    const count = row.kind === "actions" ? row.actions.length : 0;
    if (count <= room.buttons) {
      blocks.push(row);
      room.buttons -= count;
    } else withoutButtons += 1;
  }
  if (withoutButtons > 0) blocks.push({ kind: "note", text: m.badReviewsWithoutButtons(withoutButtons) });
  if (reviews.length > BAD_REVIEWS_LISTED)
    blocks.push({ kind: "note", text: m.moreBadReviews(reviews.length - BAD_REVIEWS_LISTED) });
  return blocks;
}

function ratingBlocks(
  ratings: readonly Extract<NudgeItem, { type: "low_rating" }>[],
  c: NudgeContext,
  m: NudgeMessages,
  room: { buttons: number },
): ReplyBlock[] {
  const blocks: ReplyBlock[] = [
    { kind: "text", text: m.lowRatingIntro(ratings.length, c.lowRatingBelow) },
    {
      kind: "table",
      head: Object.values(m.ratingColumns),
      rows: ratings.map((r) => [
        `#${r.factId}`,
        r.session,
        String(r.score),
        shopClock(r.at.getTime(), c.timeZone),
      ]),
      numeric: [false, false, true, false],
    },
  ];
  const buttoned = ratings.slice(0, Math.min(RATING_BUTTONS, room.buttons));
  room.buttons -= buttoned.length;
  if (buttoned.length > 0)
    blocks.push({
      kind: "actions",
      actions: buttoned.map((r) => ({
        id: "followup:reviewed",
        label: m.reviewedButton(r.factId),
        value: String(r.factId),
      })),
    });
  if (ratings.length > buttoned.length)
    blocks.push({ kind: "note", text: m.ratingsWithoutButtons(ratings.length - buttoned.length) });
  return blocks;
}

function slowBlocks(
  slow: Extract<NudgeItem, { type: "slow" }>,
  c: NudgeContext,
  m: NudgeMessages,
): ReplyBlock[] {
  const blocks: ReplyBlock[] = [
    {
      kind: "text",
      text: m.slowLine(
        slow.day,
        slow.figures.map((f) => figureText(f, c.lang, m)),
      ),
    },
  ];
  if (slow.waits.length > 0) {
    blocks.push({ kind: "text", text: m.longWaitsIntro(slow.waits.length, m.waited(c.maxWaitSeconds)) });
    blocks.push({
      kind: "table",
      head: Object.values(m.waitColumns),
      rows: slow.waits
        .slice(0, WAITS_LISTED)
        .map((w) => [
          w.session,
          w.customer ?? "",
          shopClock(w.at.getTime(), c.timeZone),
          m.waited(w.waitSeconds),
        ]),
      numeric: [false, false, false, true],
    });
    if (slow.waits.length > WAITS_LISTED)
      blocks.push({ kind: "note", text: m.moreSessions(slow.waits.length - WAITS_LISTED) });
  }
  blocks.push({ kind: "note", text: m.seeCard(slow.day) });
  return blocks;
}

function figureText(f: SlowFigure, lang: Lang, m: NudgeMessages): string {
  const metric = builtinCatalogue.get(f.metric);
  if (!metric) return `${f.metric} ${f.actual} > ${f.target}`;
  const name = lang === "en" ? metric.en : metric.zh;
  return m.slowFigure(name, formatQuantity(metric, f.actual), `≤${formatQuantity(metric, f.target)}`);
}
