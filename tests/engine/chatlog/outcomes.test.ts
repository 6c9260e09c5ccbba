import { describe, expect, it } from "vitest";
import { ChatlogAnalyzer } from "../../../src/engine/index.ts";
import { analyze, day, feed, HEADER, msg, pairs } from "./helpers.ts";

const consult = (t: string, session: string, customer: string, agent: string) => [
  msg(t, session, customer, agent, "customer"),
  msg(
    t.replace(/:(\d\d)$/, (_, s) => `:${String(Number(s) + 5).padStart(2, "0")}`),
    session,
    customer,
    agent,
    "agent",
  ),
];

describe("conversion with an attribution window [004]", () => {
  // A and B consult 小张 on day 1; B pays on day 2, A on day 3.
  const lines = [
    ...consult("2026-11-01 10:00:00", "sa", "A", "小张"),
    ...consult("2026-11-01 11:00:00", "sb", "B", "小张"),
  ];
  const orders = [
    "order,shop,customer,paid_at,amount,cod",
    "o1,店A,B,2026-11-02T20:00:00+08:00,199.00,",
    "o2,店A,A,2026-11-03T09:00:00+08:00,89.90,false",
  ].join("\n");

  it("gives day 1 a conversion of 1 / 2 with a 2-day window, and 2 / 2 with 3 days", () => {
    const w2 = analyze(lines, { windowDays: 2 }, { orders });
    expect(pairs(day(w2, "小张", "2026-11-01"), "conversion_rate")).toEqual({ conversion_rate: "1/2" });
    const w3 = analyze(lines, { windowDays: 3 }, { orders });
    expect(pairs(day(w3, "小张", "2026-11-01"), "conversion_rate")).toEqual({ conversion_rate: "2/2" });
  });

  it("books attributed sales on the day of payment, only within the window", () => {
    const w2 = analyze(lines, {}, { orders });
    expect(pairs(day(w2, "小张", "2026-11-02"), "sales_amount")).toEqual({ sales_amount: "199/1" });
    expect(w2.agentDays.some((r) => r.day === "2026-11-03")).toBe(false);
    const w3 = analyze(lines, { windowDays: 3 }, { orders });
    expect(pairs(day(w3, "小张", "2026-11-03"), "sales_amount")).toEqual({ sales_amount: "89.9/1" });
  });

  it("attributes a payment to the agent consulted last before paying, and counts cash on delivery at order time", () => {
    const two = [
      ...consult("2026-11-01 10:00:00", "s1", "C", "小张"),
      ...consult("2026-11-02 09:00:00", "s2", "C", "小李"),
    ];
    const cod = [
      "order,shop,customer,paid_at,amount,cod",
      "o3,店A,C,2026-11-02T15:00:00+08:00,1299,true",
    ].join("\n");
    const result = analyze(two, {}, { orders: cod });
    expect(pairs(day(result, "小张", "2026-11-01"), "conversion_rate")).toEqual({ conversion_rate: "0/1" });
    expect(pairs(day(result, "小李", "2026-11-02"), "conversion_rate", "sales_amount")).toEqual({
      conversion_rate: "1/1",
      sales_amount: "1299/1",
    });
  });

  it("keeps sums of prices exact in cents", () => {
    const many = Array.from({ length: 10 }, (_, i) => `o${i},店A,A,2026-11-01T12:00:0${i}+08:00,0.10,`);
    const result = analyze(
      lines,
      {},
      { orders: ["order,shop,customer,paid_at,amount,cod", ...many].join("\n") },
    );
    expect(day(result, "小张", "2026-11-01").sales_amount).toEqual({ num: 1, den: 1 });
  });
});

describe("one-contact resolution (72 h)", () => {
  it("resolves a session unless the customer comes back within 72 h, provisional near the end of the data", () => {
    const lines = [
      ...consult("2026-11-01 09:00:00", "x1", "c1", "小张"), // c1 back after 71 h 59 min: not resolved
      ...consult("2026-11-04 09:00:00", "x2", "c1", "小张"),
      ...consult("2026-11-01 09:00:00", "y1", "c2", "小张"), // c2 back after 73 h: resolved
      ...consult("2026-11-04 10:00:05", "y2", "c2", "小张"),
      ...consult("2026-11-10 09:00:00", "z1", "c3", "小张"), // c3 never back, 72 h passed before the end
      ...consult("2026-11-14 09:00:00", "w1", "c4", "小张"), // the end of the data: provisional
    ];
    const result = analyze(lines);
    expect(pairs(day(result, "小张", "2026-11-01"), "resolution_rate")).toEqual({ resolution_rate: "1/2" });
    expect(pairs(day(result, "小张", "2026-11-04"), "resolution_rate")).toEqual({ resolution_rate: "2/2" });
    expect(result.agentDays.find((r) => r.day === "2026-11-04")!.provisional).toEqual([]);
    expect(result.agentDays.find((r) => r.day === "2026-11-10")!.provisional).toEqual([]);
    expect(result.agentDays.find((r) => r.day === "2026-11-14")!.provisional).toEqual(["resolution_rate"]);
  });
});

describe("ratings and reviews", () => {
  const lines = [
    ...consult("2026-11-05 10:00:00", "r1", "c1", "小张"),
    ...consult("2026-11-05 11:00:00", "r2", "c2", "小张"),
  ];

  it("gives CSAT rate and mean score on the rated session's day, and a fact for every rating below 4", () => {
    const ratings = [
      "session,agent,score,at",
      "r1,,5,2026-11-06T08:00:00+08:00",
      "r2,,3,2026-11-05T11:30:00+08:00",
    ].join("\n");
    const result = analyze(lines, {}, { ratings });
    expect(pairs(day(result, "小张", "2026-11-05"), "csat_rate", "csat_score", "review_rate")).toEqual({
      csat_rate: "1/2",
      csat_score: "8/2",
      review_rate: "2/2",
    });
    expect(result.facts.filter((f) => f.kind === "low_rating")).toEqual([
      {
        kind: "low_rating",
        shop: "店A",
        agent: "小张",
        session: "r2",
        score: 3,
        at: "2026-11-05T11:30:00.000+08:00",
      },
    ]);
  });

  it("attributes a review without an agent to the one who last served the customer before the order", () => {
    const orders = ["order,shop,customer,paid_at,amount,cod", "o1,店A,c2,2026-11-05T12:00:00+08:00,59,"].join(
      "\n",
    );
    const reviews = [
      "order,customer,agent,rating,at,text",
      'o1,c2,,bad,2026-11-08T20:00:00+08:00,"质量太差, 不会再买"',
      "o9,c1,小李,good,2026-11-08T21:00:00+08:00,",
    ].join("\n");
    const result = analyze(lines, {}, { orders, reviews });
    expect(pairs(day(result, "小张", "2026-11-08"), "bad_review_rate")).toEqual({ bad_review_rate: "1/1" });
    expect(pairs(day(result, "小李", "2026-11-08"), "bad_review_rate")).toEqual({ bad_review_rate: "0/1" });
    expect(result.facts.filter((f) => f.kind === "bad_review")).toEqual([
      {
        kind: "bad_review",
        shop: "店A",
        agent: "小张",
        order: "o1",
        customer: "c2",
        at: "2026-11-08T20:00:00.000+08:00",
        text: "质量太差, 不会再买",
        followUpBy: "2026-11-09T20:00:00.000+08:00",
      },
    ]);
  });
});

describe("bad records", () => {
  it("reports every bad line with its file, line and reason, and counts nothing of them", () => {
    const lines = [
      msg("2026-11-05 10:00:00", "ok", "c1", "小张", "customer"),
      "2026-11-05 25:00:00+08:00,b1,店A,c1,小张,customer,message,,",
      "2026-11-05T10:00:00,b2,店A,c1,小张,customer,message,,",
      msg("2026-11-05 10:00:00", "b3", "c1", "小张", "bot"),
      msg("2026-11-05 10:00:00", "b4", "c1", "小张", "agent", "transfer"),
      msg("2026-11-05 10:00:00", "b5", "c1", "小张", "customer", "reopen"),
      "2026-11-05T10:00:00+08:00,b6,店A,c1",
      msg("2026-11-05 10:00:00", "", "c1", "小张", "customer"),
    ];
    const orders = [
      "order,shop,customer,paid_at,amount,cod",
      "o1,店A,c1,2026-11-05T12:00:00+08:00,-5,",
      "o2,店A,c1,yesterday,5,",
      "o3,店A,c1,2026-11-05T12:00:00+08:00,5,maybe",
    ].join("\n");
    const ratings = [
      "session,agent,score,at",
      "ok,,7,2026-11-05T12:00:00+08:00",
      "ghost,,5,2026-11-05T12:00:00+08:00",
    ].join("\n");
    const result = analyze(lines, {}, { orders, ratings });
    expect(result.problems.map((p) => `${p.file}:${p.line}: ${p.reason}`)).toEqual([
      'messages.csv:3: ts: "2026-11-05 25:00:00+08:00" is not an ISO-8601 time with an offset',
      'messages.csv:4: ts: "2026-11-05T10:00:00" is not an ISO-8601 time with an offset',
      'messages.csv:5: from: "bot" is not one of customer, agent, auto, system',
      "messages.csv:6: a transfer needs to_agent",
      'messages.csv:7: event: "reopen" is not one of message, transfer, leave_message, close',
      "messages.csv:8: expected 9 fields as in the header, found 4",
      "messages.csv:9: session is empty",
      "orders.csv:2: amount: -5 is negative; refunds are not orders",
      'orders.csv:3: paid_at: "yesterday" is not an ISO-8601 time with an offset',
      'orders.csv:4: cod: "maybe" is not true or false',
      'ratings.csv:2: score: "7" is not a whole number from 1 to 5',
      "ratings.csv:3: session ghost is not in the messages and the rating names no agent",
    ]);
    expect(result.problemCount).toBe(12);
  });

  it("says when a session's lines come back after the session was complete", () => {
    const lines = [
      msg("2026-11-05 10:00:00", "s", "c1", "小张", "customer"),
      ...Array.from({ length: 5 }, (_, i) => msg("2026-11-05 10:00:01", `x${i}`, "c", "小李", "customer")),
      msg("2026-11-05 10:00:09", "s", "c1", "小张", "agent"),
    ];
    const analyzer = new ChatlogAnalyzer({ sessionGap: 2 });
    // the sweep runs every 65,536 lines: force one by feeding enough filler
    const filler = Array.from({ length: 70_000 }, (_, i) =>
      msg("2026-11-05 10:00:02", `f${i}`, "c", "小李", "customer"),
    );
    feed(
      analyzer.messagesCsv("m.csv"),
      `${[HEADER, lines[0], ...filler, ...lines.slice(1)].join("\n")}\n`,
      1 << 16,
    );
    const result = analyzer.finish();
    expect(result.problems).toEqual([
      {
        file: "m.csv",
        line: 70_008,
        reason:
          "session s comes back after its lines ended (no line of it for more than 2 lines); keep a session's lines closer together or raise the session gap",
      },
    ]);
  });
});
