import { describe, expect, it } from "vitest";
import { InvalidInput } from "../../../src/engine/index.ts";
import { analyze, day, msg, pairs } from "./helpers.ts";

describe("jd profile", () => {
  it("leaves sessions started 23:00–09:00 out of the 30 s rate and ART, not out of FRT", () => {
    const lines = [
      msg("2026-11-20 23:30:00", "n1", "c1", "小张", "customer"),
      msg("2026-11-20 23:30:40", "n1", "c1", "小张", "agent"),
      msg("2026-11-20 23:31:00", "n1", "c1", "小张", "customer"),
      msg("2026-11-20 23:31:10", "n1", "c1", "小张", "agent"),
      msg("2026-11-20 10:00:00", "d1", "c2", "小张", "customer"),
      msg("2026-11-20 10:00:20", "d1", "c2", "小张", "agent"),
    ];
    const metrics = ["first_response_time", "reply_rate", "response_30s_rate", "avg_response_time"];
    expect(pairs(day(analyze(lines, { profile: "jd" }), "小张", "2026-11-20"), ...metrics)).toEqual({
      first_response_time: "60/2",
      reply_rate: "2/2",
      response_30s_rate: "1/1",
      avg_response_time: "20/1",
    });
    expect(pairs(day(analyze(lines), "小张", "2026-11-20"), ...metrics)).toEqual({
      first_response_time: "60/2",
      reply_rate: "2/2",
      response_30s_rate: "1/2",
      avg_response_time: "70/3",
    });
  });

  const reconsult = [
    msg("2026-11-21 10:00:00", "a", "c1", "小张", "customer"),
    msg("2026-11-21 10:00:10", "a", "c1", "小张", "agent"),
    msg("2026-11-21 10:01:00", "a", "c1", "小张", "system", "close"),
    // back within 10 minutes of the close: the same session for JD
    msg("2026-11-21 10:05:00", "b", "c1", "小张", "customer"),
    msg("2026-11-21 10:05:30", "b", "c1", "小张", "agent"),
    msg("2026-11-21 10:06:00", "b", "c1", "小张", "system", "close"),
    // 24 minutes after that close: a new consultation
    msg("2026-11-21 10:30:00", "c", "c1", "小张", "customer"),
    msg("2026-11-21 10:30:05", "c", "c1", "小张", "agent"),
  ];
  const metrics = [
    "receptions",
    "reply_rate",
    "first_response_time",
    "response_30s_rate",
    "avg_response_time",
    "resolution_rate",
  ];

  it("treats a re-consultation within 10 minutes of a close as the same session", () => {
    const jd = analyze(reconsult, { profile: "jd" });
    // consultations a(+b) and c: FRT 10 and 5; b's wait of 30 s is one more run of a
    expect(pairs(day(jd, "小张", "2026-11-21"), ...metrics)).toEqual({
      receptions: "2/1",
      reply_rate: "2/2",
      first_response_time: "15/2",
      response_30s_rate: "2/2",
      avg_response_time: "45/3",
      resolution_rate: "1/2",
    });
    expect(jd.agentDays[0]!.provisional).toEqual(["resolution_rate"]);
  });

  it("counts three consultations under the generic profile", () => {
    expect(pairs(day(analyze(reconsult), "小张", "2026-11-21"), ...metrics)).toEqual({
      receptions: "3/1",
      reply_rate: "3/3",
      first_response_time: "45/3",
      response_30s_rate: "3/3",
      avg_response_time: "45/3",
      resolution_rate: "1/3",
    });
  });

  it("counts left messages for the left-message reply rate only", () => {
    const lines = [
      msg("2026-11-22 03:00:00", "l1", "c1", "", "customer", "leave_message"),
      msg("2026-11-22 09:01:00", "l1", "c1", "小王", "agent"),
      msg("2026-11-22 04:00:00", "l2", "c2", "", "customer", "leave_message"),
      msg("2026-11-22 09:30:00", "l2", "c2", "小王", "system", "close"),
      msg("2026-11-22 10:00:00", "n", "c3", "小王", "customer"),
      msg("2026-11-22 10:00:09", "n", "c3", "小王", "agent"),
    ];
    const jd = day(analyze(lines, { profile: "jd" }), "小王", "2026-11-22");
    expect(pairs(jd, "leave_message_reply_rate", "receptions", "reply_rate")).toEqual({
      leave_message_reply_rate: "1/2",
      receptions: "1/1",
      reply_rate: "1/1",
    });
    const generic = day(analyze(lines), "小王", "2026-11-22");
    expect(pairs(generic, "leave_message_reply_rate", "receptions", "reply_rate")).toEqual({
      leave_message_reply_rate: "1/2",
      receptions: "3/1",
      reply_rate: "1/1",
    });
  });
});

describe("taobao profile", () => {
  it("rates dialogue rounds starting 08:00–24:00 answered within 3 minutes", () => {
    const lines = [
      msg("2026-11-23 07:59:00", "t", "c1", "小美", "customer"), // before 08:00: not a round
      msg("2026-11-23 07:59:30", "t", "c1", "小美", "agent"),
      msg("2026-11-23 08:00:00", "t", "c1", "小美", "customer"),
      msg("2026-11-23 08:04:00", "t", "c1", "小美", "agent"), // 240 s: late
      msg("2026-11-23 08:10:00", "t", "c1", "小美", "customer"),
      msg("2026-11-23 08:11:00", "t", "c1", "小美", "agent"), // 60 s: in time
      msg("2026-11-23 23:59:00", "u", "c2", "小美", "customer"), // 23:59, never answered: late
    ];
    expect(
      pairs(day(analyze(lines, { profile: "taobao" }), "小美", "2026-11-23"), "response_3min_rate"),
    ).toEqual({ response_3min_rate: "1/3" });
    expect(day(analyze(lines), "小美", "2026-11-23").response_3min_rate).toBeUndefined();
  });
});

describe("pdd profile", () => {
  it("counts each customer once a day, effective only if every run 08:00–23:00 was answered within 1 h", () => {
    const lines = [
      // c1: one run answered in 10 min, one after 70 min → not effective
      msg("2026-11-24 09:00:00", "p1", "c1", "小丽", "customer"),
      msg("2026-11-24 09:10:00", "p1", "c1", "小丽", "agent"),
      msg("2026-11-24 10:00:00", "p1", "c1", "小丽", "customer"),
      msg("2026-11-24 11:10:00", "p1", "c1", "小丽", "agent"),
      // c2: two sessions, both answered within the hour → effective, counted once
      msg("2026-11-24 12:00:00", "p2", "c2", "小丽", "customer"),
      msg("2026-11-24 12:00:30", "p2", "c2", "小丽", "agent"),
      msg("2026-11-24 22:59:00", "p3", "c2", "小丽", "customer"),
      msg("2026-11-24 23:30:00", "p3", "c2", "小丽", "agent"),
      // c3: only after 23:00 → not counted
      msg("2026-11-24 23:30:00", "p4", "c3", "小丽", "customer"),
      msg("2026-11-25 01:30:00", "p4", "c3", "小丽", "agent"),
    ];
    expect(
      pairs(day(analyze(lines, { profile: "pdd" }), "小丽", "2026-11-24"), "effective_reply_rate"),
    ).toEqual({ effective_reply_rate: "1/2" });
  });
});

describe("choosing profiles", () => {
  it("applies a profile per shop", () => {
    const lines = [
      msg("2026-11-20 23:30:00", "n1", "c1", "小张", "customer", "message", "", "", "京东店"),
      msg("2026-11-20 23:30:40", "n1", "c1", "小张", "agent", "message", "", "", "京东店"),
      msg("2026-11-20 23:30:00", "n2", "c1", "小张", "customer", "message", "", "", "天猫店"),
      msg("2026-11-20 23:30:40", "n2", "c1", "小张", "agent", "message", "", "", "天猫店"),
    ];
    const result = analyze(lines, { shopProfiles: { 京东店: "jd" } });
    expect(day(result, "小张", "2026-11-20", "京东店").response_30s_rate).toBeUndefined();
    expect(pairs(day(result, "小张", "2026-11-20", "天猫店"), "response_30s_rate")).toEqual({
      response_30s_rate: "0/1",
    });
  });

  it("refuses an unknown profile or time zone", () => {
    expect(() => analyze([], { profile: "douyin" })).toThrow(InvalidInput);
    expect(() => analyze([], { timeZone: "Mars/Olympus" })).toThrow(/not a time zone/);
  });
});
