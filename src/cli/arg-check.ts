import { type Stats, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { closest, distance } from "fastest-levenshtein";
import { InvalidInput } from "../engine/errors.ts";
import { DEFAULT_TIME_ZONE, dayInZone } from "../engine/period.ts";
import type { CommandSpec } from "./command-options.ts";
import { choice, dayOption, langOption } from "./options.ts";
import { periodOption } from "./period-option.ts";

/**
 * A command line checked against its command's flags and values before the command is loaded:
 * the answer to a typo comes in a fraction of a second, with the flag that was probably meant.
 */

/** The word among `known` that `typed` was probably meant to be: a prefix of one, or a slip of a key or two. */
export function didYouMean(typed: string, known: readonly string[]): string | undefined {
  if (typed === "" || known.length === 0) return undefined;
  const prefixed = known.filter((k) => k.startsWith(typed));
  if (prefixed.length === 1) return prefixed[0];
  const best = closest(typed, [...known]);
  // Two edits cover a swap of neighbours (scroe); longer words may take a third.
  return distance(typed, best) <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** A command line that does not parse: said with the command's usage line. */
export class UsageError extends InvalidInput {
  override readonly name: string = "UsageError";
}

export function checkArgs(spec: CommandSpec, args: string[]): void {
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: spec.options,
      strict: true,
      allowPositionals: spec.positionals,
    }));
  } catch (error) {
    throw argumentError(error, spec);
  }
  for (const [option, rule] of Object.entries(spec.values ?? {})) {
    const value = values[option];
    if (typeof value === "string") checkValue(`--${option}`, value, rule);
  }
  if (spec.positionalFiles) for (const path of positionals) checkFile(path);
}

function checkFile(path: string): void {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new InvalidInput("", `file "${path}" does not exist`);
    if (code === "EACCES") throw new InvalidInput("", `file "${path}" cannot be read (permission denied)`);
    throw error;
  }
  if (stats.isDirectory()) throw new InvalidInput("", `"${path}" is a directory, not a file`);
}

function checkValue(option: string, value: string, rule: NonNullable<CommandSpec["values"]>[string]): void {
  if (rule === "day") dayOption(option, value);
  else if (rule === "lang") langOption(value);
  else if (rule === "period") periodOption(option, value, dayInZone(DEFAULT_TIME_ZONE)(Date.now()));
  else choice(option, value, rule);
}

/** parseArgs' own errors, said in our words and with the flag that was probably meant. */
function argumentError(error: unknown, spec: CommandSpec): unknown {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const named = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const typed = named.replace(/^-+/, "").split("=")[0]!;
    const meant = didYouMean(typed, Object.keys(spec.options));
    return new UsageError(named, `no such flag${meant ? `: did you mean --${meant}?` : ""}`);
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const option = /'(--[^' ]+)/.exec(message)?.[1] ?? named;
    const type = spec.options[option.replace(/^-+/, "")]?.type;
    return new UsageError(option, type === "boolean" ? "takes no value" : "needs a value");
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    const word = /'([^']*)'/.exec(message)?.[1] ?? "";
    return new UsageError(word, "is not a flag: this command takes only --flags");
  }
  return error;
}
