import type { ButtonClick, InboundHandlers } from "../chat/adapter.ts";
import type { Reply } from "../chat/reply.ts";
import type { BotMetrics } from "../server/metrics.ts";
import { parseCommand } from "./commands/parse-command.ts";
import { answerCommand, type CommandDeps } from "./commands/run-command.ts";

/**
 * What every chat adapter calls: commands go to the /kpi use-case, timed per platform and
 * command; button clicks go to the click handlers by action id.
 */

export type ClickHandler = (deps: CommandDeps, click: ButtonClick) => Promise<Reply | undefined>;

export function chatHandlers(
  deps: CommandDeps,
  metrics: BotMetrics,
  clicks: Readonly<Record<string, ClickHandler>> = {},
): InboundHandlers {
  return {
    async command(caller, text) {
      const parsed = parseCommand(text);
      const stop = metrics.commandSeconds.startTimer({
        platform: caller.platform,
        command: parsed.ok ? parsed.command.name : "usage",
      });
      try {
        return await answerCommand(deps, caller, text);
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
