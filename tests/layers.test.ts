import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The layers of src/ (`npm run layers`, dependency-cruiser): README's map says what the rules in
 * .dependency-cruiser.cjs say, and the rules refuse the imports they are there to refuse.
 */

const root = join(import.meta.dirname, "..");
const configFile = join(root, ".dependency-cruiser.cjs");
const { LAYERS } = createRequire(import.meta.url)(configFile) as {
  LAYERS: { layer: string; imports: string[] | "everything below" }[];
};

/** The map's rows, top down: `| \`chat/\` | what it holds | \`server/\`, \`log.ts\` |`. */
function readmeMap(): { layer: string; imports: string[] | "everything below" }[] {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = /### Map\n([\s\S]*?)\n###? /.exec(readme)?.[1] ?? "";
  const name = (cell: string) => cell.trim().replace(/^`|`$/g, "").replace(/\/$/, "");
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => {
      const cells = line.split("|").slice(1, -1);
      const imports = cells[2]!.trim();
      return {
        layer: name(cells[0]!),
        imports:
          imports === "everything below" ? imports : imports === "—" ? [] : imports.split(",").map(name),
      };
    });
}

describe("README's map", () => {
  it("lists every layer of the rules, top down, each importing what the rules let it", () => {
    const map = readmeMap();
    expect(map.length).toBe(LAYERS.length);
    const sorted = (imports: string[] | "everything below") =>
      typeof imports === "string" ? imports : [...imports].sort();
    expect(map.map((row) => ({ layer: row.layer, imports: sorted(row.imports) }))).toEqual(
      [...LAYERS].reverse().map((l) => ({ layer: l.layer, imports: sorted(l.imports) })),
    );
  });
});

const run = promisify(execFile);
const depcruise = join(root, "node_modules/.bin/depcruise");

describe("the layer rules", () => {
  let tree: string;

  /** A small src/ tree with one broken rule of each kind. */
  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), "kpi-layers-"));
    const files: Record<string, string> = {
      "tsconfig.json": "{}",
      "src/bot/commands/command-deps.ts": "export interface CommandDeps { lang: string }\n",
      "src/chat/reply.ts":
        'import type { CommandDeps } from "../bot/commands/command-deps.ts";\nexport type Deps = CommandDeps;\n',
      "src/engine/score.ts": 'import { readFileSync } from "node:fs";\nexport const read = readFileSync;\n',
      "src/store/dm-channel-repo.ts":
        'import type { Deps } from "../chat/reply.ts";\nexport type D = Deps;\n',
      "src/sources/a.ts": 'import { b } from "./b.ts";\nexport const a = () => b();\n',
      "src/sources/b.ts": 'import { a } from "./a.ts";\nexport const b = () => a();\n',
      "src/digest/x.ts": 'import { y } from "../cli/y.ts";\nexport const x = y;\n',
      "src/cli/y.ts": "export const y = 1;\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), text);
    }
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it("refuse each broken rule, naming both files", async () => {
    const failed = await run(depcruise, ["src", "--config", configFile, "--output-type", "err"], {
      cwd: tree,
    }).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBeGreaterThan(0);
    const output = failed!.stdout;
    expect(output).toContain("chat-imports-only-below: src/chat/reply.ts → src/bot/commands/command-deps.ts");
    expect(output).toContain("engine-imports-no-io: src/engine/score.ts → fs");
    expect(output).toContain("store-imports-only-below: src/store/dm-channel-repo.ts → src/chat/reply.ts");
    expect(output).toContain("digest-imports-only-below: src/digest/x.ts → src/cli/y.ts");
    expect(output).toMatch(
      /no-cycles: src\/sources\/a\.ts → \n\s+src\/sources\/b\.ts →\n\s+src\/sources\/a\.ts/,
    );
  });
});
