import { describe, expect, it } from "vitest";
import { ChatlogAnalyzer } from "../../../src/engine/index.ts";
import { analyze, day, feed, HEADER, msg, pairs } from "./helpers.ts";

/**
 * Seed 000: 转接率 counts transfers "不含客户主动要求转接", and 问题解决率 a problem solved "在单次
 * 沟通中 … 无需二次跟进或转接". One log, three sessions of 2026-11-17 in 店A:
 *   t1  小张 serves c1; c1 asks for a supervisor; transferred to 小李 (transfer_reason customer_request)
 *   t2  小张 serves c2; 小张 passes it to 小王 (no reason given: the agent's own transfer)
 *   t3  小张 serves c3 to the end
 * By hand: 小张 had 3 segments, 1 transferred out not at the customer's request → 转接率 1/3
 * (counting every transfer it would be 2/3). t1 and t2 were transferred, so neither is resolved
 * for anyone: 小李 0/1, 小王 0/1, 小张 1/1 (t3); 1 of 3 sessions resolved (every one was before).
 */
const HEADER_WITH_REASON = "ts,session,shop,customer,agent,from,event,to_agent,transfer_reason,text";

/** A message line with a transfer_reason column before the text. */
function line(
  t: string,
  session: string,
  customer: string,
  agent: string,
  from: string,
  rest = ",,,",
): string {
  return `${t.replace(" ", "T")}+08:00,${session},店A,${customer},${agent},${from},${rest}`;
}

const withReason = [
  line("2026-11-17 10:00:00", "t1", "c1", "小张", "customer", "message,,,我的快递一直没到"),
  line("2026-11-17 10:00:20", "t1", "c1", "小张", "agent", "message,,,亲，我帮您查一下物流"),
  line("2026-11-17 10:01:00", "t1", "c1", "小张", "customer", "message,,,我要找你们主管"),
  line("2026-11-17 10:01:30", "t1", "c1", "小张", "system", "transfer,小李,customer_request,"),
  line("2026-11-17 10:02:00", "t1", "c1", "小李", "agent", "message,,,您好，我是主管小李"),
  line("2026-11-17 10:10:00", "t2", "c2", "小张", "customer", "message,,,这个耳机支持降噪吗"),
  line("2026-11-17 10:10:10", "t2", "c2", "小张", "agent", "message,,,我请技术同事为您解答"),
  line("2026-11-17 10:11:00", "t2", "c2", "小张", "system", "transfer,小王,,"),
  line("2026-11-17 10:11:30", "t2", "c2", "小王", "agent", "message,,,支持主动降噪"),
  line("2026-11-17 10:20:00", "t3", "c3", "小张", "customer", "message,,,今天能发货吗"),
  line("2026-11-17 10:20:05", "t3", "c3", "小张", "agent", "message,,,今天下午四点前发出"),
];

function read(lines: string[], header = HEADER_WITH_REASON) {
  const analyzer = new ChatlogAnalyzer();
  feed(analyzer.messagesCsv("messages.csv"), `${[header, ...lines].join("\n")}\n`, 1 << 20);
  return analyzer.finish();
}

const figures = (result: ReturnType<typeof read>, agent: string) =>
  pairs(day(result, agent, "2026-11-17"), "transfer_rate", "resolution_rate", "receptions");

describe("transfers the customer asked for, and resolution after a transfer (seed 000)", () => {
  const result = read(withReason);

  it("leaves the customer's own request out of 转接率's numerator, keeping the session in its denominator", () => {
    expect(result.problems).toEqual([]);
    expect(figures(result, "小张")).toEqual({
      transfer_rate: "1/3",
      resolution_rate: "1/1",
      receptions: "3/1",
    });
  });

  it("resolves a transferred session for no one, whichever agent held it last", () => {
    expect(figures(result, "小李")).toEqual({
      transfer_rate: "0/1",
      resolution_rate: "0/1",
      receptions: "1/1",
    });
    expect(figures(result, "小王")).toEqual({
      transfer_rate: "0/1",
      resolution_rate: "0/1",
      receptions: "1/1",
    });
    const resolved = result.agentDays.reduce((n, d) => n + (d.values.resolution_rate?.num ?? 0), 0);
    const sessions = result.agentDays.reduce((n, d) => n + (d.values.resolution_rate?.den ?? 0), 0);
    expect(`${resolved}/${sessions}`).toBe("1/3");
  });

  it("marks only the untransferred session's resolution provisional (the data ends within 72 h)", () => {
    expect(day(result, "小张", "2026-11-17").resolution_rate).toBeDefined();
    expect(result.agentDays.find((d) => d.agent === "小张")!.provisional).toEqual(["resolution_rate"]);
    expect(result.agentDays.find((d) => d.agent === "小李")!.provisional).toEqual([]);
  });

  it("reads the reason the same in any column order, quoted, and from JSON Lines", () => {
    const reordered = read(
      withReason.map((l) => {
        const [ts, session, shop, customer, agent, from, event, to, reason, text] = l.split(",");
        return [
          reason === "" ? "" : `"${reason}"`,
          text,
          ts,
          session,
          shop,
          customer,
          agent,
          from,
          event,
          to,
        ].join(",");
      }),
      "transfer_reason,text,ts,session,shop,customer,agent,from,event,to_agent",
    );
    expect(reordered.agentDays).toEqual(result.agentDays);
    const json = new ChatlogAnalyzer();
    const jsonl = withReason.map((l) => {
      const keys = HEADER_WITH_REASON.split(",");
      const cells = l.split(",");
      return JSON.stringify(Object.fromEntries(keys.map((k, i) => [k, cells[i]])));
    });
    feed(json.messagesJson("m.jsonl"), `${jsonl.join("\n")}\n`, 7);
    expect(json.finish().agentDays).toEqual(result.agentDays);
  });

  it("reads a file without the column exactly as before: every transfer is the agent's", () => {
    const old = analyze([
      msg("2026-11-17 10:00:00", "t1", "c1", "小张", "customer"),
      msg("2026-11-17 10:00:20", "t1", "c1", "小张", "agent"),
      msg("2026-11-17 10:01:30", "t1", "c1", "小张", "system", "transfer", "小李"),
      msg("2026-11-17 10:20:00", "t3", "c3", "小张", "customer"),
      msg("2026-11-17 10:20:05", "t3", "c3", "小张", "agent"),
    ]);
    expect(HEADER).not.toContain("transfer_reason");
    expect(pairs(day(old, "小张", "2026-11-17"), "transfer_rate")).toEqual({ transfer_rate: "1/2" });
  });

  it("takes any other reason, or none, for a transfer the agent chose", () => {
    const other = read(withReason.map((l) => l.replace("customer_request", "专业技术问题")));
    expect(pairs(day(other, "小张", "2026-11-17"), "transfer_rate")).toEqual({ transfer_rate: "2/3" });
  });
});
