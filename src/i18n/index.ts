import { en } from "./en.ts";
import type { Lang, Messages } from "./messages.ts";
import { zhCN } from "./zh-CN.ts";

/** The language switch: which catalogue speaks, and what a LANG setting means. */
export type { Lang, Messages } from "./messages.ts";

export const LANGS: readonly Lang[] = ["zh-CN", "en"];

export function messagesFor(lang: Lang): Messages {
  return lang === "en" ? en : zhCN;
}

/** Accepts zh, zh-CN, zh_CN.UTF-8, en, en-US …; anything else is not a language we speak. */
export function parseLang(text: string): Lang | undefined {
  const t = text.toLowerCase();
  if (t.startsWith("zh")) return "zh-CN";
  if (t.startsWith("en")) return "en";
  return undefined;
}
