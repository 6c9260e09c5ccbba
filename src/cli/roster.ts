import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DIRECTORY_PLATFORMS, directoryFor } from "../bot/chat-directories.ts";
import { auditChatIds, type ChatIdPlan, planChatIds, withChatIds } from "../bot/roster-sync.ts";
import { syncConfig } from "../bot/sync-config.ts";
import { DirectoryError } from "../chat/directory.ts";
import { parseConfig } from "../config.ts";
import { InvalidInput } from "../engine/index.ts";
import { openStore, type Store } from "../store/database.ts";
import { rosterSpec } from "./command-options.ts";
import { choice, type Output } from "./options.ts";
import { askYes, canAsk } from "./prompts.ts";

/**
 * `kpi roster sync --from <platform>`: finds each agent's chat id in the platform's directory,
 * shows what it found and what not, and on confirmation writes the ids into the configuration
 * file (comments and layout kept), brings the database's roster in line and audits it. A
 * platform that fails (credentials, throttling, an outage) leaves everything as it was.
 */

/** Opens the database the configuration names (tests pass their own). */
export type OpenRosterStore = (dataDir: string, env: NodeJS.ProcessEnv) => Promise<Store>;

const openConfiguredStore: OpenRosterStore = (dataDir, env) =>
  openStore({ ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}), dataDir });

export async function rosterCommand(
  args: string[],
  out: Output,
  env = process.env,
  open: OpenRosterStore = openConfiguredStore,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: rosterSpec.options,
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1 || positionals[0] !== "sync")
    throw new InvalidInput(
      "",
      `unknown sub-command "${positionals.join(" ")}": kpi roster sync --from slack|feishu|dingtalk`,
    );
  if (values.from === undefined)
    throw new InvalidInput("--from", "name the platform: slack, feishu or dingtalk");
  const platform = choice("--from", values.from, DIRECTORY_PLATFORMS);
  const path = resolve(values.config ?? env.KPI_CONFIG ?? "kpi.config.yaml");
  const text = await readConfigText(path);
  const config = parseConfig(text, path);
  const directory = directoryFor(platform, config.chat, env);

  let plan: ChatIdPlan;
  try {
    plan = await planChatIds(config, directory);
  } catch (error) {
    if (!(error instanceof DirectoryError)) throw error;
    out.stderr(`kpi roster sync: ${error.message}\nnothing was written`);
    return error.kind === "credentials" ? 2 : 1;
  }
  showPlan(out, plan);
  if (plan.found.length === 0) {
    out.stdout("nothing to write");
    return 0;
  }
  if (values["dry-run"]) {
    out.stdout("dry run: nothing was written");
    return 0;
  }
  if (!values.yes) {
    if (!canAsk())
      throw new InvalidInput(
        "--yes",
        "no terminal to confirm on: pass --yes to write these ids (or --dry-run to only look)",
      );
    if (!(await askYes(`Write ${plan.found.length} ${platform} id(s) into ${path}?`, true))) {
      out.stdout("nothing was written");
      return 1;
    }
  }
  const edited = withChatIds(text, path, plan);
  // The database first: one that cannot be opened (a bot holding the embedded one) stops the
  // command before the file changes, so the file and the audit log never disagree.
  const store = await open(resolve(dirname(path), env.KPI_DATA_DIR ?? config.dataDir), env);
  try {
    await replaceFile(path, edited);
    const at = new Date();
    await syncConfig(
      store.db,
      { config: parseConfig(edited, path), origin: path, baseDir: dirname(path) },
      at,
    );
    await auditChatIds(store.db, plan, { actor: "kpi roster sync", at, file: path });
  } finally {
    await store.close();
  }
  out.stdout(`wrote ${plan.found.length} ${platform} id(s) into ${path} (audited as roster.chat-ids)`);
  return 0;
}

function showPlan(out: Output, plan: ChatIdPlan): void {
  const { platform, found, unchanged, missing } = plan;
  out.stdout(
    `${platform}: ${found.length} to write, ${unchanged.length} already in the file, ${missing.length} not found`,
  );
  for (const f of found)
    out.stdout(
      `  + ${f.agentId} (${f.name}) → ${f.userId}  by ${f.by}${f.previous ? `, was ${f.previous}` : ""}`,
    );
  for (const m of missing)
    out.stdout(`  ? ${m.agentId} (${m.name}): ${m.reason}${m.kept ? `; keeps ${m.kept}` : ""}`);
}

async function readConfigText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new InvalidInput("--config", `${path} does not exist: write one with kpi init`);
    throw error;
  }
}

/** Written beside it and renamed over it: a crash leaves the old file or the new, never half. */
async function replaceFile(path: string, text: string): Promise<void> {
  const { mode } = await stat(path);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode });
  await rename(temporary, path);
}
