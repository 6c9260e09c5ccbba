import { addToOutbox, type OutgoingMessage } from "../delivery/outbox-repo.ts";
import { recipientsOf } from "../delivery/recipients.ts";
import { DEFAULT_TIME_ZONE, dayKey, type Period, pickQaSample, type QaStratum } from "../engine/index.ts";
import { agentProfiles } from "../store/agent-day-repo.ts";
import {
  agentsSampledIn,
  assignReviews,
  type QaReviewRow,
  reviewCases,
  unreviewedConversations,
} from "../store/qa-repo.ts";
import { qaCard } from "./qa-card.ts";
import { langOf, type QaDeps, reviewerOf } from "./qa-deps.ts";

/**
 * The weekly 质检 batch: per agent, a stratified sample of the week's kept conversations
 * (engine/qa-sample.ts), each assigned to a reviewer (qa-deps.ts) and sent as its own card
 * (qa-card.ts). Assignments and messages are written in one transaction; a conversation already
 * assigned is not picked again, so a batch run twice sends nothing new.
 */

export interface QaBatchReport {
  week: string;
  assigned: number;
  queued: number;
  /** Agents with conversations to review but nobody to review them. */
  withoutReviewer: string[];
  /** Reviewers the bot cannot write to on its platforms (they can still rate by command). */
  unreachable: string[];
}

export async function sendQaBatch(deps: QaDeps, week: Period, now: Date): Promise<QaBatchReport> {
  const qa = deps.config.qa;
  const report: QaBatchReport = {
    week: week.key,
    assigned: 0,
    queued: 0,
    withoutReviewer: [],
    unreachable: [],
  };
  const candidates = await unreviewedConversations(deps.db, dayKey(week.first), dayKey(week.last));
  if (candidates.length === 0) return report;
  const profiles = new Map((await agentProfiles(deps.db)).map((p) => [p.id, p]));
  // An agent's week is sampled once: a batch run again (or a late import) adds nobody's second sample.
  const sampled = await agentsSampledIn(deps.db, week.key);
  const byAgent = new Map<string, typeof candidates>();
  for (const c of candidates) byAgent.set(c.agentId, [...(byAgent.get(c.agentId) ?? []), c]);
  const dueAt = new Date(now.getTime() + qa.dueDays * 86_400_000);
  const rows: QaReviewRow[] = [];
  for (const [agentId, own] of [...byAgent].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const agent = profiles.get(agentId);
    if (!agent?.active || sampled.has(agentId)) continue;
    const reviewerId = reviewerOf(agent, profiles, qa.reviewerRole);
    if (!reviewerId) {
      report.withoutReviewer.push(agentId);
      continue;
    }
    const sizes = qa.strata as Partial<Record<QaStratum, number>>;
    for (const { picked, stratum } of pickQaSample(own, sizes, qa.perAgent))
      rows.push({
        conversationId: picked.id,
        agentId,
        reviewerId,
        week: week.key,
        stratum,
        assignedAt: now,
        dueAt,
      });
  }
  const reachable = await recipientsOf(deps.db, deps.platforms, [...new Set(rows.map((r) => r.reviewerId))]);
  return deps.db.transaction(async (tx) => {
    const assigned = new Set(await assignReviews(tx, rows));
    report.assigned = assigned.size;
    const cases = await reviewCases(tx, [...assigned]);
    const messages: OutgoingMessage[] = [];
    for (const review of cases) {
      const reviewerId = review.review!.reviewerId;
      const recipient = reachable.get(reviewerId);
      if (!recipient) {
        if (!report.unreachable.includes(reviewerId)) report.unreachable.push(reviewerId);
        continue;
      }
      const agent = profiles.get(review.agentId);
      const reply = qaCard({
        review,
        agentName: agent?.name ?? review.agentId,
        rubric: qa.rubric,
        lang: langOf(deps.config, profiles.get(reviewerId)),
        timeZone: agent?.timeZone ?? DEFAULT_TIME_ZONE,
      });
      messages.push({ key: `qa:${review.id}:card`, platform: recipient.platform, to: recipient.to, reply });
    }
    report.queued = (await addToOutbox(tx, messages, now)).length;
    return report;
  });
}
