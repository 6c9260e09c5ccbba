import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { dingtalkConfigSchema } from "./chat/dingtalk/dingtalk-config.ts";
import { feishuConfigSchema } from "./chat/feishu/feishu-config.ts";
import { slackConfigSchema } from "./chat/slack/slack-config.ts";
import { digestConfigSchema } from "./digest/digest-config.ts";
import { InvalidDocument, InvalidInput, type Issue, PROFILES } from "./engine/index.ts";
import { escalationConfigSchema, nudgeConfigSchema } from "./nudges/nudge-config.ts";
import { qaConfigSchema } from "./qa/qa-config.ts";
import { ratingConfigSchema } from "./ratings/rating-config.ts";

/**
 * The one configuration file (kpi.config.yaml; kpi.config.example.yaml documents every key):
 * shops, teams, roster, schemes, sources, schedules. Secrets never live here: a source names the
 * environment variable that holds its token, and the token is read from the environment.
 */

const id = z.string().regex(/^[A-Za-z0-9_-]+$/, "use letters, digits, - and _");
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "write a day as YYYY-MM-DD");
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "write a time of day as HH:MM (24-hour)");
const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "is not an IANA time zone such as Asia/Shanghai");

const shop = z.strictObject({
  id,
  name: z.string().min(1),
  platform: z.enum(["taobao", "jd", "pdd", "douyin", "other"]),
  timeZone: timeZone.default("Asia/Shanghai"),
  category: z.string().optional(),
});

const team = z.strictObject({
  id,
  shop: id,
  name: z.string().min(1),
  /** What `top` shows members: everyone, only the first `leaderboardTop`, or places without names. */
  leaderboard: z.enum(["full", "top", "anonymous"]).default("full"),
  leaderboardTop: z.number().int().positive().default(3),
  /** The language the bot speaks to the team. */
  lang: z.enum(["zh-CN", "en"]).default("zh-CN"),
  /** Where the team's digests go on each platform: a Slack channel id, a Feishu chat id (oc_…), a DingTalk openConversationId (or "webhook" for the custom robot). */
  channels: z
    .strictObject({
      slack: z.string().min(1).optional(),
      feishu: z.string().min(1).optional(),
      dingtalk: z.string().min(1).optional(),
    })
    .default({}),
});

const agent = z.strictObject({
  id,
  name: z.string().min(1),
  role: z.string().min(1),
  team: id,
  supervisor: id.optional(),
  traineeSince: day.optional(),
  /** Working hours in the shop's zone; nudges that can wait are held until the agent is on duty. */
  shift: z.strictObject({ start: clockTime, end: clockTime }).optional(),
  accounts: z.array(z.strictObject({ shop: id, account: z.string().min(1) })).default([]),
  /** How `kpi roster sync` finds the agent in a chat platform's directory (Slack and Feishu by email). */
  email: z.email("is not an email address").optional(),
  /** The same for DingTalk and Feishu: a mobile number, 13800138000 or with its country code (+85291234567). */
  mobile: z
    .string()
    .regex(/^\+?\d{6,15}$/, "write a mobile number as digits, with + and the country code outside China")
    .optional(),
  chat: z
    .strictObject({
      slack: z.string().optional(),
      feishu: z.string().optional(),
      dingtalk: z.string().optional(),
    })
    .optional(),
});

/** A role's scheme from a day on: a built-in name or a YAML/JSON file (relative to the config). */
const schemeVersion = z.strictObject({ scheme: z.string().min(1), from: day.default("2000-01-01") });

const fileSource = z.strictObject({
  id,
  kind: z.enum(["chitu", "jd", "pdd", "douyin", "generic", "auto"]),
  shop: id,
  /** {date} is replaced by the day pulled (YYYY-MM-DD). */
  path: z.string().min(1),
  lagDays: z.number().int().min(0).default(1),
  /** Refuse a file that gives a rate or a mean only as a finished figure (as `kpi import --strict`). */
  strict: z.boolean().default(false),
  /**
   * Metric (id or name) → a count column of the export to weigh its finished figure by when the
   * file lacks the metric's own count (conversion_rate: 接待人数): such cards show the figure ≈.
   */
  approximate: z.record(z.string().min(1), z.string().min(1)).default({}),
});

const httpSource = z.strictObject({
  id,
  kind: z.literal("http"),
  shop: id,
  url: z.string().url(),
  /** Header name → the environment variable holding its value (e.g. Authorization: KPI_STATS_TOKEN). */
  headersFromEnv: z.record(z.string(), z.string().regex(/^[A-Z_][A-Z0-9_]*$/)).default({}),
  timeoutMs: z.number().int().positive().default(30_000),
  lagDays: z.number().int().min(0).default(1),
});

const demoSource = z.strictObject({
  id,
  kind: z.literal("demo"),
  days: z.number().int().positive().max(400).default(90),
  seed: z.number().int().default(1),
  lagDays: z.number().int().min(0).default(1),
});

const source = z.discriminatedUnion("kind", [fileSource, httpSource, demoSource]);

const schedule = z.strictObject({
  id,
  /** node-cron expression, e.g. "0 9 * * *" for 09:00 every day. */
  cron: z.string().min(1),
  timeZone: timeZone.default("Asia/Shanghai"),
  job: z.enum(["pull"]).default("pull"),
  /** Source ids; default every source. */
  sources: z.array(id).optional(),
  /** After downtime, missed fires of at most this many days back are run once each. */
  catchUpDays: z.number().int().min(0).max(60).default(7),
});

const monthDayOrDate = z
  .string()
  .regex(/^(\d{4}-)?\d{2}-\d{2}$/, "write 11-11 (every year) or 2027-01-10 (that year only)");

/**
 * When the promotion seasons fall (双11, 618, 年货节 …), over the defaults of
 * engine/season-calendar.ts: a scheme's season without dates takes its window from here by name.
 */
const seasonWindow = z.strictObject({ from: monthDayOrDate, to: monthDayOrDate });

const profileName = z.string().refine((name) => Object.hasOwn(PROFILES, name), {
  error: (issue) => `"${issue.input}" is not a rule profile (${Object.keys(PROFILES).join(", ")})`,
});

/**
 * How raw chat logs are measured, by `kpi import --source chatlog` and `kpi metrics` alike, so
 * the figures that set pay are the ones `kpi metrics` shows (docs/chatlog.md); a command's flags
 * override it for one run. Each shop is measured on its own clock (shops[].timeZone). Left out:
 * the documents' phrases, the generic profile, a 2-day window, a 1,000,000-line session gap (the
 * engine's defaults, kept there only).
 */
const chatlog = z.strictObject({
  /** Forbidden-phrase rule file, relative to this file (docs/chatlog.md, "Forbidden phrases"). */
  phrases: z.string().min(1).optional(),
  /** Platform rule profile of every shop: generic, jd, taobao or pdd. */
  profile: profileName.optional(),
  /** A shop's own profile over `profile`, by shop id. */
  profiles: z.record(id, profileName).optional(),
  /** Conversion's attribution window, in days. */
  windowDays: z.number().int().min(1).optional(),
  /** A session is complete once none of its lines came for this many lines. */
  sessionGap: z.number().int().min(1).optional(),
});

/** The chat platforms the bot talks on; none: the console (the embedded default). */
const chat = z.strictObject({
  slack: slackConfigSchema.optional(),
  feishu: feishuConfigSchema.optional(),
  dingtalk: dingtalkConfigSchema.optional(),
});

/** The one HTTP port for every webhook, /healthz and /metrics. */
const server = z.strictObject({
  host: z.string().default("127.0.0.1"),
  port: z.number().int().min(0).max(65535).default(3000),
});

/** Appeals (申诉): how long an agent has to raise one, and the decider to decide (docs/appeals.md). */
export const appealConfigSchema = z
  .strictObject({
    /** Days after the period closes (a fact: after its day) an appeal may still be raised. */
    deadlineDays: z.number().int().min(0).max(60).default(3),
    /** Working days (Monday to Friday, the shop's zone) an appeal waits before the decider is reminded. */
    remindAfterWorkingDays: z.number().int().min(1).max(30).default(2),
    /** Working days after the reminder before the admins are told. */
    escalateAfterWorkingDays: z.number().int().min(1).max(30).default(1),
  })
  .default({ deadlineDays: 3, remindAfterWorkingDays: 2, escalateAfterWorkingDays: 1 });

export type AppealConfig = z.infer<typeof appealConfigSchema>;

export const configSchema = z.strictObject({
  dataDir: z.string().default("./data"),
  /** What an import does with an agent the roster does not know. */
  unknownAgents: z.enum(["reject", "create"]).default("reject"),
  /** Role given to agents created from an import. */
  defaultRole: z.string().default("presales"),
  shops: z.array(shop).default([]),
  teams: z.array(team).default([]),
  agents: z.array(agent).default([]),
  schemes: z.record(z.string(), z.array(schemeVersion).min(1)).default({}),
  seasons: z.record(z.string(), seasonWindow).default({}),
  sources: z.array(source).default([]),
  schedules: z.array(schedule).default([]),
  chat: chat.default({}),
  digests: digestConfigSchema,
  nudges: nudgeConfigSchema,
  escalations: escalationConfigSchema,
  appeals: appealConfigSchema,
  /** Supervisor-rated scheme items: when the rating card, its reminders and escalations go. */
  ratings: ratingConfigSchema,
  /** Quality review (质检): the weekly sample of conversations, its reviewers and rubric. */
  qa: qaConfigSchema,
  /** Where `kpi start` listens (default 127.0.0.1:3000; KPI_HOST / KPI_PORT override it). */
  server: server.optional(),
  chatlog: chatlog.optional(),
  /** Chat users who see every team: "slack:U0123", "feishu:ou_…", "dingtalk:<staffId>". */
  admins: z
    .array(z.string().regex(/^(slack|feishu|dingtalk|console):.+$/, 'write "platform:userId"'))
    .default([]),
});

export type Config = z.infer<typeof configSchema>;
export type SourceConfig = z.infer<typeof source>;
export type ScheduleConfig = z.infer<typeof schedule>;

/** The embedded default: the demo shop, pulled every morning at 09:00 Shanghai time. */
export const DEFAULT_CONFIG_TEXT = `
sources:
  - { id: demo, kind: demo, days: 90 }
schedules:
  - { id: daily-pull, cron: "0 9 * * *", timeZone: Asia/Shanghai }
`;

export interface LoadedConfig {
  config: Config;
  /** The file it came from, or "(built-in demo configuration)". */
  origin: string;
  /** Relative paths in the file are relative to this directory. */
  baseDir: string;
}

/** LoadedConfig.origin when no file was found: the demo configuration built into the code. */
export const BUILT_IN_CONFIG_ORIGIN = "(built-in demo configuration)";

/** Reads the file named, else ./kpi.config.yaml if present, else the built-in demo configuration. */
export async function loadConfig(path?: string, cwd = process.cwd()): Promise<LoadedConfig> {
  const candidate = path ?? process.env.KPI_CONFIG ?? resolve(cwd, "kpi.config.yaml");
  let text: string;
  try {
    text = await readFile(candidate, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && path === undefined && process.env.KPI_CONFIG === undefined) {
      return {
        config: parseConfig(DEFAULT_CONFIG_TEXT, "built-in"),
        origin: BUILT_IN_CONFIG_ORIGIN,
        baseDir: cwd,
      };
    }
    if (code === "ENOENT") throw new InvalidInput("--config", `file "${candidate}" does not exist`);
    throw error;
  }
  return { config: parseConfig(text, candidate), origin: candidate, baseDir: dirname(resolve(candidate)) };
}

export function parseConfig(text: string, origin: string): Config {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new InvalidDocument(
      `configuration ${origin}`,
      // The first error is the one to fix; the rest usually follow from it.
      doc.errors
        .slice(0, 3)
        .map((e) => ({ path: "", message: `not valid YAML: ${e.message.split("\n")[0]}` })),
    );
  }
  const parsed = configSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new InvalidDocument(
      `configuration ${origin}`,
      parsed.error.issues.map((issue): Issue => ({ path: issue.path.join("."), message: issue.message })),
    );
  }
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) throw new InvalidDocument(`configuration ${origin}`, problems);
  return parsed.data;
}

/** References between sections: teams name shops, agents name teams and supervisors … */
function crossCheck(config: Config): Issue[] {
  const issues: Issue[] = [];
  const shops = new Set(config.shops.map((s) => s.id));
  const teams = new Set(config.teams.map((t) => t.id));
  const agents = new Set(config.agents.map((a) => a.id));
  const sources = new Set(config.sources.map((s) => s.id));
  const unique = (section: string, ids: string[]) =>
    ids.forEach((value, i) => {
      if (ids.indexOf(value) !== i)
        issues.push({ path: `${section}[${i}].id`, message: `${value} is used twice` });
    });
  unique(
    "shops",
    config.shops.map((s) => s.id),
  );
  unique(
    "teams",
    config.teams.map((t) => t.id),
  );
  unique(
    "agents",
    config.agents.map((a) => a.id),
  );
  unique(
    "sources",
    config.sources.map((s) => s.id),
  );
  unique(
    "schedules",
    config.schedules.map((s) => s.id),
  );
  config.teams.forEach((t, i) => {
    if (!shops.has(t.shop)) issues.push({ path: `teams[${i}].shop`, message: `no shop ${t.shop} in shops` });
  });
  config.agents.forEach((a, i) => {
    if (!teams.has(a.team)) issues.push({ path: `agents[${i}].team`, message: `no team ${a.team} in teams` });
    if (a.supervisor !== undefined && !agents.has(a.supervisor))
      issues.push({ path: `agents[${i}].supervisor`, message: `no agent ${a.supervisor} in agents` });
    a.accounts.forEach((acc, j) => {
      if (!shops.has(acc.shop))
        issues.push({ path: `agents[${i}].accounts[${j}].shop`, message: `no shop ${acc.shop} in shops` });
    });
  });
  const accountOwner = new Map<string, string>();
  config.agents.forEach((a, i) => {
    a.accounts.forEach((acc, j) => {
      const key = `${acc.shop}\u0000${acc.account}`;
      const owner = accountOwner.get(key);
      if (owner !== undefined && owner !== a.id)
        issues.push({
          path: `agents[${i}].accounts[${j}]`,
          message: `${acc.account} in shop ${acc.shop} is already ${owner}'s account`,
        });
      accountOwner.set(key, a.id);
    });
  });
  config.sources.forEach((s, i) => {
    if (s.kind !== "demo" && !shops.has(s.shop))
      issues.push({ path: `sources[${i}].shop`, message: `no shop ${s.shop} in shops` });
  });
  for (const shopId of Object.keys(config.chatlog?.profiles ?? {})) {
    if (!shops.has(shopId))
      issues.push({ path: `chatlog.profiles.${shopId}`, message: `no shop ${shopId} in shops` });
  }
  config.schedules.forEach((s, i) => {
    s.sources?.forEach((sourceId, j) => {
      if (!sources.has(sourceId))
        issues.push({ path: `schedules[${i}].sources[${j}]`, message: `no source ${sourceId} in sources` });
    });
  });
  return issues;
}
