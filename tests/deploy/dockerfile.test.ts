import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { execForm, lastOf, PROJECT_ROOT, readDockerfile, type Stage, stageEnv } from "./deploy-files.ts";

/**
 * What the Dockerfile promises, read from the file: a light check of its text, not a build (no
 * daemon here). The image's entrypoint, health command and environment are run for real in
 * tests/deploy/image-run.test.ts.
 */

const { stages } = readDockerfile();
const runtime = stages.at(-1)!;
const stageNamed = (name: string) => stages.find((s) => s.name === name);
const runs = (stage: Stage | undefined) =>
  (stage?.instructions ?? []).filter((i) => i.keyword === "RUN").map((i) => i.args);
/** COPY --from=<stage> instructions of the runtime stage, by stage. */
const copiedFrom = (name: string) =>
  runtime.instructions.filter((i) => i.keyword === "COPY" && i.args.includes(`--from=${name} `));
/** Sources of the runtime's COPY instructions from the build context. */
const contextCopies = () =>
  runtime.instructions
    .filter((i) => i.keyword === "COPY" && !i.args.includes("--from="))
    .flatMap((i) =>
      i.args
        .split(/\s+/)
        .filter((word) => !word.startsWith("--"))
        .slice(0, -1),
    );

describe("the Dockerfile", () => {
  it("builds in one stage with the dev dependencies and runs from another with production ones", () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(runs(stageNamed("build"))).toContain("npm run build");
    expect(runs(stageNamed("build")).some((r) => r.startsWith("npm ci") && !r.includes("--omit=dev"))).toBe(
      true,
    );
    expect(runs(stageNamed("deps")).some((r) => r.startsWith("npm ci") && r.includes("--omit=dev"))).toBe(
      true,
    );
    expect(copiedFrom("deps").map((i) => i.args)).toEqual(["--from=deps /app/node_modules ./node_modules"]);
    expect(copiedFrom("build").map((i) => i.args)).toEqual(["--from=build /app/dist ./dist"]);
    // The runtime stage installs nothing itself.
    expect(runs(runtime).some((r) => r.includes("npm"))).toBe(false);
  });

  it("runs as a user other than root, who owns /data and not the code", () => {
    const user = lastOf(runtime, "USER")?.args;
    expect(user).toBeDefined();
    expect(["root", "0", "0:0", "root:root"]).not.toContain(user);
    expect(runtime.instructions.filter((i) => i.args.includes("--chown"))).toEqual([]);
    expect(runs(runtime)).toContain(`mkdir /data && chown ${user}:${user} /data`);
    expect(stageEnv(runtime).KPI_DATA_DIR).toBe("/data");
  });

  it("checks health with node and a script of the image, in exec form", () => {
    const check = lastOf(runtime, "HEALTHCHECK")!.args;
    const command = execForm(check.slice(check.indexOf("CMD ") + 4));
    expect(command).toEqual(["node", "bin/healthcheck.js"]);
    expect(existsSync(join(PROJECT_ROOT, "bin/healthcheck.js"))).toBe(true);
    expect(contextCopies()).toContain("bin");
  });

  it("starts node itself (exec form) so SIGTERM reaches it, with `kpi start` by default", () => {
    expect(execForm(lastOf(runtime, "ENTRYPOINT")!.args)).toEqual(["node", "bin/kpi.js"]);
    expect(execForm(lastOf(runtime, "CMD")!.args)).toEqual(["start"]);
    expect(lastOf(runtime, "STOPSIGNAL")?.args ?? "SIGTERM").toBe("SIGTERM");
  });

  it("listens on every address of the container, on the port it exposes", () => {
    const env = stageEnv(runtime);
    expect(env.KPI_HOST).toBe("0.0.0.0");
    expect(lastOf(runtime, "EXPOSE")?.args).toBe(env.KPI_PORT);
  });

  it("copies files that exist and that .dockerignore lets through", () => {
    const ignored = readFileSync(join(PROJECT_ROOT, ".dockerignore"), "utf8")
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"));
    const sources = [
      ...contextCopies(),
      ...stages.flatMap((s) =>
        s.instructions
          .filter((i) => i.keyword === "COPY" && !i.args.includes("--from="))
          .flatMap((i) => i.args.split(/\s+/).slice(0, -1)),
      ),
    ].filter((word) => !word.startsWith("--"));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(existsSync(join(PROJECT_ROOT, source)), source).toBe(true);
      expect(ignored.filter((pattern) => source === pattern || source.startsWith(`${pattern}/`))).toEqual([]);
    }
    // Read at run time from outside dist/: the migrations and the built-in schemes.
    expect(contextCopies()).toEqual(expect.arrayContaining(["migrations", "src/schemes/builtin"]));
  });

  it("needs at run time only packages the production install gives", () => {
    const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const imported = new Set<string>();
    for (const file of sourceFiles(join(PROJECT_ROOT, "src"))) {
      // Static imports (not type-only), dynamic imports, require and require.resolve (template
      // literals up to their first ${}).
      for (const match of readFileSync(file, "utf8").matchAll(
        /^(?:import|export)(?! type )[^;]*? from "([^".][^"]*)"|(?:\bimport|\brequire|\)\.resolve)\(["`]([^".`$][^"`$]*)/gm,
      )) {
        const specifier = match[1] ?? match[2];
        if (specifier === undefined || specifier.startsWith("node:") || builtinModules.includes(specifier))
          continue;
        const parts = specifier.split("/");
        imported.add(specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!);
      }
    }
    expect([...imported]).toEqual(expect.arrayContaining(["exceljs", "@embedpdf/fonts-sc", "pg-boss"]));
    expect([...imported].filter((name) => !(name in manifest.dependencies))).toEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !relative(PROJECT_ROOT, file).includes("node_modules"));
}
