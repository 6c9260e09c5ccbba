import { stringify } from "yaml";
import { type Config, parseConfig } from "../config.ts";
import { InvalidDocument, type Issue } from "../engine/index.ts";
import type { RosterField, RosterRow, RosterTable } from "../sources/roster-file.ts";

/**
 * `kpi init`: a first kpi.config.yaml from a few answers (shops, teams, the chat platform) and
 * the team's roster file, with the defaults a 客服主管 expects written out where they can be
 * changed: the built-in schemes, digests at 09:00 in the shop's zone, quiet hours at night.
 * Every bad roster row is named (row and column) and nothing is written; the text is checked by
 * the configuration's own parser before it is returned.
 */

export type ShopPlatform = Config["shops"][number]["platform"];
export type InitChatPlatform = "slack" | "feishu" | "dingtalk" | "console";

export interface InitAnswers {
  shops: { id: string; name: string; platform: ShopPlatform }[];
  /** Teams named up front; the roster's other teams are added (their id made up when the name is not one). */
  teams: { id: string; name: string; shop?: string }[];
  platform: InitChatPlatform;
  timeZone: string;
  /** Team id → where its digests go on the platform. */
  channels: Record<string, string>;
}

export interface InitOutcome {
  text: string;
  config: Config;
  /** Things worth saying that are not errors: agents the directory will not find, ignored columns. */
  notes: string[];
}

/** Role words of roster files, as data: the built-in schemes' roles. */
export const ROLE_WORDS: Readonly<Record<string, readonly string[]>> = {
  presales: ["presales", "pre-sales", "售前", "售前客服"],
  aftersales: ["aftersales", "after-sales", "售后", "售后客服"],
  supervisor: ["supervisor", "lead", "team lead", "主管", "客服主管", "组长"],
  trainee: ["trainee", "新人", "新员工", "实习", "实习生", "试用"],
};

/** What each shop platform's exports are and how its chat logs are read. */
const PLATFORM_DEFAULTS: Record<ShopPlatform, { kind: string; profile: string; export: string }> = {
  taobao: { kind: "chitu", profile: "taobao", export: "赤兔/千牛 客服绩效" },
  jd: { kind: "jd", profile: "jd", export: "京东咚咚 客服绩效" },
  pdd: { kind: "pdd", profile: "pdd", export: "拼多多 客服数据" },
  douyin: { kind: "douyin", profile: "generic", export: "抖店 飞鸽 客服数据" },
  other: { kind: "generic", profile: "generic", export: "the generic template" },
};

const ID = /^[A-Za-z0-9_-]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Agent = Config["agents"][number];
type Team = { id: string; name: string; shop: string; channels?: Record<string, string> };

export function buildInitConfig(answers: InitAnswers, roster: RosterTable, origin: string): InitOutcome {
  const issues: (Issue & { row: number })[] = [];
  const problem = (row: RosterRow, field: RosterField, message: string) => {
    const cell = row.cells[field];
    const path = `row ${row.line}, column ${cell?.header ?? field}`;
    issues.push({ row: row.line, path, message: cell ? `"${cell.value}" ${message}` : message });
  };
  const shopOf = (text: string) => answers.shops.find((s) => s.id === text || s.name === text);
  const teams: Team[] = answers.teams.map((t) => ({
    id: t.id,
    name: t.name,
    shop: t.shop ?? answers.shops[0]!.id,
  }));
  const agents: (Agent & { line: number })[] = [];
  const ids = new Set<string>();
  const rowsOfName = new Map<string, RosterRow[]>();
  for (const row of roster.rows)
    rowsOfName.set(row.cells.name?.value ?? "", [
      ...(rowsOfName.get(row.cells.name?.value ?? "") ?? []),
      row,
    ]);

  for (const row of roster.rows) {
    const text = (field: RosterField) => row.cells[field]?.value;
    for (const field of ["name", "role", "team"] as const)
      if (text(field) === undefined) problem(row, field, `is empty: every agent needs a ${field}`);
    const role = roleOf(text("role"));
    if (text("role") !== undefined && role === undefined)
      problem(
        row,
        "role",
        "is not a role: write 售前, 售后, 主管 or 新人 (presales, aftersales, supervisor, trainee)",
      );
    const shopText = text("shop");
    const shop = shopText === undefined ? undefined : shopOf(shopText);
    if (shopText !== undefined && shop === undefined)
      problem(
        row,
        "shop",
        `is not a shop of this configuration (${answers.shops.map((s) => s.id).join(", ")})`,
      );
    const team =
      text("team") === undefined ? undefined : teamOf(text("team")!, shop?.id, teams, answers, row, problem);
    const email = text("email");
    if (email !== undefined && !EMAIL.test(email)) problem(row, "email", "is not an email address");
    const mobile = text("mobile") === undefined ? undefined : mobileOf(text("mobile")!);
    if (mobile === null)
      problem(row, "mobile", "is not a mobile number (11 digits, or + and the country code)");
    const id = idOf(row, email, agents.length, ids, problem);
    const account = text("account");
    const accountShop = shop?.id ?? (answers.shops.length === 1 ? answers.shops[0]!.id : undefined);
    if (account !== undefined && accountShop === undefined)
      problem(row, "account", "belongs to which shop? With several shops, add a column 店铺 (shop)");
    if (!text("name") || !role || !team || id === undefined) continue;
    const agent: Agent & { line: number } = {
      line: row.line,
      id,
      name: text("name")!,
      role,
      team,
      accounts: account !== undefined && accountShop !== undefined ? [{ shop: accountShop, account }] : [],
      ...(email !== undefined ? { email } : {}),
      ...(typeof mobile === "string" ? { mobile } : {}),
    };
    agents.push(agent);
  }
  // Supervisors are named by name or id, so they are resolved once every agent has an id.
  for (const row of roster.rows) {
    const named = row.cells.supervisor?.value;
    const agent = agents.find((a) => a.line === row.line);
    if (named === undefined || agent === undefined) continue;
    const byId = agents.find((a) => a.id === named);
    const byName = agents.filter((a) => a.name === named);
    if (byId) agent.supervisor = byId.id;
    else if (byName.length === 1) agent.supervisor = byName[0]!.id;
    else if (byName.length > 1)
      problem(
        row,
        "supervisor",
        `names ${byName.length} agents: write the supervisor's id (${byName.map((a) => a.id).join(", ")})`,
      );
    else problem(row, "supervisor", "is not an agent of the roster (by name or id)");
    if (agent.supervisor === agent.id) problem(row, "supervisor", "is the agent themself");
  }
  duplicates(roster.rows, agents, "email", problem);
  duplicates(roster.rows, agents, "mobile", problem);
  duplicateAccounts(roster.rows, agents, problem);
  if (roster.rows.length === 0)
    issues.push({ row: 0, path: "", message: "the roster has a header but no agent" });
  if (issues.length > 0)
    throw new InvalidDocument(
      `roster ${origin}`,
      issues.sort((a, b) => a.row - b.row).map(({ path, message }) => ({ path, message })),
    );

  for (const [teamId, channel] of Object.entries(answers.channels)) {
    const team = teams.find((t) => t.id === teamId || t.name === teamId);
    if (!team)
      throw new InvalidDocument("--channel", [
        { path: teamId, message: `no team ${teamId} (teams: ${teams.map((t) => t.id).join(", ")})` },
      ]);
    if (answers.platform !== "console") team.channels = { [answers.platform]: channel };
  }
  const ordered = agents.map(({ id, name, role, team, supervisor, accounts, email, mobile }) => ({
    id,
    name,
    role,
    team,
    ...(supervisor ? { supervisor } : {}),
    accounts,
    ...(email ? { email } : {}),
    ...(mobile ? { mobile } : {}),
  }));
  const text = configText(answers, teams, ordered);
  const config = parseConfig(text, origin);
  const unreachable = agents.filter((a) => !a.email && !a.mobile).length;
  const notes = [
    ...(roster.ignored.length > 0 ? [`columns not read: ${roster.ignored.join(", ")}`] : []),
    // Slack is also searched by name (slack-directory.ts): no one there is out of reach.
    ...(unreachable > 0 && answers.platform !== "console" && answers.platform !== "slack"
      ? [
          `${unreachable} agent(s) have neither email nor mobile: kpi roster sync cannot find them; add their chat ids by hand`,
        ]
      : []),
  ];
  return { text, config, notes };
}

function roleOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const key = text.trim().toLowerCase();
  return Object.entries(ROLE_WORDS).find(([, words]) => words.includes(key))?.[0];
}

/** The team a roster cell names, by id or name; one not declared is added to the shop the row (or the only shop) says. */
function teamOf(
  cell: string,
  shop: string | undefined,
  teams: Team[],
  answers: InitAnswers,
  row: RosterRow,
  problem: (row: RosterRow, field: RosterField, message: string) => void,
): string | undefined {
  const known = teams.find((t) => t.id === cell || t.name === cell);
  if (known) return known.id;
  const home = shop ?? (answers.shops.length === 1 ? answers.shops[0]!.id : undefined);
  if (home === undefined) {
    problem(
      row,
      "team",
      "is not a declared team, and with several shops its shop is unknown: declare it (--team id:name:shop) or add a column 店铺",
    );
    return undefined;
  }
  let id = ID.test(cell) ? cell : `team-${teams.length + 1}`;
  while (teams.some((t) => t.id === id)) id = `${id}-${teams.length + 1}`;
  teams.push({ id, name: cell, shop: home });
  return id;
}

/** 13800138000, 138-0013-8000 and +86 138 0013 8000 are one number; other countries keep their code. */
function mobileOf(text: string): string | null {
  const compact = text.replace(/[\s()-]/g, "");
  const china = /^(?:\+?86)?(1\d{10})$/.exec(compact);
  if (china) return china[1]!;
  return /^\+\d{6,15}$/.test(compact) ? compact : null;
}

/** The id column's, else the email's name (zhang.san@ → zhang-san), else agent-07 by row: unique. */
function idOf(
  row: RosterRow,
  email: string | undefined,
  count: number,
  taken: Set<string>,
  problem: (row: RosterRow, field: RosterField, message: string) => void,
): string | undefined {
  const given = row.cells.id?.value;
  if (given !== undefined) {
    if (!ID.test(given)) return void problem(row, "id", "is not an id: use letters, digits, - and _");
    if (taken.has(given)) return void problem(row, "id", "is used by an earlier row");
    taken.add(given);
    return given;
  }
  const fromEmail = email
    ?.split("@")[0]
    ?.replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  let id = fromEmail && fromEmail !== "" ? fromEmail : `agent-${String(count + 1).padStart(2, "0")}`;
  for (let n = 2; taken.has(id); n++) id = `${fromEmail || "agent"}-${n}`;
  taken.add(id);
  return id;
}

function duplicates(
  rows: RosterRow[],
  agents: (Agent & { line: number })[],
  field: "email" | "mobile",
  problem: (row: RosterRow, field: RosterField, message: string) => void,
) {
  const first = new Map<string, number>();
  for (const agent of agents) {
    const value = field === "email" ? agent.email?.toLowerCase() : agent.mobile;
    if (value === undefined) continue;
    const earlier = first.get(value);
    if (earlier === undefined) first.set(value, agent.line);
    else
      problem(
        rows.find((r) => r.line === agent.line)!,
        field,
        `is row ${earlier}'s too: one chat account cannot be two agents`,
      );
  }
}

function duplicateAccounts(
  rows: RosterRow[],
  agents: (Agent & { line: number })[],
  problem: (row: RosterRow, field: RosterField, message: string) => void,
) {
  const first = new Map<string, number>();
  for (const agent of agents)
    for (const { shop, account } of agent.accounts) {
      const key = `${shop}\u0000${account}`;
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, agent.line);
      else
        problem(
          rows.find((r) => r.line === agent.line)!,
          "account",
          `is row ${earlier}'s account in the same shop`,
        );
    }
}

const flow = (value: unknown) => stringify(value, { collectionStyle: "flow", lineWidth: 0 }).trim();
const list = (items: unknown[]) => items.map((item) => `  - ${flow(item)}`).join("\n");

function configText(answers: InitAnswers, teams: Team[], agents: Agent[]): string {
  const zone = answers.timeZone;
  const shops = answers.shops.map((s) => ({ ...s, timeZone: zone }));
  const chat =
    answers.platform === "slack"
      ? "chat:\n  slack: { mode: http }          # socket: Socket Mode (SLACK_APP_TOKEN), no public URL needed"
      : answers.platform === "feishu"
        ? 'chat:\n  feishu: { mode: http, domain: "https://open.feishu.cn" }   # Lark: https://open.larksuite.com; websocket: long connection'
        : answers.platform === "dingtalk"
          ? "chat:\n  dingtalk: { mode: robot }      # Stream in, OpenAPI out: no public URL needed"
          : "# chat: none: what the bot would post is printed on the console. Add slack, feishu or dingtalk here.";
  const sources = answers.shops
    .map((s) => {
      const d = PLATFORM_DEFAULTS[s.platform];
      return `#   - { id: ${s.id}-daily, kind: ${d.kind}, shop: ${s.id}, path: "./exports/${s.id}-{date}.xlsx", lagDays: 1 }   # ${d.export}`;
    })
    .join("\n");
  const profiles = Object.fromEntries(
    answers.shops.map((s) => [s.id, PLATFORM_DEFAULTS[s.platform].profile]),
  );
  return `# kpi-bot configuration, written by \`kpi init\`. Every key is explained in kpi.config.example.yaml.
# Secrets never go here: chat credentials and source tokens come from the environment (README,
# "Chat platforms"). Check it with \`kpi doctor\`.

dataDir: ./data
# An export naming an account the roster does not know: reject the file (or create the agent).
unknownAgents: reject
defaultRole: presales

shops:
${list(shops)}

teams:
${list(teams)}

# Chat users who see every team, as platform:userId (e.g. "${answers.platform === "console" ? "slack" : answers.platform}:…"); \`kpi roster sync\` fills agents' ids.
admins: []

# One agent a row of the roster file. email and mobile are how \`kpi roster sync\` finds each
# agent's chat id; accounts are how each shop's exports name the agent.
agents:
${list(agents)}

# Each role's scheme (built-in, or a file relative to this one, with the day it takes effect).
schemes:
  presales: [{ scheme: presales }]
  aftersales: [{ scheme: aftersales }]
  supervisor: [{ scheme: supervisor }]
  trainee: [{ scheme: trainee }]

# Where the daily figures come from. Uncomment once the back office's export lands there each day
# (or import files by hand: kpi import <file>).
# sources:
${sources}

schedules:
  - { id: daily-pull, cron: "0 9 * * *", timeZone: ${zone}, catchUpDays: 7 }

chatlog:
  profiles: ${flow(profiles)}

${chat}

# Team digests at 09:00 in each shop's zone: daily (yesterday), weekly (Monday), monthly (the 1st).
digests:
  daily: { cron: "0 9 * * *" }
  weekly: { cron: "0 9 * * 1" }
  monthly: { cron: "0 9 1 * *" }
  attentionGrade: C
  chart: true

# Nudges to agents by direct message; nothing in quiet hours, at most dailyCap a day.
nudges:
  enabled: true
  quietHours: { from: "21:00", to: "08:30" }
  dailyCap: 3
  maxWaitSeconds: 300
  lowRatingBelow: 4
  reminderHoursLeft: 4

escalations:
  followUpOverdue:
    - { afterHours: 0, to: supervisor }
    - { afterHours: 24, to: admins }
  lowGrade: { grade: C, days: 3, to: supervisor }
  ignoredNudges: { count: 3, to: supervisor }

# Where the bot's HTTP server listens (webhooks, /healthz); KPI_HOST / KPI_PORT override it.
server: { host: 127.0.0.1, port: 3000 }
`;
}
