import { type Caller, chatUserKey } from "../../chat/caller.ts";
import type { Reply } from "../../chat/reply.ts";
import { DEFAULT_TIME_ZONE, dayInZone, type Period } from "../../engine/index.ts";
import { messagesFor } from "../../i18n/index.ts";
import { agentLabeller } from "../../present/agent-label.ts";
import type { AgentProfile } from "../../store/agent-day-repo.ts";
import { schemesInForce } from "../../store/scheme-repo.ts";
import { gradesOfAgents } from "../../store/scorecard-repo.ts";
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
import type { Directory } from "./roster-cache.ts";
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
  const schemesOn = deps.schemesOn ?? ((day: string) => schemesInForce(deps.db, day));
  const label = agentLabeller(roster.byId.values(), lang);
  switch (command.name) {
    case "me": {
      const period = resolvePeriod(command.period, today);
      return scorecardReply(deps.db, schemesOn, viewer.agent, period, wording, label(viewer.agent));
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
      return teamReply(deps, viewer, command.name, resolvePeriod(command.period, today), roster, c, label);
    case "explain":
      return explainReply(deps.db, schemesOn, viewer.agent, command.metric, today, lang, c);
    case "targets":
      return targetsReply(schemesOn, viewer.agent, today, lang);
    case "followups":
      return followUpsReply(deps.db, viewer, roster, deps.now(), lang);
    case "done":
      return doneReply(deps.db, viewer, roster, command, deps.now(), lang);
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
  period: Period,
  roster: Roster,
  c: CommandMessages,
  label: (agent: AgentProfile) => string,
): Promise<Reply> {
  const teamId = viewer.agent.teamId;
  if (!teamId) return { blocks: [{ kind: "text", text: c.noTeam }], private: true };
  const settings = deps.teams.get(teamId);
  const teamName = settings?.name ?? viewer.agent.teamName ?? teamId;
  const full = maySeeTeam(viewer, teamId, roster);
  if (name === "team" && !full)
    return { blocks: [{ kind: "text", text: c.forbidden(teamName) }], private: true };
  const members = [...roster.byId.values()].filter((p) => p.teamId === teamId && p.active);
  // Totals and grades only: the whole cards of a team of 100 are hundreds of kilobytes.
  const grades = await gradesOfAgents(
    deps.db,
    members.map((m) => m.id),
    period.kind,
    period.key,
  );
  const ranked = grades.filter((x) => x.total !== null).sort((a, b) => b.total! - a.total!);
  const show = full ? "full" : (settings?.leaderboard ?? "full");
  const shown = show === "top" ? ranked.slice(0, settings?.leaderboardTop ?? 3) : ranked;
  const rows = shown.map((x, i) => {
    const own = x.agentId === viewer.agent.id;
    const profile = roster.byId.get(x.agentId);
    const who = show === "anonymous" && !own ? c.anonymous(i + 1) : profile ? label(profile) : x.agentId;
    return [String(i + 1), who, String(x.total), x.grade ?? ""];
  });
  if (rows.length === 0) return { blocks: [{ kind: "text", text: c.noCard(teamName, period.key) }] };
  return {
    title: name === "team" ? c.teamTitle(teamName, period.key) : c.topTitle(teamName, period.key),
    blocks: [
      {
        kind: "table",
        head: [c.columns.place, c.columns.agent, c.columns.total, c.columns.grade],
        rows,
        numeric: [true, false, true, false],
      },
    ],
  };
}

/** The problem in the user's language, and the usage line of the command (or all of them). */
function problemText(usage: UsageProblem, c: CommandMessages): { problem: string; command?: CommandName } {
  const u = c.usage;
  switch (usage.problem) {
    case "empty":
      return { problem: u.empty };
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
