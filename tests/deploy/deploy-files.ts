/**
 * The Dockerfile and compose.yaml read as the tests need them. No image can be built and no compose
 * can run on these machines (a docker client, no daemon, no compose plugin), so the tests read
 * the files and run what they say: the image's entrypoint, its health command, its environment.
 * The Dockerfile reader is a light one (instructions, continuation lines, stages), not BuildKit's.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface Instruction {
  keyword: string;
  /** The rest of the line, continuation lines joined. */
  args: string;
}

export interface Stage {
  name: string | undefined;
  from: string;
  instructions: Instruction[];
}

export function readDockerfile(path = `${PROJECT_ROOT}Dockerfile`): { args: Instruction[]; stages: Stage[] } {
  const lines = readFileSync(path, "utf8").split("\n");
  const instructions: Instruction[] = [];
  let pending = "";
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith("#") || (trimmed === "" && pending === "")) continue;
    pending += `${pending === "" ? "" : " "}${trimmed.replace(/\\$/, "").trim()}`;
    if (trimmed.endsWith("\\")) continue;
    const [keyword = "", ...rest] = pending.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(" ") });
    pending = "";
  }
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const [from = "", as, name] = instruction.args.split(/\s+/);
      stages.push({ name: as?.toUpperCase() === "AS" ? name : undefined, from, instructions: [] });
    } else if (stages.length === 0) globalArgs.push(instruction);
    else stages.at(-1)?.instructions.push(instruction);
  }
  return { args: globalArgs, stages };
}

/** The JSON array of an exec-form instruction (CMD ["node", …]), or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith("[")) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === "string") ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The ENV of a stage, `ENV A=1 B=2` form. */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage.instructions) {
    if (keyword !== "ENV") continue;
    for (const pair of args.split(/\s+/)) {
      const at = pair.indexOf("=");
      if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return env;
}

export function lastOf(stage: Stage, keyword: string): Instruction | undefined {
  return stage.instructions.filter((i) => i.keyword === keyword).at(-1);
}

export function readCompose(path = `${PROJECT_ROOT}compose.yaml`): Record<string, unknown> {
  return parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

/**
 * Compose's interpolation of the forms compose.yaml uses, `${VAR}` and `${VAR:?message}`, from
 * `variables` (what compose reads from .env and the shell): a missing required one throws its
 * message, as `docker compose up` stops with it.
 */
export function interpolate(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?::\?([^}]*))?\}/g, (_match, name: string, message?: string) => {
    const value = variables[name];
    if (value === undefined || value === "") {
      if (message !== undefined) throw new Error(`required variable ${name} is missing a value: ${message}`);
      return "";
    }
    return value;
  });
}
