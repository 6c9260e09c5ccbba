import type { InboundHandlers } from "../chat/adapter.ts";
import type { Reply } from "../chat/reply.ts";
import { type Log, silentLog } from "../log.ts";
import type { BotMetrics } from "../server/metrics.ts";
import type { ClickHandler, CommandDeps } from "./commands/command-deps.ts";
import { parseCommand } from "./commands/parse-command.ts";
import { answerParsed } from "./commands/run-command.ts";

/**
 * What every chat adapter calls: commands go to the /kpi use-case, timed per platform and
 * command; button clicks go to the click handlers by action id.
 */

/** When the bot itself fails (the database is down …): the asker is told, in both languages. */
export const FAILURE_REPLY: Reply = {
  blocks: [
    { kind: "text", text: "出错了，请稍后再试。Something went wrong on our side; please try again later." },
  ],
  private: true,
};

export function chatHandlers(
  deps: CommandDeps,
  metrics: BotMetrics,
  clicks: Readonly<Record<string, ClickHandler>> = {},
  log: Log = silentLog,
): InboundHandlers {
  return {
    async command(caller, text) {
      const parsed = parseCommand(text);
      const command = parsed.ok ? parsed.command.name : "usage";
      const stop = metrics.commandSeconds.startTimer({ platform: caller.platform, command });
      try {
        return await answerParsed(deps, caller, parsed);
      } catch (error) {
        // Logged with who asked what command, not the text (it may name other people).
        log.error({ err: error, platform: caller.platform, command }, "command failed");
        return FAILURE_REPLY;
      } finally {
        stop();
      }
    },
    async click(click) {
      // Action ids are "<handler>:<anything>", e.g. "followup:contacted".
      const handler = clicks[click.actionId.split(":")[0]!];
      return handler ? handler(deps, click) : undefined;
    },
  };
}
