import type { Reply, ReplyBlock } from "../chat/reply.ts";
import { badReviewButtons } from "../follow-ups/follow-up-buttons.ts";
import { timeLeft } from "../follow-ups/follow-up-deadline.ts";
import { followUpMessagesFor } from "../follow-ups/follow-up-messages.ts";
import type { Lang } from "../i18n/index.ts";
import { shopClock } from "../present/shop-clock.ts";
import type { AgentProfile } from "../store/agent-day-repo.ts";
import type { Escalation } from "./escalation-items.ts";
import { zoneOf } from "./nudge-deps.ts";
import { nudgeMessagesFor } from "./nudge-messages.ts";

/**
 * One message to a supervisor or an admin with every escalation of a run: what happened, who,
 * since when, and how to act on it (the command to send, buttons where one click records it).
 * Times are the agent's shop's clock.
 */

export interface EscalationContext {
  lang: Lang;
  now: Date;
  profiles: ReadonlyMap<string, AgentProfile>;
  /** Hours after which an asked review counts as ignored. */
  ignoredAfterHours: number;
}

export function escalationReply(items: readonly Escalation[], c: EscalationContext): Reply {
  const m = nudgeMessagesFor(c.lang);
  const f = followUpMessagesFor(c.lang);
  const who = (agentId: string) => {
    const p = c.profiles.get(agentId);
    return m.agentInTeam(p?.name ?? agentId, p?.teamName ?? null);
  };
  const clock = (at: Date, agentId: string) => shopClock(at.getTime(), zoneOf(c.profiles.get(agentId)));
  const blocks: ReplyBlock[] = [];
  // Two steps of one review may reach the same person (a supervisor missing, the admins told
  // instead at both steps): it is listed once.
  const overdue = [
    ...new Map(items.flatMap((i) => (i.type === "overdue" ? [[i.review.factId, i] as const] : []))).values(),
  ];
  if (overdue.length > 0) {
    blocks.push({ kind: "text", text: m.overdueHeading(overdue.length) });
    for (const { agentId, review } of overdue) {
      blocks.push({
        kind: "text",
        text: m.overdueLine(
          who(agentId),
          review.factId,
          review.text,
          review.order,
          clock(review.at, agentId),
          clock(review.deadline, agentId),
          timeLeft(review.deadline.getTime() - c.now.getTime(), f),
        ),
      });
      blocks.push(badReviewButtons(review.factId, f));
    }
    blocks.push({ kind: "note", text: m.overdueHow });
  }
  for (const item of items) {
    if (item.type === "ignored") {
      const first = Math.min(...item.ratings.map((r) => r.askedAt.getTime()));
      blocks.push({
        kind: "text",
        text: m.ignoredLine(
          who(item.agentId),
          item.ratings.length,
          c.ignoredAfterHours,
          clock(new Date(first), item.agentId),
        ),
      });
      blocks.push({
        kind: "table",
        head: Object.values(m.ignoredColumns),
        rows: item.ratings.map((r) => [
          `#${r.factId}`,
          r.session,
          String(r.score),
          clock(r.at, item.agentId),
          clock(r.askedAt, item.agentId),
        ]),
        numeric: [false, false, true, false, false],
      });
      blocks.push({ kind: "note", text: m.ignoredHow });
    }
    if (item.type === "lowGrade") {
      const name = c.profiles.get(item.agentId)?.name ?? item.agentId;
      blocks.push({
        kind: "text",
        text: m.lowGradeLine(
          who(item.agentId),
          item.period,
          item.through,
          item.days,
          String(item.total),
          item.actualGrade,
          item.grade,
        ),
      });
      // A name with a space would be read as two words; the agent id always works.
      blocks.push({ kind: "note", text: m.lowGradeHow(/\s/.test(name) ? item.agentId : name, item.period) });
    }
  }
  const listed = overdue.length + items.filter((i) => i.type !== "overdue").length;
  return { title: m.escalationTitle(listed), blocks };
}
