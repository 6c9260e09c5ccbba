import type { ChatPlatform } from "../chat/caller.ts";
import type { Lang } from "../i18n/index.ts";
import type { NudgeSettings } from "../nudges/nudge-deps.ts";
import type { AgentProfile } from "../store/agent-day-repo.ts";
import type { Queryable } from "../store/database.ts";
import type { QaConfig } from "./qa-config.ts";

/**
 * What quality review's use-cases need: the database, the settings (the configuration's `qa`,
 * `admins` and `teams`; a parsed Config will do) and the bot's chat platforms.
 */
export interface QaDeps {
  db: Queryable;
  config: QaSettings;
  platforms: readonly ChatPlatform[];
}

/** The nudges' settings (escalations reach the same people) and the `qa` section. */
export interface QaSettings extends NudgeSettings {
  qa: QaConfig;
}

export function langOf(config: QaSettings, profile: AgentProfile | undefined): Lang {
  return config.teams.find((t) => t.id === profile?.teamId)?.lang ?? "zh-CN";
}

/**
 * Who reviews an agent's conversations: an active agent with the reviewer role in the agent's
 * team (several share the team's agents by a stable turn), else one anywhere in the roster, else
 * the agent's supervisor. Never the agent themselves. Undefined: nobody to ask.
 */
export function reviewerOf(
  agent: AgentProfile,
  profiles: ReadonlyMap<string, AgentProfile>,
  reviewerRole: string,
): string | undefined {
  const reviewers = [...profiles.values()]
    .filter((p) => p.active && p.role === reviewerRole && p.id !== agent.id)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const own = reviewers.filter((p) => p.teamId !== null && p.teamId === agent.teamId);
  const pool = own.length > 0 ? own : reviewers;
  if (pool.length > 0) return pool[turnOf(agent.id) % pool.length]!.id;
  const boss = agent.supervisorId ? profiles.get(agent.supervisorId) : undefined;
  return boss?.active && boss.id !== agent.id ? boss.id : undefined;
}

function turnOf(id: string): number {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}
