import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import type { CommandDeps } from "../bot/commands/command-deps.ts";
import { loadDirectory } from "../bot/commands/roster-cache.ts";
import { answerCommand } from "../bot/commands/run-command.ts";
import { schemeCache } from "../bot/commands/scheme-cache.ts";
import { drainOwed } from "../bot/drain-owed.ts";
import { renderConsole } from "../chat/console/render.ts";
import { InvalidInput } from "../engine/index.ts";
import { chatSpec } from "./command-options.ts";
import { openContext } from "./context.ts";
import { langOption, type Output } from "./options.ts";

export async function chatCommand(args: string[], out: Output): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: chatSpec.options,
    strict: true,
    allowPositionals: true,
  });
  if (!values.as) throw new InvalidInput("--as", "name the agent to talk as (an agent id or name)");
  const context = await openContext(values.config);
  try {
    const db = context.store.db;
    // Read once for the session: who is who does not change while someone types.
    const directory = await loadDirectory(db);
    const me =
      directory.byId.get(values.as) ?? [...directory.byId.values()].find((p) => p.name === values.as);
    if (!me) throw new InvalidInput("--as", `no agent "${values.as}" in the roster (an agent id or name)`);
    const config = context.loaded.config;
    const deps: CommandDeps = {
      db,
      now: context.now,
      teams: new Map(config.teams.map((t) => [t.id, t])),
      admins: new Set(config.admins),
      defaultLang: langOption(values.lang),
      directory: async () => directory,
      schemesOn: schemeCache(db),
      appeals: config.appeals,
      qaRubric: config.qa.rubric,
    };
    // Without a configured team (the demo), the language asked for on the command line applies.
    // No bot runs beside the session to score what a command owes (a rating, a recovered bad
    // review: the bot's watch does it within minutes), so the session does, before the next answer.
    const answer = async (text: string) => {
      out.stdout(renderConsole(await answerCommand(deps, { platform: "console", userId: me.id }, text)));
      await drainOwed(db, { actor: "kpi chat", now: context.now(), wait: true });
    };
    if (positionals.length > 0) return await answer(positionals.join(" "));
    const lines = createInterface({ input: process.stdin, terminal: false });
    for await (const line of lines) if (line.trim() !== "") await answer(line);
  } finally {
    await context.close();
  }
}
