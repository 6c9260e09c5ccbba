import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.ts";

const root = join(import.meta.dirname, "../..");
const run = promisify(execFile);

/** Runs the CLI in-process and returns what it printed. */
async function kpi(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: (t) => out.push(`${t}\n`), stderr: (t) => err.push(`${t}\n`) });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempFile(name: string, content: string | Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "kpi-"));
  tempDirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("npx kpi score", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("prints the worked example: total 94.6, grade B, coefficient 1.0 and the nine item rows", async () => {
    const { stdout } = await run(
      "npx",
      ["kpi", "score", "--scheme", "seed-example", "--input", "examples/seed-example.csv"],
      {
        cwd: root,
      },
    );
    expect(stdout).toContain("总分 94.6 → B（良好），绩效系数 1.0");
    const rows = stdout
      .split("\n")
      .filter((line) => /^│ \S/.test(line))
      .slice(1);
    expect(rows).toHaveLength(9);
    expect(rows.map((r) => r.split("│").map((c) => c.trim())[4])).toEqual([
      "100",
      "60",
      "100",
      "100",
      "90",
      "100",
      "96",
      "100",
      "100",
    ]);
    expect(rows[6]).toMatch(/一次解决率\s+│\s+≥85% │\s+82% │\s+96 │\s+10% │\s+9.6 │/);
  });

  it("writes the table's headers and summary in Chinese by default, in English with KPI_LANG=en", async () => {
    vi.stubEnv("KPI_LANG", undefined);
    const zh = await kpi("score", "--scheme", "seed-example", "--input", "examples/seed-example.csv");
    expect(zh.stdout).toMatch(/│ 指标\s+│ 目标值 │ 实际 │ 单项得分 │ 权重 │ 加权得分 │/);
    expect(zh.stdout).toContain("总分 94.6 → B（良好），绩效系数 1.0");
    vi.stubEnv("KPI_LANG", "en");
    const en = await kpi("score", "--scheme", "seed-example", "--input", "examples/seed-example.csv");
    expect(en.stdout).toMatch(/│ item\s+│ target │ actual │ score │ weight │ weighted │/);
    expect(en.stdout).toContain("Total 94.6 → grade B, coefficient 1.0");
    expect(en.stdout).not.toMatch(/指标|总分/);
  });

  it("prints the JSON array the issue specifies", async () => {
    const { code, stdout } = await kpi(
      "score",
      "--scheme",
      "seed-example",
      "--input",
      "examples/seed-example.json",
      "--format",
      "json",
    );
    expect(code).toBe(0);
    const [card] = JSON.parse(stdout);
    expect(card).toMatchObject({
      agent: "小张",
      role: "presales",
      period: "2026-02",
      total: 94.6,
      grade: "B",
      coefficient: 1,
    });
    expect(card.items).toHaveLength(9);
    expect(card.items[6]).toEqual({
      metric: "resolution_rate",
      name: "一次解决率",
      unit: "%",
      target: 85,
      actual: 82,
      score: 96,
      weight: 10,
      weighted: 9.6,
      status: "scored",
    });
  });

  it("rolls daily figures up into the asked period and scores a team with its supervisor", async () => {
    const input = tempFile(
      "days.csv",
      [
        "agent,role,date,team,conversion_rate,first_response_time,csat_rate,training_pass_rate",
        "a,presales,2026-07-01,一组,3/10,250/10,9/10,",
        "a,presales,2026-07-02,一组,12/50,1000/50,45/50,",
        "b,presales,2026-07-01,一组,20/100,2000/100,80/100,",
        "王主管,supervisor,2026-07,一组,,,,95%",
        "a,presales,2026-08-01,一组,1/1,10/1,1/1,",
      ].join("\n"),
    );
    const { code, stdout, stderr } = await kpi(
      "score",
      "--scheme",
      "presales,supervisor",
      "--input",
      input,
      "--period",
      "2026-07",
      "--format",
      "json",
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const cards = JSON.parse(stdout);
    expect(cards.map((c: { agent: string; period: string }) => `${c.agent} ${c.period}`)).toEqual([
      "a 2026-07",
      "b 2026-07",
      "王主管 2026-07",
    ]);
    const item = (card: { items: { metric: string }[] }, id: string) =>
      card.items.find((i) => i.metric === id);
    expect(item(cards[0], "conversion_rate")).toMatchObject({ actual: 25 }); // 15/60
    expect(item(cards[2], "conversion_rate")).toMatchObject({ actual: percentOf(35, 160) });
    expect(item(cards[2], "training_pass_rate")).toMatchObject({ actual: 95, score: 100 });
  });

  it("coaches with --explain", async () => {
    const input = tempFile(
      "one.json",
      JSON.stringify([
        { agent: "小李", period: "2026-03", metrics: { 咨询转化率: "12%", 首次响应时间: 30 } },
      ]),
    );
    const scheme = tempFile(
      "s.yaml",
      "name: s\nroles:\n  presales:\n    items:\n      - { metric: conversion_rate, target: 15%, weight: 60 }\n      - { metric: first_response_time, target: 30s, weight: 40 }\n",
    );
    const { stdout } = await kpi("score", "--scheme", scheme, "--input", input, "--explain");
    expect(stdout).toContain("→ 咨询转化率 12%→12.5%，可从 C 升到 B");
  });

  it("explains bad input and exits 2, printing nothing on stdout", async () => {
    const badScheme = await kpi("score", "--scheme", "nosuch", "--input", "examples/seed-example.csv");
    expect(badScheme).toMatchObject({ code: 2, stdout: "" });
    expect(badScheme.stderr).toContain('"nosuch" is neither a built-in scheme');
    const badPeriod = await kpi(
      "score",
      "--scheme",
      "seed-example",
      "--input",
      "examples/seed-example.csv",
      "--period",
      "2026-13",
    );
    expect(badPeriod.stderr).toContain('--period: "2026-13" is not a period');
    const badFormat = await kpi("score", "--input", "examples/seed-example.csv", "--format", "xml");
    expect(badFormat.stderr).toContain('--format: "xml" is not one of table, json');
    const unknownOption = await kpi("score", "--inptu", "x");
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("--inptu");
    const noFile = await kpi("score", "--input", "/nonexistent.csv");
    expect(noFile.stderr).toContain('--input: file "/nonexistent.csv" does not exist');
    const unknownCommand = await kpi("scroe");
    expect(unknownCommand).toMatchObject({ code: 2 });
  });
});

function percentOf(num: number, den: number): number {
  return Number(((num / den) * 100).toPrecision(12));
}
