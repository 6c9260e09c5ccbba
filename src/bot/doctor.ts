import { resolve } from "node:path";
import { type Config, type LoadedConfig, loadConfig } from "../config.ts";
import { InvalidDocument, InvalidInput } from "../engine/index.ts";
import { databaseStatus } from "../store/database-status.ts";
import { dingtalkFindings } from "./doctor-dingtalk.ts";
import { environmentFindings } from "./doctor-environment.ts";
import { feishuFindings } from "./doctor-feishu.ts";
import { type Finding, failed, passed, skipped } from "./doctor-finding.ts";
import { slackFindings } from "./doctor-slack.ts";

export type { Finding } from "./doctor-finding.ts";

/**
 * `kpi doctor`: the configuration, the environment, the database and its migrations, and each
 * configured platform's credentials and digest channels, each as findings that say what is wrong
 * and how to fix it. It changes nothing: no migration, no database created, no message posted.
 */

export interface DoctorInput {
  /** --config; else KPI_CONFIG, ./kpi.config.yaml or the built-in demo, as every command reads it. */
  configPath?: string;
  env: Readonly<Record<string, string | undefined>>;
  cwd?: string;
}

function describe(loaded: LoadedConfig): string {
  const { config } = loaded;
  const platforms = Object.keys(config.chat).filter((p) => config.chat[p as keyof Config["chat"]]);
  return (
    `${loaded.origin}: ${config.shops.length} shops, ${config.teams.length} teams, ${config.agents.length} agents; ` +
    `chat: ${platforms.length > 0 ? platforms.join(", ") : "the console"}`
  );
}

async function configFinding(input: DoctorInput): Promise<{ finding: Finding; loaded?: LoadedConfig }> {
  try {
    const loaded = await loadConfig(input.configPath, input.cwd);
    return { finding: passed("configuration", describe(loaded)), loaded };
  } catch (error) {
    // A --config naming no file is the caller's mistake (exit 2), not a finding.
    if (
      input.configPath !== undefined &&
      error instanceof InvalidInput &&
      !(error instanceof InvalidDocument)
    )
      throw error;
    if (!(error instanceof InvalidInput)) throw error;
    return {
      finding: failed(
        "configuration",
        error.message.replace(/\n\s*/g, "; "),
        "correct the keys named (kpi.config.example.yaml documents each one)",
      ),
    };
  }
}

async function databaseFindings(loaded: LoadedConfig, env: DoctorInput["env"]): Promise<Finding[]> {
  const dataDir = resolve(loaded.baseDir, env.KPI_DATA_DIR ?? loaded.config.dataDir);
  const status = await databaseStatus({
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    dataDir,
  });
  const what =
    status.kind === "postgres"
      ? `PostgreSQL at ${status.location}`
      : `embedded (PGlite) in ${status.location}`;
  if (status.state === "absent")
    return [
      passed("database", `${what}, not created yet: kpi start creates it`),
      skipped("migrations", "none applied yet: kpi start (or kpi db migrate) applies them all"),
    ];
  if (status.state === "unreachable")
    return [
      failed(
        "database",
        `${what} cannot be opened: ${status.error}`,
        status.kind === "postgres"
          ? "start the server, or correct DATABASE_URL (postgres://user:password@host:5432/database)"
          : "stop the process named, or remove the directory's damaged files (restore a backup: docs/deploy.md)",
      ),
    ];
  const database = passed("database", `${what} answers`);
  if (status.newer)
    return [
      database,
      failed(
        "migrations",
        "the database has migrations this kpi-bot does not know",
        "upgrade kpi-bot to the version that wrote them",
      ),
    ];
  const pending = status.known - status.applied;
  return [
    database,
    passed(
      "migrations",
      pending === 0
        ? `all ${status.known} applied`
        : `${status.applied} of ${status.known} applied; ${pending} pending: kpi start applies them (or kpi db migrate now)`,
    ),
  ];
}

async function platformFindings(config: Config, env: DoctorInput["env"]): Promise<Finding[]> {
  const { slack, feishu, dingtalk } = config.chat;
  if (!slack && !feishu && !dingtalk)
    return [
      skipped(
        "chat",
        "no platform configured: messages go to the console (chat.slack, chat.feishu or chat.dingtalk)",
      ),
    ];
  return [
    ...(slack ? await slackFindings(slack, config.teams, env) : []),
    ...(feishu ? await feishuFindings(feishu, config.teams, env) : []),
    ...(dingtalk ? await dingtalkFindings(dingtalk, config.teams, env) : []),
  ];
}

export async function runDoctor(input: DoctorInput): Promise<Finding[]> {
  const { finding, loaded } = await configFinding(input);
  if (!loaded) return [finding, skipped("the other checks", "they need a configuration that loads")];
  return [
    finding,
    ...environmentFindings(loaded.config, input.env),
    ...(await databaseFindings(loaded, input.env)),
    ...(await platformFindings(loaded.config, input.env)),
  ];
}
