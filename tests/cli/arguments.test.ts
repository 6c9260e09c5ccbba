import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { didYouMean } from "../../src/cli/arg-check.ts";
import { main } from "../../src/cli/main.ts";

/**
 * A command line is checked before the command loads: typos get "did you mean" and the one usage
 * line that applies, and a wrong value never opens the database (which would create it).
 */

async function kpi(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (text) => {
      stdout += `${text}\n`;
    },
    stderr: (text) => {
      stderr += `${text}\n`;
    },
  });
  return { code, stdout, stderr };
}

describe("didYouMean", () => {
  it("finds a swapped or missing letter, a prefix, and nothing for a stranger", () => {
    const commands = ["score", "metrics", "db", "demo", "chat", "digest", "import", "pull", "start"];
    expect(didYouMean("scroe", commands)).toBe("score");
    expect(didYouMean("imprt", commands)).toBe("import");
    expect(didYouMean("dige", commands)).toBe("digest");
    expect(didYouMean("perod", ["period", "agent", "date"])).toBe("period");
    expect(didYouMean("frobnicate", commands)).toBeUndefined();
  });
});

describe("kpi's command line, checked before any command loads", () => {
  let dir: string;
  let dataDir: string;
  const saved = { dataDir: process.env.KPI_DATA_DIR, url: process.env.DATABASE_URL };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "kpi-args-"));
    dataDir = join(dir, "data");
    // Opening the embedded database would create this directory: it must stay absent.
    process.env.KPI_DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
  });
  afterAll(async () => {
    if (saved.dataDir === undefined) delete process.env.KPI_DATA_DIR;
    else process.env.KPI_DATA_DIR = saved.dataDir;
    if (saved.url !== undefined) process.env.DATABASE_URL = saved.url;
    await rm(dir, { recursive: true, force: true });
  });

  it("prints its version", async () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8"));
    for (const flag of ["--version", "-V", "version"]) {
      const run = await kpi([flag]);
      expect(run).toMatchObject({ code: 0, stdout: `kpi-bot ${pkg.version}\n` });
    }
  });

  it("answers a mistyped command with the command meant and its usage line only", async () => {
    const run = await kpi(["scroe", "--period", "week"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "scroe": did you mean "score"?');
    expect(run.stderr).toContain("kpi score [--period <period>]");
    expect(run.stderr).not.toContain("kpi metrics");
    expect(run.stderr.split("\n").length).toBeLessThan(10);
    const stranger = await kpi(["frobnicate"]);
    expect(stranger.stderr).toContain("the commands are score, metrics, db");
  });

  it("answers a mistyped flag with the flag meant", async () => {
    const run = await kpi(["score", "--perod", "week"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("kpi score: --perod: no such flag: did you mean --period?");
    expect(run.stderr).toContain("usage: kpi score");
    const missing = await kpi(["score", "--agent"]);
    expect(missing.stderr).toContain("kpi score: --agent: needs a value");
    const stray = await kpi(["pull", "yesterday"]);
    expect(stray.stderr).toContain("kpi pull: yesterday: is not a flag");
  });

  it("refuses wrong values and missing files without opening the database", async () => {
    const cases: [string[], string][] = [
      [["score", "--period", "wat"], 'kpi score: --period: "wat" is not a period'],
      [["score", "--format", "xml"], 'kpi score: --format: "xml" is not one of table, json'],
      [["digest", "--date", "2026-13-01"], 'kpi digest: --date: "2026-13-01" is not a day'],
      [["chat", "--as", "x", "--lang", "fr", "me"], 'kpi chat: --lang: "fr" is not one of'],
      [["import", join(dir, "missing.csv")], `kpi import: file "${join(dir, "missing.csv")}" does not exist`],
      [["import", dir], `kpi import: "${dir}" is a directory, not a file`],
    ];
    for (const [argv, said] of cases) {
      const run = await kpi(argv);
      expect(run.code, argv.join(" ")).toBe(2);
      expect(run.stderr).toContain(said);
    }
    expect(existsSync(dataDir)).toBe(false);
  });
});
