import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { PhraseBook } from "../engine/chatlog/phrase-book.ts";
import { type ChatlogOptions, InvalidInput, PROFILES } from "../engine/index.ts";

/**
 * The one way the options of a chat-log run are worked out, so that `kpi import --source chatlog`
 * stores the figures `kpi metrics` shows for the same file: the configuration's `chatlog` section
 * and shops first, then a command's flags over them for one run.
 */

/** The configuration's `chatlog` section (config.ts), seen here without importing config.ts. */
export interface ChatlogSettings {
  phrases?: string | undefined;
  profile?: string | undefined;
  /** By shop id. */
  profiles?: Readonly<Record<string, string>> | undefined;
  windowDays?: number | undefined;
  sessionGap?: number | undefined;
}

export interface ConfiguredChatlog {
  settings?: ChatlogSettings | undefined;
  /** A log names its shop by id or by name (chatlogBatch), so a shop's rules go under both. */
  shops: readonly { id: string; name: string; timeZone: string }[];
  /** The configuration file's directory: `settings.phrases` is relative to it. */
  baseDir: string;
}

/** A command's flags; each replaces what the configuration says of the same thing. */
export interface ChatlogOverrides {
  /** A phrase-rule file, relative to the working directory. */
  phrases?: string;
  /** --profile: every shop's and shop by shop (as the log names them), instead of the configuration's. */
  profiles?: Pick<ChatlogOptions, "profile" | "shopProfiles">;
  /** One zone for every shop, instead of each configured shop's own. */
  timeZone?: string;
  windowDays?: number;
  sessionGap?: number;
}

/** The flags as parseArgs gives them. */
export interface ChatlogFlagValues {
  phrases?: string | undefined;
  profile?: string | undefined;
  "time-zone"?: string | undefined;
  window?: string | undefined;
  "session-gap"?: string | undefined;
}

/** Reads the chat-log flags; a bad one is an InvalidInput naming the flag. */
export function chatlogFlags(values: ChatlogFlagValues): ChatlogOverrides {
  const zone = values["time-zone"];
  if (zone !== undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
    } catch {
      throw new InvalidInput("--time-zone", `"${zone}" is not a time zone such as Asia/Shanghai`);
    }
  }
  const windowDays = wholeNumber("--window", values.window);
  const sessionGap = wholeNumber("--session-gap", values["session-gap"]);
  return {
    ...(values.phrases !== undefined ? { phrases: values.phrases } : {}),
    ...(values.profile !== undefined ? { profiles: profileFlag(values.profile) } : {}),
    ...(zone !== undefined ? { timeZone: zone } : {}),
    ...(windowDays !== undefined ? { windowDays } : {}),
    ...(sessionGap !== undefined ? { sessionGap } : {}),
  };
}

/** The options of a run: the configuration's, each overridden by its flag when one is given. */
export async function chatlogOptions(
  configured: ConfiguredChatlog,
  overrides: ChatlogOverrides = {},
): Promise<ChatlogOptions> {
  const settings = configured.settings ?? {};
  const phrases =
    overrides.phrases !== undefined
      ? await readPhraseFile("--phrases", resolve(overrides.phrases))
      : settings.phrases !== undefined
        ? await readPhraseFile("chatlog.phrases", resolve(configured.baseDir, settings.phrases))
        : undefined;
  const windowDays = overrides.windowDays ?? settings.windowDays;
  const sessionGap = overrides.sessionGap ?? settings.sessionGap;
  return {
    ...(overrides.profiles ?? configuredProfiles(configured)),
    ...(overrides.timeZone !== undefined
      ? { timeZone: overrides.timeZone }
      : { shopTimeZones: byIdAndName(configured.shops, (shop) => shop.timeZone) }),
    ...(windowDays !== undefined ? { windowDays } : {}),
    ...(sessionGap !== undefined ? { sessionGap } : {}),
    ...(phrases !== undefined ? { forbiddenPhrases: phrases } : {}),
  };
}

function configuredProfiles(configured: ConfiguredChatlog): Pick<ChatlogOptions, "profile" | "shopProfiles"> {
  const { profile, profiles = {} } = configured.settings ?? {};
  return {
    ...(profile !== undefined ? { profile } : {}),
    shopProfiles: byIdAndName(configured.shops, (shop) =>
      Object.hasOwn(profiles, shop.id) ? profiles[shop.id] : undefined,
    ),
  };
}

function byIdAndName<S extends { id: string; name: string }>(
  shops: readonly S[],
  value: (shop: S) => string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const shop of shops) {
    const v = value(shop);
    if (v === undefined) continue;
    out[shop.name] = v;
    out[shop.id] = v;
  }
  return out;
}

/** `jd`, or `旗舰店=jd,专卖店=taobao`, or both: shops as the log names them. */
function profileFlag(value: string): Pick<ChatlogOptions, "profile" | "shopProfiles"> {
  const shopProfiles: Record<string, string> = {};
  let profile: string | undefined;
  for (const part of value.split(",").map((p) => p.trim())) {
    if (part === "") continue;
    const [shop, name] = part.includes("=") ? part.split("=", 2).map((p) => p.trim()) : [undefined, part];
    if (!name || !Object.hasOwn(PROFILES, name))
      throw new InvalidInput("--profile", `"${name}" is not one of ${Object.keys(PROFILES).join(", ")}`);
    if (shop === undefined) profile = name;
    else shopProfiles[shop] = name;
  }
  return { ...(profile !== undefined ? { profile } : {}), shopProfiles };
}

function wholeNumber(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidInput(option, `"${value}" is not a whole number of at least 1`);
  return n;
}

/** The file's lines, checked now so that a bad line names the file it is in. */
async function readPhraseFile(where: string, path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new InvalidInput(where, `file "${path}" does not exist`);
    throw error;
  }
  const lines = text.split(/\r?\n/);
  try {
    new PhraseBook(lines);
  } catch (error) {
    if (error instanceof InvalidInput) throw new InvalidInput(`${where} (${path})`, error.reason);
    throw error;
  }
  return lines;
}
