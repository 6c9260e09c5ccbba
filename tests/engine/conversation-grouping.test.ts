import { describe, expect, it } from "vitest";
import {
  type Conversation,
  ConversationGrouper,
  type ConversationLine,
  dayInZone,
  dayKey,
} from "../../src/engine/index.ts";

const at = (time: string) => Date.parse(`2026-11-11T${time}+08:00`);
const shanghai = dayInZone("Asia/Shanghai");

function line(
  time: string,
  session: string,
  from: ConversationLine["from"],
  more: Partial<ConversationLine> = {},
) {
  return {
    at: at(time),
    session,
    shop: "店A",
    customer: `c-${session}`,
    agent: "小张",
    from,
    event: "message" as const,
    toAgent: "",
    customerAsked: false,
    text: `${from} of ${session}`,
    ...more,
  };
}

function grouper(sessionGap?: number, ratings: Record<string, number> = {}) {
  return new ConversationGrouper({
    dayOf: (_shop, ms) => dayKey(shanghai(ms)),
    ratingOf: (_shop, session) =>
      ratings[session] === undefined ? undefined : { score: ratings[session]!, at: at("23:00:00") },
    ...(sessionGap === undefined ? {} : { sessionGap }),
  });
}

describe("grouping a chat log's lines into conversations", () => {
  it("keeps interleaved sessions apart, puts each in time order, and gives the session's rating", () => {
    const g = grouper(undefined, { s1: 2 });
    const done: Conversation[] = [];
    for (const l of [
      line("10:00:00", "s1", "customer"),
      line("10:00:05", "s2", "customer", { agent: "" }),
      line("10:00:40", "s1", "agent"),
      line("10:00:20", "s1", "customer", { text: "late in the file, earlier in time" }),
      line("10:01:00", "s2", "agent", { agent: "小李" }),
    ])
      done.push(...g.add(l));
    expect(done).toEqual([]);
    done.push(...g.finish());
    expect(done.map((c) => c.session)).toEqual(["s1", "s2"]);
    const [s1, s2] = done;
    expect(s1!.messages.map((m) => m.text)).toEqual([
      "customer of s1",
      "late in the file, earlier in time",
      "agent of s1",
    ]);
    expect(s1).toMatchObject({ shop: "店A", customer: "c-s1", agent: "小张", day: "2026-11-11" });
    expect(s1!.rating).toEqual({ score: 2, at: at("23:00:00") });
    // Unassigned while the customer waited: judged on the agent who answered.
    expect(s2).toMatchObject({ agent: "小李" });
    expect(s2!.rating).toBeUndefined();
  });

  it("hands a session on once it is closed and a sixteenth of the gap has passed, an open one after the gap", () => {
    const g = grouper(160);
    const done: string[] = [];
    const feed = (l: ConversationLine) => done.push(...g.add(l).map((c) => c.session));
    feed(line("09:00:00", "open", "customer"));
    feed(line("10:00:00", "closed", "customer"));
    feed(line("10:00:10", "closed", "agent"));
    feed(line("10:00:20", "closed", "system", { event: "close" }));
    for (let i = 0; i < 9; i++) feed(line("10:01:00", `other${i}`, "customer"));
    expect(done).toEqual([]);
    feed(line("10:02:00", "other9", "customer"));
    expect(done).toEqual(["closed"]);
    for (let i = 10; i < 156; i++) feed(line("10:03:00", `other${i}`, "customer"));
    expect(done).toEqual(["closed"]);
    feed(line("10:04:00", "last", "customer"));
    expect(done).toEqual(["closed", "open"]);
  });

  it("records a transfer's new agent and whose wish it was; the first answering agent is judged", () => {
    const g = grouper();
    g.add(line("10:00:00", "s", "customer"));
    g.add(line("10:00:30", "s", "system", { event: "transfer", toAgent: "小李", customerAsked: true }));
    g.add(line("10:00:50", "s", "agent", { agent: "小李" }));
    const [c] = g.finish();
    expect(c!.agent).toBe("小李");
    expect(c!.messages[1]).toMatchObject({ event: "transfer", toAgent: "小李", customerAsked: true });
    expect(c!.messages[0]).not.toHaveProperty("toAgent");
  });

  it("leaves out a session with no customer line (not a consultation) and one no agent ever had", () => {
    const g = grouper();
    g.add(line("10:00:00", "robot", "auto"));
    g.add(line("10:00:00", "nobody", "customer", { agent: "" }));
    expect(g.finish()).toEqual([]);
  });

  it("gives the shop-local day of the customer's first line", () => {
    const g = grouper();
    g.add({ ...line("00:00:00", "s", "customer"), at: Date.parse("2026-11-10T23:59:50+08:00") });
    g.add(line("00:00:30", "s", "agent"));
    expect(g.finish()[0]!.day).toBe("2026-11-10");
  });
});
