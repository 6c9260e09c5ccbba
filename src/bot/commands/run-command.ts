import { type Caller, chatUserKey } from "../../chat/caller.ts";
import type { Reply } from "../../chat/reply.ts";
import {
  DEFAULT_TIME_ZONE,
  dayInZone,
  dayKey,
  type Period,
  type PeriodKind,
  periodOfDay,
  rankCards,
} from "../../engine/index.ts";
import { type Messages, messagesFor } from "../../i18n/index.ts";
import { agentLabeller } from "../../present/agent-label.ts";
import { awaitingRatingLines, ratedItemNames } from "../../present/scorecard-view.ts";
import type { AgentProfile } from "../../store/agent-day-repo.ts";
import { rankInputs } from "../../store/agent-records.ts";
import { gradesOfAgents } from "../../store/scorecard-repo.ts";
import { rateReply } from "../ratings/rate-command.ts";
import { alertsReply, markFineReply } from "./alerts-command.ts";
import { withAppealButton } from "./appeal-button.ts";
import { decideReply } from "./appeal-decide.ts";
import { DEFAULT_DEADLINE_DAYS, raiseReply } from "./appeal-raise.ts";
import { appealsReply } from "./appeals-list.ts";
import { type Command, type CommandName, USAGE, type UsageProblem } from "./command.ts";
import type { CommandDeps } from "./command-deps.ts";
import { type CommandMessages, commandMessagesFor, periodsHelp } from "./command-messages.ts";
import { explainReply } from "./explain-command.ts";
import { doneReply } from "./follow-up-done.ts";
import { followUpsReply } from "./followups-command.ts";
import { linkReply } from "./link-command.ts";
import { type ParsedCommand, parseCommand } from "./parse-command.ts";
import { resolvePeriod } from "./period-asked.ts";
import { placeCaller } from "./place-caller.ts";
import { qaReply } from "./qa-command.ts";
import type { Directory } from "./roster-cache.ts";
import { schemesOnOf } from "./scheme-cache.ts";
import { scorecardReply } from "./scorecard-reply.ts";
import { targetsReply } from "./targets-command.ts";
import { maySee, maySeeTeam, type Roster, type Viewer } from "./viewer.ts";

/**
 * The /kpi use-case every platform calls: text in, a Reply out, in the asker's team's language.
 * Nothing here knows a chat SDK; a wrong command gets its usage line, never an exception.
 */

export function answerCommand(deps: CommandDeps, caller: Caller, text: string): Promise<Reply> {
  return answerParsed(deps, caller, parseCommand(text));
}

/** answerCommand for a command already parsed (the chat handlers parse it to label their timing). */
export async function answerParsed(deps: CommandDeps, caller: Caller, parsed: ParsedCommand): Promise<Reply> {
  const { roster, directory, viewer, lang } = await placeCaller(deps, caller);
  const c = commandMessagesFor(lang);
  if (!parsed.ok) return usageReply(parsed.usage, c);
  const command = parsed.command;
  if (command.name === "help") return helpReply(c);
  if (command.name === "link") return linkReply(deps, viewer, roster, command.account, lang);
  if (viewer.kind === "unlinked") return { blocks: [{ kind: "text", text: c.unlinked }], private: true };
  const today = dayInZone(viewer.agent.timeZone ?? DEFAULT_TIME_ZONE)(deps.now().getTime());
  const wording = { t: messagesFor(lang), c };
  const schemesOn = schemesOnOf(deps);
  const label = agentLabeller(roster.byId.values(), lang);
  switch (command.name) {
    case "me": {
      const period = resolvePeriod(command.period, today);
      const reply = await scorecardReply(
        deps.db,
        schemesOn,
        viewer.agent,
        period,
        wording,
        label(viewer.agent),
      );
      return withAppealButton(
        reply,
        period,
        today,
        deps.appeals?.deadlineDays ?? DEFAULT_DEADLINE_DAYS,
        lang,
      );
    }
    case "agent": {
      const target = findAgent(directory, caller, command.agent);
      const name = "name" in command.agent ? command.agent.name : command.agent.userId;
      if (!target) return { blocks: [{ kind: "text", text: c.unknownAgent(name) }], private: true };
      if (!maySee(viewer, target, roster))
        return { blocks: [{ kind: "text", text: c.forbidden(target.name) }], private: true };
      const period = resolvePeriod(command.period, today);
      return scorecardReply(deps.db, schemesOn, target, period, wording, label(target));
    }
    case "team":
    case "top":
      return teamReply(
        deps,
        viewer,
        command.name,
        resolvePeriod(command.period, today),
        roster,
        wording,
        label,
      );
    case "explain":
      return explainReply(
        deps.db,
        schemesOn,
        viewer.agent,
        command.metric,
        resolvePeriod(command.period ?? { word: "month" }, today),
        today,
        lang,
        c,
      );
    case "targets":
      return targetsReply(schemesOn, viewer.agent, today, lang);
    case "followups":
      return followUpsReply(deps.db, viewer, roster, deps.now(), lang, command.page ?? 1);
    case "done":
      return doneReply(deps.db, viewer, roster, command, deps.now(), lang);
    case "appeal":
      if (command.action === "raise") return raiseReply(deps, schemesOn, viewer, roster, command, lang);
      return decideReply(
        deps,
        schemesOn,
        viewer,
        roster,
        command.id,
        command.action === "accept"
          ? { accept: true, value: command.value }
          : { accept: false, reason: command.reason },
        lang,
      );
    case "appeals":
      return appealsReply(deps.db, viewer, roster, deps.now(), lang);
    case "alerts":
      return command.fine
        ? markFineReply(deps.db, viewer, roster, command.fine, deps.now(), lang)
        : alertsReply(deps.db, viewer, roster, lang);
    case "rate":
      return rateReply(deps, viewer, roster, command.words, lang);
    case "qa":
      return qaReply(deps, viewer, roster, command, lang);
  }
}

function findAgent(
  directory: Directory,
  caller: Caller,
  asked: Extract<Command, { name: "agent" }>["agent"],
): AgentProfile | undefined {
  // A mention names a user of the platform the question came from.
  if ("userId" in asked) {
    const id = directory.chatUsers.get(chatUserKey({ platform: caller.platform, userId: asked.userId }));
    return id === undefined ? undefined : directory.byId.get(id);
  }
  const wanted = asked.name;
  return directory.byId.get(wanted) ?? [...directory.byId.values()].find((p) => p.name === wanted);
}

async function teamReply(
  deps: CommandDeps,
  viewer: Extract<Viewer, { kind: "agent" }>,
  name: "team" | "top",
  asked: Period,
  roster: Roster,
  { t, c }: { t: Messages; c: CommandMessages },
  label: (agent: AgentProfile) => string,
): Promise<Reply> {
  const teamId = viewer.agent.teamId;
  if (!teamId) return { blocks: [{ kind: "text", text: c.noTeam }], private: true };
  const settings = deps.teams.get(teamId);
  const teamName = settings?.name ?? viewer.agent.teamName ?? teamId;
  const full = maySeeTeam(viewer, teamId, roster);
  if (name === "team" && !full)
    return { blocks: [{ kind: "text", text: c.forbidden(teamName) }], private: true };
  const members = [...roster.byId.values()].filter((p) => p.teamId === teamId);
  const ids = members.map((m) => m.id);
  // Totals and grades only: the whole cards of a team of 100 are hundreds of kilobytes.
  let period = asked;
  let grades = await gradesOfAgents(deps.db, ids, period.kind, period.key);
  // A day or a week is watched, not graded: the board is the one of the period graded so far.
  const gradedBy = grades.find((g) => g.total === null && g.watchedFor !== null)?.watchedFor;
  const watched = grades.every((g) => g.total === null) && gradedBy !== undefined;
  if (watched) {
    period = periodOfDay(asked.first, gradedBy as PeriodKind);
    grades = await gradesOfAgents(deps.db, ids, period.kind, period.key);
  }
  const byId = new Map(members.map((m) => [m.id, m]));
  const ranks = rankCards(
    rankInputs(
      grades.map((g) => ({
        agent: g.agentId,
        total: g.total,
        ...(g.probation ? { probation: true as const } : {}),
        ...(g.teamLead ? { teamLead: true as const } : {}),
      })),
      byId,
    ),
  );
  const show = full ? "full" : (settings?.leaderboard ?? "full");
  const pendingOf = new Map(grades.map((g) => [g.agentId, g.pending]));
  const schemes = await schemesOnOf(deps)(dayKey(period.first));
  // The asker's own group first, then the others (trainees, new hires on probation) apart.
  const own = ranks.get(viewer.agent.id)?.cohort;
  const cohorts = [...new Set([...ranks.values()].map((r) => r.cohort))].sort((x, y) =>
    x === own ? -1 : y === own ? 1 : x.localeCompare(y),
  );
  const blocks = cohorts.flatMap((cohort) => {
    const members = [...ranks].filter(([, r]) => r.cohort === cohort).sort((x, y) => x[1].place - y[1].place);
    const shown =
      show === "top" ? members.filter(([, r]) => r.place <= (settings?.leaderboardTop ?? 3)) : members;
    const rows = shown.map(([agentId, r]) => {
      const profile = byId.get(agentId)!;
      const mine = agentId === viewer.agent.id;
      const who = show === "anonymous" && !mine ? c.anonymous(r.place) : label(profile);
      const grade = grades.find((g) => g.agentId === agentId)!;
      return [
        String(r.place),
        `${who}${pendingOf.get(agentId) ? "*" : ""}`,
        String(grade.total),
        grade.grade ?? "",
      ];
    });
    const first = byId.get(members[0]![0])!;
    const role = schemes.get(first.role)?.scheme.roles.get(first.role)?.name ?? first.role;
    const group = cohort.endsWith("\u0000probation") ? c.probation(role) : role;
    return [
      ...(cohorts.length > 1 ? [{ kind: "note" as const, text: c.group(group, members.length) }] : []),
      {
        kind: "table" as const,
        head: [c.columns.place, c.columns.agent, c.columns.total, c.columns.grade],
        rows,
        numeric: [true, false, true, false],
      },
    ];
  });
  // Cards with too few figures have no place; say whose, so no one looks missing from the board.
  const notRanked = grades.flatMap((g) =>
    g.belowCoverage && byId.has(g.agentId) && !g.teamLead
      ? [
          {
            name: label(byId.get(g.agentId)!),
            coverage: String(g.belowCoverage.coverage),
            minimum: String(g.belowCoverage.minCoverage),
          },
        ]
      : [],
  );
  // Cards waiting for the supervisor's rating have no place either (ratings/, rules.md).
  const awaiting = awaitingRatingLines(
    grades.flatMap((g) => {
      const profile = byId.get(g.agentId);
      if (!g.awaitingRating?.length || !profile || g.teamLead) return [];
      const catalogue = schemes.get(profile.role)?.scheme.catalogue;
      return [{ agent: label(profile), items: ratedItemNames(g.awaitingRating, catalogue, t) }];
    }),
    t,
  );
  if (blocks.length === 0 && notRanked.length === 0 && awaiting.length === 0)
    return { blocks: [{ kind: "text", text: c.noCard(teamName, period.key) }] };
  if (watched) blocks.unshift({ kind: "note", text: c.gradedSoFar(asked.key, period.key) });
  if (notRanked.length) blocks.push({ kind: "note", text: c.notRanked(notRanked) });
  if (awaiting.length) blocks.push({ kind: "note", text: awaiting.join("\n") });
  if ([...pendingOf.values()].some(Boolean)) blocks.push({ kind: "note", text: c.pendingNote });
  return {
    title: name === "team" ? c.teamTitle(teamName, period.key) : c.topTitle(teamName, period.key),
    blocks,
  };
}

/** The problem in the user's language, and the usage line of the command (or all of them). */
function problemText(usage: UsageProblem, c: CommandMessages): { problem: string; command?: CommandName } {
  const u = c.usage;
  switch (usage.problem) {
    case "empty":
      return { problem: u.empty };
    case "bad-characters":
      return usage.command
        ? { problem: u.badCharacters, command: usage.command }
        : { problem: u.badCharacters };
    case "too-long":
      return { problem: u.tooLong(usage.limit) };
    case "unknown-command":
      return { problem: u.unknownCommand(usage.word) };
    case "bad-period":
      return { problem: u.badPeriod(usage.word), command: usage.command };
    case "missing-argument":
      return { problem: u.missing(usage.argument), command: usage.command };
    case "bad-outcome":
      return { problem: u.badOutcome(usage.word), command: usage.command };
    case "extra-words":
      return { problem: u.extraWords(usage.words), command: usage.command };
  }
}

function usageReply(usage: UsageProblem, c: CommandMessages): Reply {
  const { problem, command } = problemText(usage, c);
  const more = command ? c.usage.line(c.usageOf[command]) : helpLines(c);
  return { blocks: [{ kind: "text", text: `${problem}\n${more}` }], private: true };
}

function helpLines(c: CommandMessages): string {
  return (Object.keys(USAGE) as CommandName[]).map((n) => c.helpLine(c.usageOf[n], n, c.help[n])).join("\n");
}

function helpReply(c: CommandMessages): Reply {
  return {
    title: c.helpTitle,
    blocks: [
      { kind: "text", text: helpLines(c) },
      { kind: "note", text: periodsHelp(c) },
    ],
    private: true,
  };
}
