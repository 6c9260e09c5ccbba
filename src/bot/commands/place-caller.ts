import { type Caller, chatUserKey } from "../../chat/caller.ts";
import type { Lang } from "../../i18n/index.ts";
import type { AgentProfile } from "../../store/agent-day-repo.ts";
import type { CommandDeps } from "./command-deps.ts";
import { type Directory, loadDirectory } from "./roster-cache.ts";
import { type Roster, type Viewer, viewerOf } from "./viewer.ts";

/**
 * Who is asking (a command or a button click): the roster, the caller's place in it, and the
 * language to answer in (their team's, else the bot's default).
 */
export interface PlacedCaller {
  roster: Roster;
  directory: Directory;
  viewer: Viewer;
  lang: Lang;
}

export async function placeCaller(deps: CommandDeps, caller: Caller): Promise<PlacedCaller> {
  const directory = await (deps.directory?.() ?? loadDirectory(deps.db));
  const roster: Roster = { byId: directory.byId, admins: deps.admins };
  const agentId =
    caller.platform === "console" ? caller.userId : directory.chatUsers.get(chatUserKey(caller));
  const viewer = viewerOf(caller, agentId, roster);
  const lang = viewer.kind === "agent" ? langOf(deps, viewer.agent) : deps.defaultLang;
  return { roster, directory, viewer, lang };
}

/** A person is written to in their team's language. */
export function langOf(deps: CommandDeps, profile: AgentProfile): Lang {
  return deps.teams.get(profile.teamId ?? "")?.lang ?? deps.defaultLang;
}

/** How the audit log names a person: the chat account that acted. */
export const actorOf = (caller: Caller): string => chatUserKey(caller);
