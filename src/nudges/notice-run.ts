import { dayNudges, newBadReviews } from "./day-nudges.ts";
import { followUpChecks } from "./follow-up-checks.ts";
import { lowGradeEscalations } from "./grade-streaks.ts";
import type { NudgeDeps, NudgeReport } from "./nudge-deps.ts";
import { addToRun, emptyRun, queueRun } from "./queue-run.ts";

/**
 * One run of the bot's notices (a pull's slot, a follow-up watch, a first look at start): every
 * use-case first says what it would tell, then each agent gets one message with all of theirs
 * and each supervisor or admin one message with all their escalations. Each part keeps its own
 * "once per …" (its notices' subjects); merging changes only how many messages carry them.
 */

/** What a run does: `days` the pull brought (the newest is nudged), `watch` the deadlines. */
export interface RunScope {
  now: Date;
  /** Days whose figures came in with this run; empty when nothing was pulled. */
  days: readonly string[];
  /** Reminders and escalations at deadlines (the follow-up watch). */
  watch: boolean;
}

/** Finds everything of the run and queues it: one message per person. */
export async function runNotices(deps: NudgeDeps, scope: RunScope): Promise<NudgeReport> {
  const { now } = scope;
  const run = emptyRun();
  const newest = [...scope.days].sort().at(-1);
  // The newest day's nudges carry the new bad reviews and what the day before left.
  if (newest) addToRun(run, { agents: await dayNudges(deps, { day: newest, now }) });
  else addToRun(run, { agents: await newBadReviews(deps, { now }) });
  for (const day of [...scope.days].sort())
    addToRun(run, { escalations: await lowGradeEscalations(deps, { day, now }) });
  if (scope.watch) addToRun(run, await followUpChecks(deps, { now }));
  return queueRun(deps, now, run);
}
