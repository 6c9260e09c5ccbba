import type { Reply, ReplyBlock } from "../chat/reply.ts";
import { builtinCatalogue, formatQuantity } from "../engine/index.ts";
import { badReviewButtons } from "../follow-ups/follow-up-buttons.ts";
import { timeLeft } from "../follow-ups/follow-up-deadline.ts";
import { followUpMessagesFor } from "../follow-ups/follow-up-messages.ts";
import type { Lang } from "../i18n/index.ts";
import { shopClock } from "../present/shop-clock.ts";
import type { BadReviewFacts, NudgeItem, SlowFigure } from "./nudge-items.ts";
import { type NudgeMessages, nudgeMessagesFor } from "./nudge-messages.ts";

/**
 * One message to an agent with everything of a run, most pressing first: bad reviews (with
 * their deadline and the contacted / recovered / unreachable buttons), ratings to review (with
 * a "reviewed" button each), slow days (the figures against their targets, the sessions that
 * waited). Lists are cut to stay readable; what is cut says how to see the rest.
 */

export interface NudgeContext {
  lang: Lang;
  timeZone: string;
  now: Date;
  lowRatingBelow: number;
  maxWaitSeconds: number;
  reminderHoursLeft: number;
}

/** Bad reviews listed with their buttons; the rest are counted and `followups` shows them. */
const BAD_REVIEWS_LISTED = 8;
const WAITS_LISTED = 5;
const RATING_BUTTONS = 5;

export function nudgeReply(agentName: string, items: readonly NudgeItem[], c: NudgeContext): Reply {
  const m = nudgeMessagesFor(c.lang);
  const blocks: ReplyBlock[] = [];
  const bad = items.filter((i) => i.type === "bad_review");
  if (bad.length > 0) {
    blocks.push({ kind: "text", text: m.badReviewIntro });
    blocks.push(...badReviewBlocks(bad.slice(0, BAD_REVIEWS_LISTED), c, m.badReviewLine));
    if (bad.length > BAD_REVIEWS_LISTED)
      blocks.push({ kind: "note", text: m.moreBadReviews(bad.length - BAD_REVIEWS_LISTED) });
  }
  const ratings = items.flatMap((i) => (i.type === "low_rating" ? [i] : []));
  if (ratings.length > 0) {
    blocks.push({ kind: "text", text: m.lowRatingIntro(ratings.length, c.lowRatingBelow) });
    blocks.push({
      kind: "table",
      head: Object.values(m.ratingColumns),
      rows: ratings.map((r) => [
        `#${r.factId}`,
        r.session,
        String(r.score),
        shopClock(r.at.getTime(), c.timeZone),
      ]),
      numeric: [false, false, true, false],
    });
    blocks.push({
      kind: "actions",
      actions: ratings.slice(0, RATING_BUTTONS).map((r) => ({
        id: "followup:reviewed",
        label: m.reviewedButton(r.factId),
        value: String(r.factId),
      })),
    });
  }
  for (const slow of items.flatMap((i) => (i.type === "slow" ? [i] : []))) {
    blocks.push({
      kind: "text",
      text: m.slowLine(
        slow.day,
        slow.figures.map((f) => figureText(f, c.lang, m)),
      ),
    });
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
  }
  return { title: m.batchTitle(agentName, items.length), blocks };
}

/** The reminder when a bad review's deadline is near and nothing is recorded. */
export function reminderReply(items: readonly NudgeItem[], c: NudgeContext): Reply {
  const m = nudgeMessagesFor(c.lang);
  const due = items.filter((i) => i.type === "reminder");
  return {
    title: m.reminderTitle(due.length, c.reminderHoursLeft),
    blocks: badReviewBlocks(due, c, (id, order, _customer, text, when, left) =>
      m.reminderLine(id, order, text, when, left),
    ),
  };
}

function badReviewBlocks(
  reviews: readonly BadReviewFacts[],
  c: NudgeContext,
  line: NudgeMessages["badReviewLine"],
): ReplyBlock[] {
  const f = followUpMessagesFor(c.lang);
  return reviews.flatMap((r): ReplyBlock[] => [
    {
      kind: "text",
      text: line(
        r.factId,
        r.order,
        r.customer,
        r.text,
        shopClock(r.deadline.getTime(), c.timeZone),
        timeLeft(r.deadline.getTime() - c.now.getTime(), f),
      ),
    },
    badReviewButtons(r.factId, f),
  ]);
}

function figureText(f: SlowFigure, lang: Lang, m: NudgeMessages): string {
  const metric = builtinCatalogue.get(f.metric);
  if (!metric) return `${f.metric} ${f.actual} > ${f.target}`;
  const name = lang === "en" ? metric.en : metric.zh;
  return m.slowFigure(name, formatQuantity(metric, f.actual), `≤${formatQuantity(metric, f.target)}`);
}
