import { recipientsOf } from "../delivery/recipients.ts";
import { DEFAULT_TIME_ZONE } from "../engine/index.ts";
import { escalationTargets } from "../nudges/escalation-recipients.ts";
import { tellOnce } from "../nudges/tell.ts";
import { shopClock } from "../present/shop-clock.ts";
import { agentProfiles } from "../store/agent-day-repo.ts";
import { openReviews, type QaReviewState } from "../store/qa-repo.ts";
import { langOf, type QaDeps } from "./qa-deps.ts";
import { qaMessagesFor } from "./qa-messages.ts";

/**
 * Reviews not rated in time: a reminder to the reviewer `reminderHoursLeft` before a batch is
 * due, and once it is `escalateAfterHours` overdue, a word to the reviewer's own supervisor
 * (else the admins). One reminder and one escalation per reviewer and week's batch, claimed as
 * notices like the nudges' (tell.ts), so a watch run twice tells nothing twice.
 */

export async function watchQaReviews(deps: QaDeps, now: Date): Promise<number> {
  const qa = deps.config.qa;
  const open = await openReviews(deps.db);
  if (open.length === 0) return 0;
  const byBatch = new Map<string, QaReviewState[]>();
  for (const r of open) {
    const key = `${r.reviewerId}\u0000${r.week}`;
    byBatch.set(key, [...(byBatch.get(key) ?? []), r]);
  }
  const profiles = new Map((await agentProfiles(deps.db)).map((p) => [p.id, p]));
  const reminders: { reviewerId: string; week: string; reviews: QaReviewState[] }[] = [];
  const overdue: typeof reminders = [];
  for (const reviews of byBatch.values()) {
    const { reviewerId, week, dueAt } = reviews[0]!; // oldest due first (openReviews' order)
    const left = dueAt.getTime() - now.getTime();
    if (left <= qa.reminderHoursLeft * 3_600_000) reminders.push({ reviewerId, week, reviews });
    if (-left >= qa.escalateAfterHours * 3_600_000) overdue.push({ reviewerId, week, reviews });
  }
  const reachable = await recipientsOf(
    deps.db,
    deps.platforms,
    reminders.map((r) => r.reviewerId),
  );
  const resolve = await escalationTargets(deps, profiles, now);
  let queued = 0;
  const due = (r: QaReviewState) => {
    const zone = profiles.get(r.agentId)?.timeZone ?? DEFAULT_TIME_ZONE;
    return shopClock(r.dueAt.getTime(), zone);
  };
  for (const batch of reminders) {
    const recipient = reachable.get(batch.reviewerId);
    if (!recipient) continue;
    const q = qaMessagesFor(langOf(deps.config, profiles.get(batch.reviewerId)));
    const subject = `qa:reminder:${batch.reviewerId}:${batch.week}`;
    const told = await tellOnce(
      deps.db,
      [{ subject, agentId: batch.reviewerId, kind: "reminder" }],
      now,
      () => [
        {
          subjects: [subject],
          message: {
            key: subject,
            platform: recipient.platform,
            to: recipient.to,
            reply: {
              title: q.reminderTitle(batch.reviews.length),
              blocks: [{ kind: "text", text: q.reminder(batch.reviews.length, due(batch.reviews[0]!)) }],
            },
          },
        },
      ],
    );
    queued += told.queued;
  }
  for (const batch of overdue) {
    const reviewer = profiles.get(batch.reviewerId);
    // The reviewer's own supervisor, else the admins (escalation-recipients.ts).
    const targets = resolve(batch.reviewerId, "supervisor");
    const subject = `qa:escalation:${batch.reviewerId}:${batch.week}`;
    if (targets.length === 0) continue;
    const told = await tellOnce(
      deps.db,
      [{ subject, agentId: batch.reviewerId, kind: "escalation" }],
      now,
      () =>
        targets.map((target, i) => {
          const q = qaMessagesFor(target.lang);
          const name = reviewer?.name ?? batch.reviewerId;
          return {
            subjects: [subject],
            message: {
              key: `${subject}:${i}`,
              platform: target.recipient.platform,
              to: target.recipient.to,
              reply: {
                title: q.escalationTitle(name, batch.reviews.length),
                blocks: [
                  { kind: "text", text: q.escalation(name, batch.reviews.length, due(batch.reviews[0]!)) },
                ],
              },
            },
          };
        }),
    );
    queued += told.queued;
  }
  return queued;
}
