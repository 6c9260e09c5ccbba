import { dayKey, PERIOD_KINDS, type Period } from "../engine/index.ts";
import type { Db } from "../store/database.ts";
import { recoveredReviewDaysSince } from "../store/follow-up-repo.ts";
import { schemesInForce } from "../store/scheme-repo.ts";
import { periodsOfDay, scorePeriod, scoresRecovery } from "./score-period.ts";

/**
 * A recorded outcome changes the cards: 差评挽回率 counts the recovered bad reviews. The
 * follow-up watch calls this every few minutes with the time of its last run; with nothing
 * recorded since, that is one query on follow_ups and nothing else.
 *
 * `since` should be when the last run began (its `now`), not when it ended, so that an outcome
 * recorded while it ran is seen. An outcome whose transaction commits after the next run has
 * looked, with a done_at before that run's `since`, is missed until its periods are next
 * scored (the next import of the day): done_at is the recorder's clock, not the commit time.
 */
export async function rescoreAfterFollowUps(
  db: Db,
  options: { since: Date; actor: string; now: Date },
): Promise<{ periods: string[] }> {
  const days = await recoveredReviewDaysSince(db, options.since);
  if (days.length === 0) return { periods: [] };
  const periods = new Map<string, Period>();
  for (const day of days) for (const period of periodsOfDay(day)) periods.set(period.key, period);
  // Days, then weeks, then months (as an import scores them); a period whose schemes do not
  // score 差评挽回率 would come out the same, so it is left alone.
  const due = [...periods.values()].sort(
    (a, b) => PERIOD_KINDS.indexOf(a.kind) - PERIOD_KINDS.indexOf(b.kind) || a.first - b.first,
  );
  const rescored: string[] = [];
  for (const period of due) {
    if (!scoresRecovery(await schemesInForce(db, dayKey(period.first)))) continue;
    const outcome = await scorePeriod(db, period, { actor: options.actor, now: options.now });
    // A fortnight has cards only for new hires on probation; with none there was nothing to do.
    if (outcome.cards.length > 0) rescored.push(period.key);
  }
  return { periods: rescored };
}
