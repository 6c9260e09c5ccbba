import { constants } from "node:fs";
import { access, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  buildInitConfig,
  type InitAnswers,
  type InitChatPlatform,
  type ShopPlatform,
} from "../bot/init-config.ts";
import { InvalidInput } from "../engine/index.ts";
import { readRosterFile } from "../sources/roster-file.ts";
import { initSpec } from "./command-options.ts";
import { choice, type Output } from "./options.ts";
import { askChoice, askText, askYes, canAsk } from "./prompts.ts";

/**
 * `kpi init`: asks what it was not told (on a terminal), reads the roster, writes a checked
 * kpi.config.yaml and says what to do next. Every answer is also a flag, for scripts.
 */

const SHOP_PLATFORMS: readonly ShopPlatform[] = ["taobao", "jd", "pdd", "douyin", "other"];
const CHAT_PLATFORMS: readonly InitChatPlatform[] = ["slack", "feishu", "dingtalk", "console"];
const ID = /^[A-Za-z0-9_-]+$/;

/** What `kpi roster sync` finds people by on each platform (chat/*-directory.ts). */
const LOOKED_UP_BY: Record<string, string> = {
  slack: "email, else name",
  feishu: "email or mobile",
  dingtalk: "mobile",
};

export async function initCommand(args: string[], out: Output, env = process.env): Promise<number> {
  const { values } = parseArgs({
    args,
    options: initSpec.options,
    strict: true,
    allowPositionals: false,
  });
  const target = resolve(values.config ?? env.KPI_CONFIG ?? "kpi.config.yaml");
  if (!values.force && (await exists(target)))
    throw new InvalidInput(
      "--force",
      `${target} already exists: pass --force to replace it (or --config to write another file)`,
    );
  const interactive = canAsk();
  const shops = (values.shop ?? []).map(shopFlag);
  if (shops.length === 0) {
    if (!interactive)
      throw new InvalidInput(
        "--shop",
        "name at least one shop: --shop <id>:<name>:<platform> (taobao, jd, pdd, douyin, other)",
      );
    shops.push(...(await askShops()));
  }
  const platform =
    values.platform !== undefined
      ? choice("--platform", values.platform, CHAT_PLATFORMS)
      : interactive
        ? await askChoice(
            "Which chat platform does the team use?",
            CHAT_PLATFORMS.map((p) => ({
              value: p,
              label: p === "console" ? "none yet (print to the terminal)" : p,
            })),
          )
        : missing("--platform", "slack, feishu, dingtalk or console");
  const rosterPath =
    values.roster ??
    (interactive
      ? await askText("The roster file (CSV or xlsx: 姓名, 岗位, 组, 主管, 客服账号, 邮箱, 手机)")
      : missing("--roster", "a CSV or xlsx file"));
  const timeZone = values["time-zone"] ?? "Asia/Shanghai";
  const answers: InitAnswers = {
    shops,
    teams: (values.team ?? []).map((t) => teamFlag(t, shops)),
    platform,
    timeZone,
    channels: Object.fromEntries((values.channel ?? []).map(channelFlag)),
  };
  const roster = await readRosterFile(rosterPath, "--roster");
  if (interactive)
    await askTeams(
      answers,
      roster.rows.map((r) => r.cells.team?.value).filter((t) => t !== undefined),
    );
  const { text, config, notes } = buildInitConfig(answers, roster, rosterPath);
  await writeFile(target, text, { flag: values.force ? "w" : "wx", mode: 0o644 });
  const reachable = config.agents.filter((a) => a.email || a.mobile).length;
  out.stdout(
    `wrote ${target}: ${config.shops.length} shop(s), ${config.teams.length} team(s), ${config.agents.length} agents (${reachable} with email or mobile)`,
  );
  for (const note of notes) out.stdout(`note: ${note}`);
  out.stdout(nextSteps(platform, values.config));
  return 0;
}

function nextSteps(platform: InitChatPlatform, config: string | undefined): string {
  const flag = config === undefined ? "" : ` --config ${config}`;
  const steps =
    platform === "console"
      ? [
          [`kpi doctor${flag}`, "check the configuration and the database"],
          [`kpi import <export file>${flag}`, "load a day of the back office's export"],
          [`kpi start${flag}`, "run the bot (npm start)"],
        ]
      : [
          [`kpi setup ${platform}`, `what to create on ${platform}: the app, its permissions, events`],
          [
            `kpi roster sync --from ${platform}${flag}`,
            `find each agent's ${platform} id by ${LOOKED_UP_BY[platform]}`,
          ],
          [`kpi doctor${flag}`, "check the configuration, credentials, database and channels"],
          [`kpi start${flag}`, "run the bot (npm start)"],
        ];
  const width = Math.max(...steps.map(([command]) => command!.length));
  return [
    "next:",
    ...steps.map(([command, what], i) => `  ${i + 1}. ${command!.padEnd(width)}   ${what}`),
  ].join("\n");
}

function missing(option: string, what: string): never {
  throw new InvalidInput(option, `not given (${what}), and no terminal to ask on`);
}

/** id:name:platform; the name may hold colons (the platform is after the last one). */
function shopFlag(text: string): InitAnswers["shops"][number] {
  const first = text.indexOf(":");
  const last = text.lastIndexOf(":");
  if (first < 0 || first === last)
    throw new InvalidInput(
      "--shop",
      `"${text}" is not <id>:<name>:<platform>, e.g. flagship:云裳服饰旗舰店:taobao`,
    );
  const id = text.slice(0, first);
  if (!ID.test(id)) throw new InvalidInput("--shop", `"${id}" is not an id: use letters, digits, - and _`);
  const platform = choice("--shop", text.slice(last + 1), SHOP_PLATFORMS);
  return { id, name: text.slice(first + 1, last), platform };
}

/** id:name or id:name:shop. */
function teamFlag(text: string, shops: InitAnswers["shops"]): InitAnswers["teams"][number] {
  const [id, name, shop, ...rest] = text.split(":");
  if (!id || !name || rest.length > 0)
    throw new InvalidInput(
      "--team",
      `"${text}" is not <id>:<name> or <id>:<name>:<shop>, e.g. presales-a:售前一组`,
    );
  if (!ID.test(id)) throw new InvalidInput("--team", `"${id}" is not an id: use letters, digits, - and _`);
  if (shop !== undefined && !shops.some((s) => s.id === shop))
    throw new InvalidInput(
      "--team",
      `"${text}" names shop ${shop}, not one of --shop (${shops.map((s) => s.id).join(", ")})`,
    );
  if (shop === undefined && shops.length > 1)
    throw new InvalidInput("--team", `"${text}" needs its shop with several shops: <id>:<name>:<shop>`);
  return { id, name, ...(shop === undefined ? {} : { shop }) };
}

/** team=channel: the team by id or name, the platform's channel id (Slack C…, Feishu oc_…, DingTalk cid…). */
function channelFlag(text: string): [string, string] {
  const at = text.indexOf("=");
  if (at < 1 || at === text.length - 1)
    throw new InvalidInput("--channel", `"${text}" is not <team>=<channel id>, e.g. presales-a=C0123ABCD`);
  return [text.slice(0, at), text.slice(at + 1)];
}

async function askShops(): Promise<InitAnswers["shops"]> {
  const shops: InitAnswers["shops"] = [];
  do {
    const name = await askText("Shop name (as the back office shows it)", {
      placeholder: "云裳服饰旗舰店",
      check: (v) => (v.trim() ? undefined : "a name, please"),
    });
    const id = await askText("A short id for it (letters, digits, - and _)", {
      initial: shops.length === 0 ? "flagship" : `shop-${shops.length + 1}`,
      check: (v) =>
        ID.test(v.trim())
          ? shops.some((s) => s.id === v.trim())
            ? "already used"
            : undefined
          : "letters, digits, - and _",
    });
    const platform = await askChoice(
      `Where is ${name}?`,
      SHOP_PLATFORMS.map((p) => ({ value: p, label: PLATFORM_LABELS[p] })),
    );
    shops.push({ id, name, platform });
  } while (await askYes("Another shop?"));
  return shops;
}

const PLATFORM_LABELS: Record<ShopPlatform, string> = {
  taobao: "淘宝 / 天猫 (赤兔, 千牛)",
  jd: "京东 (咚咚)",
  pdd: "拼多多",
  douyin: "抖店 (飞鸽)",
  other: "other",
};

/** Gives the roster's teams that are not ids an id, and each team its digest channel, by asking. */
async function askTeams(answers: InitAnswers, named: string[]): Promise<void> {
  for (const name of [...new Set(named)]) {
    if (answers.teams.some((t) => t.id === name || t.name === name)) continue;
    const id = ID.test(name)
      ? name
      : await askText(`A short id for team ${name}`, {
          initial: `team-${answers.teams.length + 1}`,
          check: (v) => (ID.test(v.trim()) ? undefined : "letters, digits, - and _"),
        });
    const shop =
      answers.shops.length === 1
        ? undefined
        : await askChoice(
            `Which shop is team ${name} in?`,
            answers.shops.map((s) => ({ value: s.id, label: s.name })),
          );
    answers.teams.push({ id, name, ...(shop === undefined ? {} : { shop }) });
  }
  if (answers.platform === "console") return;
  for (const team of answers.teams) {
    if (answers.channels[team.id] !== undefined || answers.channels[team.name] !== undefined) continue;
    const channel = await askText(`${answers.platform} channel for ${team.name}'s digests (blank: later)`, {
      placeholder: "C0123ABCD / oc_… / cid…",
    });
    if (channel !== "") answers.channels[team.id] = channel;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}
