import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { HEADER, msg } from "../engine/chatlog/helpers.ts";

async function kpi(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: (t) => out.push(`${t}\n`), stderr: (t) => err.push(`${t}\n`) });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

const dir = mkdtempSync(join(tmpdir(), "kpi-metrics-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
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

  it("leaves a transfer the customer asked for out of 转接率, and a transferred session out of resolution (seed 000)", async () => {
    // 小张 serves three sessions: t1 the customer asks for a supervisor (customer_request),
    // t2 小张 passes to 小王 himself, t3 he finishes. By hand: 转接率 1/3 (not 2/3); t1 and t2
    // are resolved for no one, so 小张 1/1 (t3), 小李 0/1 and 小王 0/1.
    const at = (t: string) => `2026-11-17T${t}+08:00`;
    const log = file("transfers.csv", [
      "ts,session,shop,customer,agent,from,event,to_agent,transfer_reason,text",
      `${at("10:00:00")},t1,店A,c1,小张,customer,message,,,我的快递一直没到`,
      `${at("10:00:20")},t1,店A,c1,小张,agent,message,,,亲，我帮您查一下物流`,
      `${at("10:01:00")},t1,店A,c1,小张,customer,message,,,我要找你们主管`,
      `${at("10:01:30")},t1,店A,c1,小张,system,transfer,小李,customer_request,`,
      `${at("10:02:00")},t1,店A,c1,小李,agent,message,,,您好，我是主管小李`,
      `${at("10:10:00")},t2,店A,c2,小张,customer,message,,,这个耳机支持降噪吗`,
      `${at("10:10:10")},t2,店A,c2,小张,agent,message,,,我请技术同事为您解答`,
      `${at("10:11:00")},t2,店A,c2,小张,system,transfer,小王,,`,
      `${at("10:11:30")},t2,店A,c2,小王,agent,message,,,支持主动降噪`,
      `${at("10:20:00")},t3,店A,c3,小张,customer,message,,,今天能发货吗`,
      `${at("10:20:05")},t3,店A,c3,小张,agent,message,,,今天下午四点前发出`,
    ]);
    const { code, stdout } = await kpi("metrics", "--messages", log, "--format", "json");
    expect(code).toBe(0);
    const days = JSON.parse(stdout).agentDays as {
      agent: string;
      values: Record<string, { num: number; den: number }>;
    }[];
    const of = (agent: string) => days.find((d) => d.agent === agent)!.values;
    expect(of("小张").transfer_rate).toEqual({ num: 1, den: 3 });
    expect(of("小张").resolution_rate).toEqual({ num: 1, den: 1 });
    expect(of("小李").resolution_rate).toEqual({ num: 0, den: 1 });
    expect(of("小王").resolution_rate).toEqual({ num: 0, den: 1 });
  });
});
