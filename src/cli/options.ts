// The engine's own files, not its index: options are checked before the engine loads (arg-check.ts).
import { InvalidInput } from "../engine/errors.ts";
import { parseDay } from "../engine/period.ts";
import { LANGS, type Lang, parseLang } from "../i18n/index.ts";

/** Where a command writes; tests pass their own to read what was printed. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A YYYY-MM-DD option, checked: `--date: "2026-13-01" is not a day (YYYY-MM-DD)`. */
export function dayOption(option: string, value: string): string {
  try {
    parseDay(value);
  } catch {
    throw new InvalidInput(option, `"${value}" is not a day (YYYY-MM-DD)`);
  }
  return value;
}

export function choice<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InvalidInput(option, `"${value}" is not one of ${allowed.join(", ")}`);
}

/** --lang, else KPI_LANG, else Chinese: most of our users read Chinese. */
export function langOption(value: string | undefined, env = process.env): Lang {
  const raw = value ?? env.KPI_LANG;
  if (raw === undefined || raw === "") return "zh-CN";
  const lang = parseLang(raw);
  if (!lang)
    throw new InvalidInput(
      value === undefined ? "KPI_LANG" : "--lang",
      `"${raw}" is not one of ${LANGS.join(", ")}`,
    );
  return lang;
}
