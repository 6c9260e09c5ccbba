import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { HEADER, msg } from "../engine/chatlog/helpers.ts";

async function kpi(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: (t) => out.push(`${t}\n`), stderr: (t) => err.push(`${t}\n`) });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

const dir = mkdtempSync(join(tmpdir(), "kpi-metrics-"));
const file = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
};

const messages = file("messages.csv", [
  HEADER,
  msg("2026-11-11 10:00:00", "s1", "c1", "小张", "customer"),
  msg("2026-11-11 10:00:30", "s1", "c1", "小张", "agent"),
  msg("2026-11-11 10:01:00", "s1", "c1", "小张", "customer"),
  msg("2026-11-11 10:03:00", "s1", "c1", "小张", "agent"),
  msg("2026-11-11 10:04:00", "s1", "c1", "小张", "customer"),
  msg("2026-11-11 10:07:00", "s1", "c1", "小张", "agent"),
  msg("2026-11-12 09:00:00", "s2", "c2", "小张", "customer"),
  msg("2026-11-12 09:00:20", "s2", "c2", "小张", "agent"),
]);

describe("kpi metrics", () => {
  it("prints per agent-day figures as a table", async () => {
    const { code, stdout } = await kpi("metrics", "--messages", messages);
    expect(code).toBe(0);
    expect(stdout).toMatch(/小张 \(店A\)\s*│ 2026-11-11/);
    expect(stdout).toContain("110 s"); // seed 004's ART
  });

  it("prints JSON with figures, facts and stats", async () => {
    const { stdout } = await kpi("metrics", "--messages", messages, "--format", "json");
    const result = JSON.parse(stdout);
    expect(result.agentDays[0]).toMatchObject({
      agent: "小张",
      day: "2026-11-11",
      values: { avg_response_time: { num: 330, den: 3 } },
    });
    expect(result.stats).toMatchObject({ lines: 8, consultations: 2 });
    expect(Array.isArray(result.facts)).toBe(true);
  });

  it("writes the figures file that kpi score reads, exact fractions included", async () => {
    const { stdout } = await kpi("metrics", "--messages", messages, "--format", "csv", "--only", "response");
    expect(stdout.split("\n")[0]).toBe(
      "agent,shop,date,receptions,transfer_rate,first_response_time,reply_rate,long_wait_count,response_30s_rate,avg_response_time,qa_ratio,script_compliance",
    );
    const figures = file("figures.csv", stdout.trim().split("\n"));
    const scored = await kpi(
      "score",
      "--scheme",
      "trainee",
      "--input",
      figures,
      "--period",
      "2026-11",
      "--format",
      "json",
    );
    expect(scored.stderr).toBe("");
    const [card] = JSON.parse(scored.stdout);
    // FRT over the month: (30 + 20) s ÷ 2 sessions; ART (30 + 120 + 180 + 20) ÷ 4
    expect(card.items.find((i: { metric: string }) => i.metric === "first_response_time")).toMatchObject({
      actual: 25,
    });
    expect(card.items.find((i: { metric: string }) => i.metric === "avg_response_time")).toMatchObject({
      actual: 87.5,
    });
  });

  it("counts nothing and exits 2 when a line is bad, naming the file and line", async () => {
    const bad = file("bad.csv", [
      HEADER,
      msg("2026-11-11 10:00:00", "s1", "c1", "小张", "customer"),
      "yesterday,s1,店A,c1,小张,agent,message,,",
    ]);
    const { code, stdout, stderr } = await kpi("metrics", "--messages", bad);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`1 bad line, so nothing was counted`);
    expect(stderr).toContain(`bad.csv:3: ts: "yesterday" is not an ISO-8601 time with an offset`);
  });

  it("says what is wrong with its options", async () => {
    expect((await kpi("metrics")).stderr).toContain("--messages: is required");
    expect((await kpi("metrics", "--messages", messages, "--profile", "douyin")).stderr).toContain(
      '"douyin" is not one of generic, jd, taobao, pdd',
    );
    expect((await kpi("metrics", "--messages", messages, "--window", "0")).stderr).toContain(
      '--window: "0" is not a whole number',
    );
    expect((await kpi("metrics", "--messages", messages, "--only", "gossip")).stderr).toContain(
      '"gossip" is not one of response',
    );
    expect((await kpi("metrics", "--messages", join(dir, "none.csv"))).stderr).toContain("does not exist");
  });
});
