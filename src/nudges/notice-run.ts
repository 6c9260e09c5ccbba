import { dayNudges, newBadReviews } from "./day-nudges.ts";
import { followUpChecks } from "./follow-up-checks.ts";
import { lowGradeEscalations } from "./grade-streaks.ts";
import { addReports, type NudgeDeps, type NudgeReport } from "./nudge-deps.ts";
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
  if (scope.watch) addToRun(run, { agents: (await followUpChecks(deps, { now })).agents });
  // The agents first, then the escalations: a bad review an agent is told of in this very run
  // gives them graceHours before their supervisor hears (follow-up-checks.ts), as when the
  // nudges and the watch ran apart; gathered before the telling, it would be escalated at once,
  // and whether it was would depend on where a crash fell between two runs.
  const report = await queueRun(deps, now, { agents: run.agents, escalations: [] });
  if (scope.watch) addToRun(run, { escalations: (await followUpChecks(deps, { now })).escalations });
  return addReports(report, await queueRun(deps, now, { agents: new Map(), escalations: run.escalations }));
}
