import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** The engine is pure: other programs import it without a database, a chat SDK or a file system. */
const engineDir = join(import.meta.dirname, "../../src/engine");
const allowed = new Set(["zod"]);

function engineFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? engineFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

describe("the engine", () => {
  const files = engineFiles(engineDir);

  it("has files to check", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [f.slice(engineDir.length + 1), f]))(
    "%s imports only engine files and zod",
    (_, file) => {
      const source = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      const imports = [
        ...source.matchAll(/(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']/g),
      ].map((m) => m[1] ?? m[2]!);
      for (const specifier of imports) {
        const external = !specifier.startsWith(".");
        if (external) expect(allowed.has(specifier), `${specifier} in ${file}`).toBe(true);
        else
          expect(
            specifier.startsWith("../") ? join(file, "..", specifier).startsWith(engineDir) : true,
            specifier,
          ).toBe(true);
      }
      expect(source).not.toMatch(/\bprocess\.|\bDate\.now\(|\bfetch\(/);
    },
  );
});
