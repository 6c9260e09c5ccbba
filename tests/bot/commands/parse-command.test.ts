import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../src/bot/commands/parse-command.ts";

const command = (text: string) => {
  const parsed = parseCommand(text);
  if (!parsed.ok) throw new Error(`expected a command from "${text}", got ${JSON.stringify(parsed.usage)}`);
  return parsed.command;
};
const usage = (text: string) => {
  const parsed = parseCommand(text);
  if (parsed.ok) throw new Error(`expected a usage problem from "${text}"`);
  return parsed.usage;
};

describe("reading /kpi commands", () => {
  it("reads `me` for today when no period is given, in English and Chinese", () => {
    expect(command("me")).toEqual({ name: "me", period: { word: "month" } });
    expect(command("我")).toEqual({ name: "me", period: { word: "month" } });
    expect(command("  ME  ")).toEqual({ name: "me", period: { word: "month" } });
    expect(command("me today")).toEqual({ name: "me", period: { word: "today" } });
  });

  it("reads every period: words, Chinese words, a day and a month", () => {
    expect(command("me yesterday")).toEqual({ name: "me", period: { word: "yesterday" } });
    expect(command("团队 上周")).toEqual({ name: "team", period: { word: "last-week" } });
    expect(command("排行\u3000本月")).toEqual({ name: "top", period: { word: "month" } });
    expect(command("me last-month")).toEqual({ name: "me", period: { word: "last-month" } });
    expect(command("me 2026-11-11")).toEqual({ name: "me", period: { key: "2026-11-11" } });
    expect(command("team 2026-11")).toEqual({ name: "team", period: { key: "2026-11" } });
  });

  it("reads `agent` with a mention or a name, and a period", () => {
    expect(command("agent <@U0123|xiaozhang> week")).toEqual({
      name: "agent",
      agent: { userId: "U0123" },
      period: { word: "week" },
    });
    expect(command("客服 小张")).toEqual({
      name: "agent",
      agent: { name: "小张" },
      period: { word: "month" },
    });
  });

  it("reads explain, targets, help, link and done with its outcome and note", () => {
    expect(command("explain first response time")).toEqual({
      name: "explain",
      metric: "first response time",
    });
    expect(command("explain first response time 上月")).toEqual({
      name: "explain",
      metric: "first response time",
      period: { word: "last-month" },
    });
    expect(command("解释 FRT 2026-11")).toEqual({
      name: "explain",
      metric: "FRT",
      period: { key: "2026-11" },
    });
    // One word is always the metric, even one that reads as a period.
    expect(command("explain today")).toEqual({ name: "explain", metric: "today" });
    expect(command("目标")).toEqual({ name: "targets" });
    expect(command("帮助")).toEqual({ name: "help" });
    expect(command("link 旗舰店:小张")).toEqual({ name: "link", account: "旗舰店:小张" });
    expect(command("done F12 recovered 顾客已追评")).toEqual({
      name: "done",
      id: "F12",
      outcome: "recovered",
      note: "顾客已追评",
    });
    expect(command("完成 F12 联系不上")).toEqual({ name: "done", id: "F12", outcome: "unreachable" });
  });

  it("reads `done <id> reviewed` for a low rating whose cause was reviewed, in English and Chinese", () => {
    expect(command("done 31 reviewed 话术不当，已培训")).toEqual({
      name: "done",
      id: "31",
      outcome: "reviewed",
      note: "话术不当，已培训",
    });
    expect(command("完成 31 已复盘")).toEqual({ name: "done", id: "31", outcome: "reviewed" });
    expect(usage("done 31")).toEqual({
      problem: "missing-argument",
      command: "done",
      argument: "contacted|recovered|unreachable|reviewed",
    });
  });

  it("names what is wrong with a bad command instead of guessing", () => {
    expect(usage("")).toEqual({ problem: "empty" });
    expect(usage("mee")).toEqual({ problem: "unknown-command", word: "mee" });
    expect(usage("me tomorrow")).toEqual({ problem: "bad-period", command: "me", word: "tomorrow" });
    expect(usage("me 2026-02-30")).toEqual({ problem: "bad-period", command: "me", word: "2026-02-30" });
    expect(usage("me 2026-13")).toEqual({ problem: "bad-period", command: "me", word: "2026-13" });
    expect(usage("me week please")).toEqual({ problem: "extra-words", command: "me", words: "please" });
    expect(usage("agent")).toEqual({ problem: "missing-argument", command: "agent", argument: "name|@user" });
    expect(usage("done F12 maybe")).toEqual({ problem: "bad-outcome", command: "done", word: "maybe" });
    expect(usage("help me")).toEqual({ problem: "extra-words", command: "help", words: "me" });
  });
});
