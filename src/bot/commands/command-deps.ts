import type { ButtonClick } from "../../chat/adapter.ts";
import type { ChatPlatform } from "../../chat/caller.ts";
import type { Reply } from "../../chat/reply.ts";
import type { AppealConfig } from "../../config.ts";
import type { Lang } from "../../i18n/index.ts";
import type { QaCriterion } from "../../qa/qa-config.ts";
import type { Queryable } from "../../store/database.ts";
import type { Directory } from "./roster-cache.ts";
import type { SchemesOn } from "./scheme-cache.ts";

/** What the /kpi commands and the buttons are answered with, whatever platform asked. */

export interface TeamSettings {
  name: string;
  leaderboard: "full" | "top" | "anonymous";
  leaderboardTop: number;
  lang: Lang;
}

export interface CommandDeps {
  db: Queryable;
  now: () => Date;
  teams: ReadonlyMap<string, TeamSettings>;
  admins: ReadonlySet<string>;
  /** Language for people the bot cannot place (Feishu and DingTalk users are mostly Chinese). */
  defaultLang: Lang;
  /** Who is who; a bot answering many commands passes a cache (roster-cache.ts). */
  directory?: () => Promise<Directory>;
  /** Schemes in force on a day; a bot answering many commands passes a cache (scheme-cache.ts). */
  schemesOn?: SchemesOn;
  /** Called when a link changes who is who (the cache forgets). */
  rosterChanged?: () => void;
  /** Quality review's rubric (the configuration's `qa.rubric`; the default one when absent). */
  qaRubric?: readonly QaCriterion[];
  /** Says something to an agent by direct message (link notices); the runtime picks the platform. */
  notify?: (agentId: string, reply: Reply) => Promise<void>;
  /** The bot's platforms in the configuration's order: where appeals' messages go (["console"] when absent). */
  platforms?: readonly ChatPlatform[];
  /** Appeals' deadlines (config `appeals`); the defaults when absent. */
  appeals?: AppealConfig;
}

/** Answers a click on one of the bot's buttons (by its action id's prefix, chat-handlers.ts). */
export type ClickHandler = (deps: CommandDeps, click: ButtonClick) => Promise<Reply | undefined>;
