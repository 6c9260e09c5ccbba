import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ByteInterner,
  PhraseMatcher,
  parseTimestamp,
  TimestampParser,
} from "../../../src/engine/chatlog/bytes.ts";
import { CsvScanner, fieldText } from "../../../src/engine/chatlog/csv.ts";
import { ChatlogAnalyzer } from "../../../src/engine/index.ts";
import { analyze, feed, HEADER, msg } from "./helpers.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const ts = (text: string) => parseTimestamp(bytes(text), 0, bytes(text).length);

describe("timestamps", () => {
  it("reads ISO-8601 with an offset, with T or a space, with or without milliseconds", () => {
    const expected = Date.parse("2026-11-11T01:00:01.250Z");
    for (const text of [
      "2026-11-11T09:00:01.250+08:00",
      "2026-11-11 09:00:01.250+08:00",
      "2026-11-11T01:00:01.250Z",
      "2026-11-11T09:00:01.250+0800",
      "2026-11-11T09:00:01.2500+08",
    ]) {
      expect(ts(text), text).toBe(expected);
    }
    expect(ts("2026-11-11T09:00:01-05:30")).toBe(Date.parse("2026-11-11T09:00:01-05:30"));
    expect(ts("2024-02-29T00:00:00Z")).toBe(Date.parse("2024-02-29T00:00:00Z"));
  });

  it("refuses times without an offset and impossible dates", () => {
    for (const text of [
      "2026-11-11T09:00:01",
      "2026-11-11",
      "2026-02-29T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-11-11T24:00:00Z",
      "2026-11-11T09:00:01+25:00",
      "2026-11-11T09:00:01.+08:00",
      "20261111T090001+0800",
    ]) {
      expect(ts(text), text).toBeNaN();
    }
  });

  it("the cached parser agrees with the plain one on any time", () => {
    const parser = new TimestampParser();
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse("2000-01-01"), max: Date.parse("2040-01-01") }),
        fc.constantFrom("+08:00", "Z", "-05:00", "+0530"),
        (ms, zone) => {
          const minutes =
            zone === "Z"
              ? 0
              : (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
          const text = new Date(ms + minutes * 60_000).toISOString().replace("Z", zone);
          const b = bytes(text);
          expect(parser.parse(b, 0, b.length)).toBe(ms);
          expect(parseTimestamp(b, 0, b.length)).toBe(ms);
        },
      ),
    );
  });
});

describe("byte helpers", () => {
  it("interns the empty string once (an empty shop column)", () => {
    const interner = new ByteInterner();
    const empty = new Uint8Array(0);
    expect([
      interner.intern(empty, 0, 0),
      interner.intern(bytes("x"), 0, 1),
      interner.intern(empty, 0, 0),
    ]).toEqual([0, 1, 0]);
    const lines = [
      msg("2026-11-11 10:00:00", "s1", "c1", "小张", "customer", "message", "", "", ""),
      msg("2026-11-11 10:00:09", "s1", "c1", "小张", "agent", "message", "", "", ""),
      msg("2026-11-11 11:00:00", "s2", "c2", "小张", "customer", "message", "", "", ""),
      msg("2026-11-11 11:00:05", "s2", "c2", "小张", "agent", "message", "", "", ""),
    ];
    const result = analyze(lines);
    expect(result.agentDays).toHaveLength(1);
    expect(result.agentDays[0]).toMatchObject({
      shop: "",
      values: { receptions: { num: 2, den: 1 }, first_response_time: { num: 14, den: 2 } },
    });
  });

  it("interns byte strings to dense ids, across table growth", () => {
    const interner = new ByteInterner();
    const ids = Array.from({ length: 5000 }, (_, i) => interner.internString(`会话-${i}`));
    expect(ids).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(interner.internString("会话-4321")).toBe(4321);
    expect(interner.name(4321)).toBe("会话-4321");
    expect(interner.find(bytes("nope"), 0, 4)).toBe(-1);
  });

  it("finds forbidden phrases anywhere in UTF-8 text", () => {
    const m = new PhraseMatcher(["不知道", "随便你", "绝对正品"]);
    const has = (text: string) => m.contains(bytes(text), 0, bytes(text).length);
    expect(has("亲，我也不知道呢")).toBe(true);
    expect(has("随便你吧")).toBe(true);
    expect(has("我们是绝对正品")).toBe(true);
    expect(has("不知道")).toBe(true);
    expect(has("绝对没问题，正品保证")).toBe(false);
    expect(has("不知")).toBe(false);
    expect(new PhraseMatcher([]).contains(bytes("不知道"), 0, 9)).toBe(false);
  });

  it("finds a phrase exactly when the text holds it, whatever the phrases and the text", () => {
    const chars = ["不", "知", "道", "随", "便", "你", "绝", "对", "正", "品", "絕", "對", "a", "b", "，"];
    const text = fc.array(fc.constantFrom(...chars), { maxLength: 40 }).map((cs) => cs.join(""));
    const phrase = fc
      .array(fc.constantFrom(...chars), { minLength: 1, maxLength: 5 })
      .map((cs) => cs.join(""));
    fc.assert(
      fc.property(fc.array(phrase, { maxLength: 5 }), text, fc.nat(6), (phrases, t, cut) => {
        const b = bytes(`xx${t}yy`);
        // A range inside a larger buffer: bytes outside it must not count.
        const start = Math.min(cut, 2);
        const end = b.length - Math.min(cut, 2);
        const expected = phrases.some((p) => new TextDecoder().decode(b.subarray(start, end)).includes(p));
        expect(new PhraseMatcher(phrases).contains(b, start, end)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("CSV", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks, CRLF and blank lines, in any chunks", () => {
    const text = 'a,b,c\r\n1,"x, ""y""\nz",3\r\n\r\n4,,"6"\n7,8,9';
    for (const chunk of [1, 2, 3, 5, 8, 100]) {
      const scanner = new CsvScanner();
      const rows: string[][] = [];
      const all = bytes(text);
      let buffer = new Uint8Array(0);
      let at = 0;
      for (;;) {
        const next = all.subarray(at, at + chunk);
        at += next.length;
        const joined = new Uint8Array(buffer.length + next.length);
        joined.set(buffer);
        joined.set(next, buffer.length);
        const consumed = scanner.scan(joined, 0, joined.length, next.length === 0, (r) =>
          rows.push(Array.from({ length: r.count }, (_, k) => fieldText(r, k))),
        );
        buffer = joined.slice(consumed);
        if (next.length === 0) break;
      }
      expect(rows, `chunks of ${chunk}`).toEqual([
        ["a", "b", "c"],
        ["1", 'x, "y"\nz', "3"],
        ["4", "", "6"],
        ["7", "8", "9"],
      ]);
    }
  });

  it("reads a message file the same in chunks of any size, with a BOM, CRLF and quoted texts", () => {
    const lines = [
      msg("2026-11-11 10:00:00", "s1", "c1", "小张", "customer", "message", "", '他说"在吗",\n还没回'),
      msg("2026-11-11 10:00:30", "s1", "c1", "小张", "agent", "message", "", "不知道,亲"),
      msg("2026-11-11 10:01:00", "s1", "c1", "小张", "customer"),
      msg("2026-11-11 10:01:20", "s1", "c1", "小张", "agent"),
    ];
    const whole = analyze(lines);
    for (const chunk of [1, 3, 17, 64])
      expect(analyze(lines, {}, {}, chunk).agentDays, `chunks of ${chunk}`).toEqual(whole.agentDays);
    const crlf = new ChatlogAnalyzer();
    const reader = crlf.messagesCsv("crlf.csv");
    const text = bytes(`\uFEFF${[HEADER, ...lines].join("\r\n")}`);
    reader.push(text, 3, text.length, true);
    const result = crlf.finish();
    expect(result.problems).toEqual([]);
    expect(result.agentDays).toEqual(whole.agentDays);
    expect(whole.facts.find((f) => f.kind === "forbidden_phrase")).toMatchObject({
      session: "s1",
      phrase: "不知道",
    });
  });

  it("reads quoted texts on the documented header as it does with the columns in another order", () => {
    const lines = [
      msg("2026-11-11 10:00:00", "s1", "c1", "小张", "customer", "message", "", "在吗,亲"),
      msg("2026-11-11 10:00:30", "s1", "c1", "小张", "agent", "message", "", '他说"不知道"吧,亲'),
      msg("2026-11-11 10:01:00", "s1", "c1", "小张", "customer", "message", "", '""'),
      `${msg("2026-11-11 10:01:20", "s1", "c1", "小张", "agent", "message", "", ",")}\r`,
      `${msg("2026-11-11 10:02:00", "s2", "c2", "小李", "customer")}"多行`,
      '还没回"',
      msg("2026-11-11 10:02:10", "s2", "c2", "小李", "agent", "message", "", "好的,不知道"),
      msg("2026-11-11 10:02:20", "s2", "c2", "小李", "customer", "message", "", '"坏"引号'),
      `${msg("2026-11-11 10:02:30", "s2", "c2", "小李", "agent")}"不知道"后面`,
      `${msg("2026-11-11 10:02:40", "s2", "c2", "小李", "agent")}"多一列",x`,
    ];
    const documented = analyze(lines, {}, {}, 7);
    // ts and session swapped: not the documented order, so every line takes the general reader.
    const swap = (line: string) => line.replace(/^([^,]*),([^,]*),/, "$2,$1,");
    const general = new ChatlogAnalyzer();
    const text = [swap(HEADER), ...lines.map((l) => (l.startsWith("2026") ? swap(l) : l))].join("\n");
    feed(general.messagesCsv("messages.csv"), `${text}\n`, 7);
    const other = general.finish();
    expect(documented.agentDays).toEqual(other.agentDays);
    expect(documented.facts).toEqual(other.facts);
    expect(documented.problems).toEqual(other.problems);
    expect(documented.problems).toMatchObject([
      { line: 11, reason: "expected 9 fields as in the header, found 10" },
    ]);
    expect(documented.facts.filter((f) => f.kind === "forbidden_phrase")).toHaveLength(2);
  });

  it("matches columns by name in any order, ignoring unknown ones, and says which are missing", () => {
    const reordered = [
      "note,from,text,session,customer,agent,ts",
      "x,customer,,s1,c1,小张,2026-11-11T10:00:00+08:00",
      "y,agent,,s1,c1,小张,2026-11-11T10:00:20+08:00",
    ].join("\n");
    const analyzer = new ChatlogAnalyzer();
    analyzer.messagesCsv("m.csv").push(bytes(reordered), 0, bytes(reordered).length, true);
    const result = analyzer.finish();
    expect(result.agentDays[0]).toMatchObject({
      agent: "小张",
      shop: "",
      day: "2026-11-11",
      values: { first_response_time: { num: 20, den: 1 } },
    });
    const missing = new ChatlogAnalyzer();
    missing.messagesCsv("m.csv").push(bytes("ts,session,from\n"), 0, 15, true);
    expect(missing.finish().problems[0]!.reason).toBe(
      "the header lacks customer (columns: ts,session,shop,customer,agent,from,event,to_agent,transfer_reason,text)",
    );
  });
});

describe("JSON Lines", () => {
  it("reads lines as bytes in any chunks, with escapes, extra keys and numbers taken by JSON.parse", () => {
    const rows = [
      '{"ts":"2026-11-11T10:00:00+08:00","session":"s1","shop":"店A","customer":"c1","agent":"","from":"customer","event":"message","to_agent":"","text":"在吗"}',
      '{"ts":"2026-11-11T10:00:40+08:00","session":"s1","shop":"店A","customer":"c1","agent":"小张","from":"agent","text":"他说\\"不知道\\"","extra":{"a":1}}',
      "",
      '{ "ts" : "2026-11-11T10:01:00+08:00" , "session":"s1", "customer":"c1", "shop":"店A", "from":"customer", "agent": null }',
      '{"ts":"2026-11-11T10:01:20+08:00","session":"s1","shop":"店A","customer":"c1","agent":"小张","from":"agent","seq":7}',
      '{"ts":"2026-11-11T10:02:00+08:00","session":"s1"',
    ];
    const text = bytes(`${rows.join("\n")}\n`);
    const results = [1, 5, 64, 4096].map((chunk) => {
      const analyzer = new ChatlogAnalyzer();
      feed(analyzer.messagesJson("m.jsonl"), new TextDecoder().decode(text), chunk);
      return analyzer.finish();
    });
    for (const r of results) {
      expect(r.problems).toEqual([
        { file: "m.jsonl", line: 6, reason: expect.stringContaining("not valid JSON") },
      ]);
      expect(r.agentDays).toEqual(results[0]!.agentDays);
    }
    expect(results[0]!.agentDays[0]!.values).toMatchObject({
      first_response_time: { num: 40, den: 1 },
      avg_response_time: { num: 60, den: 2 },
      // 他说"不知道" quotes the customer: no forbidden phrase of the agent's.
      script_compliance: { num: 1, den: 1 },
    });
  });

  it("gives the same figures as the same lines in CSV", () => {
    const rows = [
      {
        ts: "2026-11-11T10:00:00+08:00",
        session: "s1",
        shop: "店A",
        customer: "c1",
        from: "customer",
        text: "在吗",
      },
      {
        ts: "2026-11-11T10:00:40+08:00",
        session: "s1",
        shop: "店A",
        customer: "c1",
        agent: "小张",
        from: "agent",
        event: "message",
        text: "在的",
      },
      {
        ts: "2026-11-11T10:01:00+08:00",
        session: "s1",
        shop: "店A",
        customer: "c1",
        agent: "小张",
        from: "system",
        event: "transfer",
        to_agent: "小李",
      },
      {
        ts: "2026-11-11T10:01:05+08:00",
        session: "s1",
        shop: "店A",
        customer: "c1",
        agent: "小李",
        from: "customer",
      },
      {
        ts: "2026-11-11T10:01:09+08:00",
        session: "s1",
        shop: "店A",
        customer: "c1",
        agent: "小李",
        from: "agent",
      },
    ];
    const analyzer = new ChatlogAnalyzer();
    const reader = analyzer.messagesJson("m.jsonl");
    rows.forEach((row, i) => {
      reader.line(JSON.stringify(row), i + 1);
    });
    reader.line("{not json", 6);
    const json = analyzer.finish();
    expect(json.problems).toEqual([
      { file: "m.jsonl", line: 6, reason: expect.stringContaining("not valid JSON") },
    ]);
    const csv = analyze(
      rows.map((r) =>
        msg(
          r.ts.slice(0, 19).replace("T", " "),
          r.session,
          r.customer,
          r.agent ?? "",
          r.from,
          r.event ?? "message",
          r.to_agent ?? "",
          r.text ?? "",
        ),
      ),
    );
    expect(json.agentDays).toEqual(csv.agentDays);
  });
});
