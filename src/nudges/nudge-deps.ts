import type { ChatPlatform } from "../chat/caller.ts";
import { DEFAULT_TIME_ZONE } from "../engine/index.ts";
import type { Lang } from "../i18n/index.ts";
import type { AgentProfile } from "../store/agent-day-repo.ts";
import type { Queryable } from "../store/database.ts";
import type { EscalationConfig, NudgeConfig } from "./nudge-config.ts";
import type { DutyHours } from "./on-duty.ts";

/**
 * What the nudge and escalation use-cases need: the database, the settings (the configuration
 * file's `nudges`, `escalations`, `admins` and `teams`; a parsed Config will do), and the bot's
 * chat platforms in the configuration's order (["console"] on the embedded default).
 */
export interface NudgeDeps {
  db: Queryable;
  config: NudgeSettings;
  platforms: readonly ChatPlatform[];
}

export interface NudgeSettings {
  nudges: NudgeConfig;
  escalations: EscalationConfig;
  /** "slack:U0123" … */
  admins: readonly string[];
  teams: readonly { id: string; lang: Lang }[];
  /**
   * false: nothing waits for quiet hours or shifts. The console (the embedded default) prints to
   * the terminal of whoever is trying the bot, whose phone no message can wake.
   */
  holdForDuty?: boolean;
}

/** What a run queued; a run that finds nothing new queues nothing. */
export interface NudgeReport {
  /** Messages written to the outbox. */
  queued: number;
  /** Things told (one notice each: a low rating, a bad review, a slow day, an escalation step). */
  told: number;
  /** Things that could wait, left untold by the daily cap: the next run's batch carries them. */
  heldByCap: number;
  /**
   * Agents with something to be told whom nobody could be told: no chat id on the bot's platforms
   * (for an escalation: neither their supervisor nor an admin). Nothing is queued or recorded for
   * them, so a later run tries again.
   */
  unreachable: string[];
}

export const emptyReport = (): NudgeReport => ({ queued: 0, told: 0, heldByCap: 0, unreachable: [] });

export function addReports(into: NudgeReport, more: NudgeReport): NudgeReport {
  into.queued += more.queued;
  into.told += more.told;
  into.heldByCap += more.heldByCap;
  for (const id of more.unreachable) if (!into.unreachable.includes(id)) into.unreachable.push(id);
  return into;
}

/** A person is written to in their team's language (zh-CN when the team sets none). */
export function langOfProfile(config: NudgeSettings, profile: AgentProfile | undefined): Lang {
  return config.teams.find((t) => t.id === profile?.teamId)?.lang ?? "zh-CN";
}

export const zoneOf = (profile: AgentProfile | undefined): string => profile?.timeZone ?? DEFAULT_TIME_ZONE;

/** The hours an agent may be nudged in: quiet hours in the shop's zone, and their shift. */
export function dutyHoursOf(config: NudgeSettings, profile: AgentProfile | undefined): DutyHours {
  if (config.holdForDuty === false)
    return { timeZone: zoneOf(profile), quietHours: { from: "00:00", to: "00:00" }, shift: null };
  return { timeZone: zoneOf(profile), quietHours: config.nudges.quietHours, shift: profile?.shift ?? null };
}
