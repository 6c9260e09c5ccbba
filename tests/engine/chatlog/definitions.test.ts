import { describe, expect, it } from "vitest";
import { analyze, day, msg, pairs } from "./helpers.ts";

/** Seed 004's examples, each an agent's day of its own. */
const seed004 = [
  // 小张: waits 30, 120, 180 s → ART 110 s [004]; an auto-reply that must not count
  msg("2026-11-11 10:00:00", "s1", "c1", "", "customer", "message", "", "在吗"),
  msg("2026-11-11 10:00:01", "s1", "c1", "", "auto", "message", "", "您好，欢迎光临"),
  msg("2026-11-11 10:00:30", "s1", "c1", "小张", "agent", "message", "", "亲，在的"),
  msg("2026-11-11 10:01:00", "s1", "c1", "小张", "customer", "message", "", "这个有货吗"),
  msg("2026-11-11 10:03:00", "s1", "c1", "小张", "agent", "message", "", "有的哦"),
  msg("2026-11-11 10:04:00", "s1", "c1", "小张", "customer", "message", "", "好的"),
  msg("2026-11-11 10:07:00", "s1", "c1", "小张", "agent", "message", "", "感谢支持"),
  msg("2026-11-11 10:08:00", "s1", "c1", "小张", "system", "close"),
  // 小李: first replies after 10 s and 45 s → 30 s rate 1 of 2 [004]
  msg("2026-11-11 11:00:00", "s2", "c2", "小李", "customer"),
  msg("2026-11-11 11:00:10", "s2", "c2", "小李", "agent"),
  msg("2026-11-11 11:05:00", "s3", "c3", "小李", "customer"),
  msg("2026-11-11 11:05:45", "s3", "c3", "小李", "agent"),
  // 小王: one consultation answered, one never → reply rate 1 of 2 [004]
  msg("2026-11-11 12:00:00", "s4", "c4", "小王", "customer"),
  msg("2026-11-11 12:00:20", "s4", "c4", "小王", "agent"),
  msg("2026-11-11 12:10:00", "s5", "c5", "小王", "customer"),
  msg("2026-11-11 12:20:00", "s5", "c5", "小王", "system", "close"),
];

describe("response metrics by seed 004's definitions", () => {
  const result = analyze(seed004);

  it("averages the waits 30, 120 and 180 s into an ART of 110 s, not counting the auto-reply", () => {
    expect(
      pairs(
        day(result, "小张", "2026-11-11"),
        "avg_response_time",
        "first_response_time",
        "response_30s_rate",
        "qa_ratio",
      ),
    ).toEqual({
      avg_response_time: "330/3",
      first_response_time: "30/1",
      response_30s_rate: "1/1",
      qa_ratio: "3/3",
    });
  });

  it("gives a 30 s response rate of 1 of 2", () => {
    expect(
      pairs(day(result, "小李", "2026-11-11"), "response_30s_rate", "first_response_time", "reply_rate"),
    ).toEqual({
      response_30s_rate: "1/2",
      first_response_time: "55/2",
      reply_rate: "2/2",
    });
  });

  it("gives a reply rate of 1 of 2, the unanswered consultation late and a long wait", () => {
    expect(
      pairs(
        day(result, "小王", "2026-11-11"),
        "reply_rate",
        "response_30s_rate",
        "first_response_time",
        "avg_response_time",
        "long_wait_count",
      ),
    ).toEqual({
      reply_rate: "1/2",
      response_30s_rate: "1/2",
      first_response_time: "20/1",
      avg_response_time: "20/1",
      long_wait_count: "1/1",
    });
    expect(result.facts.filter((f) => f.kind === "long_wait")).toEqual([
      {
        kind: "long_wait",
        shop: "店A",
        agent: "小王",
        session: "s5",
        customer: "c5",
        at: "2026-11-11T12:10:00.000+08:00",
        waitSeconds: 600,
        endedBy: "close",
      },
    ]);
  });

  it("gives the same figures whatever the order of the lines and however the file is cut into reads", () => {
    const reversed = analyze([...seed004].reverse(), {}, {}, 7);
    expect(reversed.agentDays).toEqual(result.agentDays);
    const shuffled = analyze(
      [
        seed004[3]!,
        seed004[0]!,
        ...seed004.slice(8),
        seed004[6]!,
        seed004[1]!,
        seed004[2]!,
        seed004[5]!,
        seed004[4]!,
        seed004[7]!,
      ],
      {},
      {},
      13,
    );
    expect(shuffled.agentDays).toEqual(result.agentDays);
  });
});

describe("transfers", () => {
  const lines = [
    // 小张 → 小李 while the customer's 14:01 question waits: 小李 owns it from 14:01:30
    msg("2026-11-12 14:00:00", "s6", "c6", "小张", "customer"),
    msg("2026-11-12 14:00:20", "s6", "c6", "小张", "agent"),
    msg("2026-11-12 14:01:00", "s6", "c6", "小张", "customer", "message", "", "能便宜点吗"),
    msg("2026-11-12 14:01:30", "s6", "c6", "小张", "system", "transfer", "小李"),
    msg("2026-11-12 14:02:10", "s6", "c6", "小李", "agent"),
    msg("2026-11-12 14:03:00", "s6", "c6", "小李", "customer"),
    msg("2026-11-12 14:03:20", "s6", "c6", "小李", "agent"),
    msg("2026-11-12 14:05:00", "s6", "c6", "小李", "system", "close"),
    // 小李 → 小张 with nothing waiting
    msg("2026-11-12 15:00:00", "s7", "c7", "小李", "customer"),
    msg("2026-11-12 15:00:05", "s7", "c7", "小李", "agent"),
    msg("2026-11-12 15:00:30", "s7", "c7", "小李", "agent", "transfer", "小张"),
    msg("2026-11-12 15:01:00", "s7", "c7", "小张", "customer"),
    msg("2026-11-12 15:01:10", "s7", "c7", "小张", "agent"),
  ];
  const result = analyze(lines);

  it("leaves a transferred-out segment out of its agent's response metrics, counting it as a transfer", () => {
    expect(
      pairs(
        day(result, "小张", "2026-11-12"),
        "receptions",
        "transfer_rate",
        "first_response_time",
        "response_30s_rate",
        "avg_response_time",
        "reply_rate",
        "qa_ratio",
      ),
    ).toEqual({
      receptions: "2/1",
      transfer_rate: "1/2",
      first_response_time: "10/1",
      response_30s_rate: "1/1",
      avg_response_time: "10/1",
      reply_rate: "1/1",
      qa_ratio: "1/1",
    });
  });

  it("counts a transferred-in segment for the receiver from the transfer time", () => {
    // carried run 14:01:30 → 14:02:10 = 40 s; then 14:03:00 → 14:03:20 = 20 s; one customer message in his span
    expect(
      pairs(
        day(result, "小李", "2026-11-12"),
        "receptions",
        "transfer_rate",
        "first_response_time",
        "response_30s_rate",
        "avg_response_time",
        "qa_ratio",
      ),
    ).toEqual({
      receptions: "2/1",
      transfer_rate: "1/2",
      first_response_time: "40/1",
      response_30s_rate: "0/1",
      avg_response_time: "60/2",
      qa_ratio: "2/1",
    });
  });
});

describe("leave messages, midnight and day boundaries", () => {
  const lines = [
    // a left message at 02:00, answered at 09:05 by 小王
    msg("2026-11-13 02:00:00", "s8", "c8", "", "customer", "leave_message", "", "明天发货吗"),
    msg("2026-11-13 09:05:00", "s8", "c8", "小王", "agent"),
    msg("2026-11-13 09:06:00", "s8", "c8", "小王", "customer"),
    msg("2026-11-13 09:06:30", "s8", "c8", "小王", "agent"),
    // a session crossing midnight counts on the day it began
    msg("2026-11-14 23:59:00", "s9", "c9", "小张", "customer"),
    msg("2026-11-15 00:00:20", "s9", "c9", "小张", "agent"),
    msg("2026-11-15 00:10:00", "s9", "c9", "小张", "customer"),
    msg("2026-11-15 00:10:10", "s9", "c9", "小张", "agent"),
    // the last second of a day, the first of the next, and the same instant written in UTC
    msg("2026-11-15 23:59:59", "s10", "c10", "小李", "customer"),
    msg("2026-11-16 00:00:09", "s10", "c10", "小李", "agent"),
    msg("2026-11-16 00:00:00", "s11", "c11", "小李", "customer"),
    msg("2026-11-16 00:00:05", "s11", "c11", "小李", "agent"),
    "2026-11-15T16:00:00Z,s12,店A,c12,小李,customer,message,,",
    "2026-11-15T16:00:07.500Z,s12,店A,c12,小李,agent,message,,",
  ];
  const result = analyze(lines);

  it("counts a leave-message session for receptions and the left-message reply rate, not for response metrics", () => {
    const v = day(result, "小王", "2026-11-13");
    expect(pairs(v, "receptions", "leave_message_reply_rate")).toEqual({
      receptions: "1/1",
      leave_message_reply_rate: "1/1",
    });
    expect(v.first_response_time).toBeUndefined();
    expect(v.response_30s_rate).toBeUndefined();
    expect(v.qa_ratio).toBeUndefined();
  });

  it("counts a session crossing midnight on the day of its first customer message", () => {
    expect(pairs(day(result, "小张", "2026-11-14"), "first_response_time", "avg_response_time")).toEqual({
      first_response_time: "80/1",
      avg_response_time: "90/2",
    });
    expect(result.agentDays.some((r) => r.agent === "小张" && r.day === "2026-11-15")).toBe(false);
  });

  it("puts 23:59:59 on its day and 00:00:00 (also as 16:00 UTC) on the next, in Asia/Shanghai", () => {
    expect(pairs(day(result, "小李", "2026-11-15"), "first_response_time")).toEqual({
      first_response_time: "10/1",
    });
    expect(pairs(day(result, "小李", "2026-11-16"), "first_response_time", "receptions")).toEqual({
      first_response_time: "12.5/2",
      receptions: "2/1",
    });
  });

  it("uses the shop's time zone when told another", () => {
    const utc = analyze(lines.slice(8), { timeZone: "UTC" });
    expect(utc.agentDays.map((r) => r.day)).toEqual(["2026-11-15"]);
  });
});

describe("long waits, concurrency, script", () => {
  const lines = [
    msg("2026-11-17 09:00:00", "a", "c1", "小张", "customer"),
    msg("2026-11-17 09:06:00", "a", "c1", "小张", "agent", "message", "", "不知道呢，亲自己看看"),
    msg("2026-11-17 09:02:00", "b", "c2", "小张", "customer"),
    msg("2026-11-17 09:02:30", "b", "c2", "小张", "agent"),
    msg("2026-11-17 09:05:20", "b", "c2", "小张", "agent", "message", "", "还有其他问题吗？"),
    msg("2026-11-17 09:05:00", "c", "c3", "小张", "customer"),
    msg("2026-11-17 09:05:10", "c", "c3", "小张", "agent"),
    msg("2026-11-17 09:30:00", "c", "c3", "小张", "customer", "message", "", "还在吗"),
    msg("2026-11-17 09:40:00", "d", "c4", "小李", "customer"),
  ];
  const result = analyze(lines);

  it("counts answers after more than 300 s and runs unanswered at the end of the data as long waits", () => {
    expect(pairs(day(result, "小张", "2026-11-17"), "long_wait_count")).toEqual({ long_wait_count: "2/1" });
    const waits = result.facts.filter((f) => f.kind === "long_wait");
    expect(waits).toEqual([
      expect.objectContaining({ session: "a", agent: "小张", waitSeconds: 360, endedBy: "reply" }),
      expect.objectContaining({
        session: "c",
        agent: "小张",
        at: "2026-11-17T09:30:00.000+08:00",
        waitSeconds: 600,
        endedBy: "end-of-data",
      }),
      expect.objectContaining({ session: "d", agent: "小李", waitSeconds: 0, endedBy: "end-of-data" }),
    ]);
  });

  it("finds the most sessions an agent had open at once", () => {
    // a 09:00–09:06, b 09:02–09:05:20, c 09:05–09:30: three open at 09:05
    expect(pairs(day(result, "小张", "2026-11-17"), "concurrent_sessions")).toEqual({
      concurrent_sessions: "3/1",
    });
  });

  it("flags forbidden phrases with the session, and counts clean segments", () => {
    expect(pairs(day(result, "小张", "2026-11-17"), "script_compliance")).toEqual({
      script_compliance: "2/3",
    });
    expect(result.facts.filter((f) => f.kind === "forbidden_phrase")).toEqual([
      {
        kind: "forbidden_phrase",
        shop: "店A",
        agent: "小张",
        session: "a",
        customer: "c1",
        at: "2026-11-17T09:06:00.000+08:00",
        phrase: "不知道",
        sentence: "不知道呢，亲自己看看",
        origin: "documents",
      },
    ]);
    const custom = analyze(lines, { forbiddenPhrases: ["亲"] });
    expect(pairs(day(custom, "小张", "2026-11-17"), "script_compliance")).toEqual({
      script_compliance: "2/3",
    });
    expect(custom.facts.find((f) => f.kind === "forbidden_phrase")).toMatchObject({
      phrase: "亲",
      origin: "shop",
    });
  });
});
