import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The source of a folder of src/, as the set-up tests read it to find the platform calls the code
 * makes. Comment lines are left out: a comment naming a method is not a call.
 */

const SRC = join(import.meta.dirname, "../../../src");

export function sourceLines(folder: string, except: string[] = []): string[] {
  const dir = join(SRC, folder);
  return readdirSync(dir)
    .filter((file) => file.endsWith(".ts") && !except.includes(file))
    .flatMap((file) => readFileSync(join(dir, file), "utf8").split("\n"))
    .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line));
}

/**
 * Every call chain `a.b.c(` in the lines whose tail (from some segment on) names an API method of
 * `client`: `app.client.chat.postMessage(` gives "chat.postMessage". `isApiMethod` tells the SDK's
 * API methods from its other functions (a logger's, say).
 */
export function clientCalls(
  lines: string[],
  client: object,
  isApiMethod: (method: (...args: never[]) => unknown, path: string[]) => boolean,
): Set<string> {
  const found = new Set<string>();
  for (const line of lines) {
    for (const match of line.matchAll(/\b([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+)\s*\(/g)) {
      const segments = match[1]!.split(".");
      for (let i = 0; i < segments.length; i++) {
        const tail = segments.slice(i);
        const target = tail.reduce<unknown>(
          (at, key) =>
            at !== null && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined,
          client,
        );
        if (typeof target === "function" && isApiMethod(target as (...args: never[]) => unknown, tail)) {
          found.add(tail.join("."));
          break;
        }
      }
    }
  }
  return found;
}
