import { parseArgs } from "node:util";
import { InvalidInput } from "../engine/index.ts";
import { openContext } from "./context.ts";
import type { Output } from "./options.ts";

export const dbUsage = `kpi db migrate [--config <file>]

  Creates the database or brings it up to date (the bot also does this at start-up):
  PostgreSQL when DATABASE_URL is set, else the embedded PGlite database in ./data`;

export async function dbCommand(args: string[], out: Output): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { config: { type: "string" } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals[0] !== "migrate" || positionals.length !== 1) {
    throw new InvalidInput("db", `say what to do: kpi db migrate (got "${positionals.join(" ")}")`);
  }
  const context = await openContext(values.config);
  try {
    out.stdout(`database ${context.store.kind} (${context.store.location}) is up to date`);
  } finally {
    await context.close();
  }
}
