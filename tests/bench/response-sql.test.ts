/**
 * The SQL response metrics (bench/chatlog/response-sql.ts) on small hand-written message files,
 * with hand-computed figures per docs/chatlog.md. DuckDB and PostgreSQL must give the same rows.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { responseMetricsDuckDB } from "../../bench/chatlog/duckdb.ts";
import { responseMetricsPostgres } from "../../bench/chatlog/postgres.ts";
import type { ResponseRow } from "../../bench/chatlog/response-sql.ts";

const HEADER = "ts,session,shop,customer,agent,from,event,to_agent,text";

type Engine = (csvPath: string, timeZone?: string) => Promise<ResponseRow[]>;

let dir = "";
let sql: postgres.Sql;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kpi-response-sql-"));
  sql = postgres(inject("databaseUrl"), { max: 2, onnotice: () => {} });
});

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

const engines: [string, Engine][] = [
  [
    "DuckDB",
    (csvPath, timeZone) => responseMetricsDuckDB(csvPath, { threads: 2, ...(timeZone ? { timeZone } : {}) }),
  ],
  ["PostgreSQL", (csvPath, timeZone) => responseMetricsPostgres(sql, csvPath, timeZone ? { timeZone } : {})],
];

let fileCount = 0;

/** Writes the CSV text (header + lines) to a fresh file in the test's temp dir. */
async function messagesFile(lines: string[], header = HEADER): Promise<string> {
  const path = join(dir, `messages-${++fileCount}.csv`);
  await writeFile(path, `${[header, ...lines].join("\n")}\n`);
  return path;
}

/** A ResponseRow: zero figures unless given. */
function row(shop: string, agent: string, day: string, figures: Partial<ResponseRow>): ResponseRow {
  return {
    shop,
    agent,
    day,
    frtMs: 0,
    frtCount: 0,
    within30s: 0,
    counted: 0,
    artMs: 0,
    artCount: 0,
    answered: 0,
    replies: 0,
    customerMessages: 0,
    ...figures,
  };
}

describe.each(engines)("response metrics in SQL: %s", (_name, responseMetrics) => {
  it("gives seed 004's figures: waits 30, 120, 180 s; 30 s rate 1 of 2; reply rate 1 of 2; Q/A 3/3", async () => {
    // s1: three runs answered after 30, 120 and 180 s. s2: X's customer waits when the session
    // goes to A, who never answers; X's segment is transferred out and not counted, A's has only
    // the carried-over run, unanswered (late, not replied). The customer messages (3) are s1's:
    // s2's message was sent in X's segment.
    const path = await messagesFile([
      "2026-11-11T09:00:00+08:00,s1,S1,c1,A,customer,message,,在吗",
      "2026-11-11T09:00:30+08:00,s1,S1,c1,A,agent,message,,在的",
      "2026-11-11T09:05:00+08:00,s1,S1,c1,A,customer,message,,多少钱",
      "2026-11-11T09:07:00+08:00,s1,S1,c1,A,agent,message,,99 元",
      "2026-11-11T09:10:00+08:00,s1,S1,c1,A,customer,message,,包邮吗",
      "2026-11-11T09:13:00+08:00,s1,S1,c1,A,agent,message,,包邮",
      "2026-11-11T10:00:00+08:00,s2,S1,c2,X,customer,message,,退货",
      "2026-11-11T10:01:00+08:00,s2,S1,c2,X,system,transfer,A,",
    ]);
    const rows = await responseMetrics(path);
    expect(rows).toEqual([
      row("S1", "A", "2026-11-11", {
        frtMs: 30_000,
        frtCount: 1,
        within30s: 1,
        counted: 2,
        artMs: 330_000, // 30 + 120 + 180 s over 3 runs: ART 110 s
        artCount: 3,
        answered: 1,
        replies: 3,
        customerMessages: 3,
      }),
    ]);
  });

  it("starts a run waiting at a transfer at the transfer time in the receiver's segment", async () => {
    const path = await messagesFile([
      // s3: B answers once, then the customer waits (two messages) when B transfers to C. The
      // customer writes again before C answers: same run, started at the transfer (11:03:00),
      // answered at 11:04:00 (60 s). Then one run answered in 10 s, and a reply to nothing.
      "2026-11-11T11:00:00+08:00,s3,S1,c3,B,customer,message,,你好",
      "2026-11-11T11:00:20+08:00,s3,S1,c3,B,agent,message,,您好",
      "2026-11-11T11:01:00+08:00,s3,S1,c3,B,customer,message,,发票",
      "2026-11-11T11:02:00+08:00,s3,S1,c3,B,customer,message,,怎么开",
      "2026-11-11T11:03:00+08:00,s3,S1,c3,B,system,transfer,C,",
      "2026-11-11T11:03:40+08:00,s3,S1,c3,C,customer,message,,在吗",
      "2026-11-11T11:04:00+08:00,s3,S1,c3,C,agent,message,,我来处理",
      "2026-11-11T11:05:00+08:00,s3,S1,c3,C,customer,message,,好",
      "2026-11-11T11:05:10+08:00,s3,S1,c3,C,agent,message,,已开",
      "2026-11-11T11:05:20+08:00,s3,S1,c3,C,agent,message,,还有吗",
      // s4: nothing waits at the transfer: C's first run starts at the next customer message.
      "2026-11-11T12:00:00+08:00,s4,S1,c4,B,customer,message,,你好",
      "2026-11-11T12:00:05+08:00,s4,S1,c4,B,agent,message,,您好",
      "2026-11-11T12:01:00+08:00,s4,S1,c4,B,agent,transfer,C,",
      "2026-11-11T12:02:00+08:00,s4,S1,c4,C,customer,message,,尺码",
      "2026-11-11T12:02:25+08:00,s4,S1,c4,C,agent,message,,M 码",
      // s5: transferred twice while the customer waits: D's run starts at the second transfer.
      "2026-11-11T13:00:00+08:00,s5,S1,c5,B,customer,message,,物流",
      "2026-11-11T13:01:00+08:00,s5,S1,c5,B,system,transfer,C,",
      "2026-11-11T13:02:00+08:00,s5,S1,c5,C,system,transfer,D,",
      "2026-11-11T13:02:30+08:00,s5,S1,c5,D,agent,message,,已发货",
    ]);
    expect(await responseMetrics(path)).toEqual([
      row("S1", "C", "2026-11-11", {
        frtMs: 60_000 + 25_000,
        frtCount: 2,
        within30s: 1,
        counted: 2,
        artMs: 60_000 + 10_000 + 25_000,
        artCount: 3,
        answered: 2,
        replies: 3 + 1,
        customerMessages: 2 + 1,
      }),
      row("S1", "D", "2026-11-11", {
        frtMs: 30_000,
        frtCount: 1,
        within30s: 1,
        counted: 1,
        artMs: 30_000,
        artCount: 1,
        answered: 1,
        replies: 1,
      }),
    ]);
  });

  it("does not count auto-replies as replies", async () => {
    const path = await messagesFile([
      "2026-11-11T09:00:00+08:00,s6,S1,c6,E,customer,message,,在吗",
      "2026-11-11T09:00:02+08:00,s6,S1,c6,E,auto,message,,您好，客服马上来",
      "2026-11-11T09:00:50+08:00,s6,S1,c6,E,agent,message,,在的",
      "2026-11-11T09:01:00+08:00,s6,S1,c6,E,customer,message,,能便宜点吗",
      "2026-11-11T09:01:01+08:00,s6,S1,c6,E,auto,message,,您好，客服马上来",
    ]);
    expect(await responseMetrics(path)).toEqual([
      row("S1", "E", "2026-11-11", {
        frtMs: 50_000,
        frtCount: 1,
        counted: 1,
        artMs: 50_000,
        artCount: 1,
        answered: 1,
        replies: 1,
        customerMessages: 2,
      }),
    ]);
  });

  it("leaves out sessions holding a leave_message, and sessions without customer messages", async () => {
    const path = await messagesFile([
      "2026-11-11T20:00:00+08:00,s7,S1,c7,F,customer,leave_message,,明天发货吗",
      "2026-11-11T20:00:10+08:00,s7,S1,c7,F,customer,message,,急",
      "2026-11-11T20:30:00+08:00,s7,S1,c7,F,agent,message,,发的",
      "2026-11-11T21:00:00+08:00,s8,S1,c8,F,customer,message,,在吗",
      "2026-11-11T21:00:10+08:00,s8,S1,c8,F,agent,message,,在",
      "2026-11-11T22:00:00+08:00,s9,S1,c9,F,agent,message,,双十一活动开始啦",
      "2026-11-11T22:00:01+08:00,s9,S1,c9,F,system,close,,",
    ]);
    expect(await responseMetrics(path)).toEqual([
      row("S1", "F", "2026-11-11", {
        frtMs: 10_000,
        frtCount: 1,
        within30s: 1,
        counted: 1,
        artMs: 10_000,
        artCount: 1,
        answered: 1,
        replies: 1,
        customerMessages: 1,
      }),
    ]);
  });

  it("counts a session crossing local midnight on the day of its first customer message", async () => {
    const path = await messagesFile([
      "2026-11-11T23:59:00+08:00,s10,S1,c10,G,customer,message,,还在吗",
      "2026-11-11T16:00:40Z,s10,S1,c10,G,agent,message,,在", // 00:00:40+08:00: 100 s
      "2026-11-12T00:05:00+08:00,s10,S1,c10,G,customer,message,,好",
      "2026-11-12 00:05:10.500+08:00,s10,S1,c10,G,agent,message,,嗯", // 10.5 s
    ]);
    expect(await responseMetrics(path)).toEqual([
      row("S1", "G", "2026-11-11", {
        frtMs: 100_000,
        frtCount: 1,
        counted: 1,
        artMs: 110_500,
        artCount: 2,
        answered: 1,
        replies: 2,
        customerMessages: 2,
      }),
    ]);
  });

  it("puts 23:59:59+08:00 and 00:00:00+08:00 on different days, and one day in UTC", async () => {
    const path = await messagesFile([
      "2026-11-11 23:59:59.999+08:00,s11,S1,c11,H,customer,message,,晚安前问一下",
      "2026-11-12 00:00:05+08:00,s11,S1,c11,H,agent,message,,请讲",
      "2026-11-12T00:00:00+08:00,s12,S1,c12,H,customer,message,,零点了",
      "2026-11-12T00:00:05+08:00,s12,S1,c12,H,agent,message,,是的",
    ]);
    const answeredOnce = (frtMs: number, counted = 1) => ({
      frtMs,
      frtCount: counted,
      within30s: counted,
      counted,
      artMs: frtMs,
      artCount: counted,
      answered: counted,
      replies: counted,
      customerMessages: counted,
    });
    expect(await responseMetrics(path)).toEqual([
      row("S1", "H", "2026-11-11", answeredOnce(5_001)),
      row("S1", "H", "2026-11-12", answeredOnce(5_000)),
    ]);
    // 15:59:59.999Z and 16:00:00Z: the same UTC day.
    expect(await responseMetrics(path, "UTC")).toEqual([
      row("S1", "H", "2026-11-11", answeredOnce(10_001, 2)),
    ]);
  });

  it("orders the lines of a session by time, whatever their order in the file", async () => {
    const path = await messagesFile([
      "2026-11-11T09:02:00+08:00,s13,S1,c13,I,agent,message,,好的",
      "2026-11-11T09:00:40+08:00,s14,S2,c14,J,agent,message,,在",
      "2026-11-11T09:01:00+08:00,s13,S1,c13,I,customer,message,,换个颜色",
      "2026-11-11T09:00:00+08:00,s13,S1,c13,I,customer,message,,你好",
      "2026-11-11T09:00:30+08:00,s14,S2,c14,J,customer,message,,在吗",
      "2026-11-11T09:00:20+08:00,s13,S1,c13,I,agent,message,,您好",
    ]);
    expect(await responseMetrics(path)).toEqual([
      row("S1", "I", "2026-11-11", {
        frtMs: 20_000,
        frtCount: 1,
        within30s: 1,
        counted: 1,
        artMs: 20_000 + 60_000,
        artCount: 2,
        answered: 1,
        replies: 2,
        customerMessages: 2,
      }),
      row("S2", "J", "2026-11-11", {
        frtMs: 10_000,
        frtCount: 1,
        within30s: 1,
        counted: 1,
        artMs: 10_000,
        artCount: 1,
        answered: 1,
        replies: 1,
        customerMessages: 1,
      }),
    ]);
  });

  it("reads quoted text holding commas, quotes and line breaks", async () => {
    const path = await messagesFile([
      '2026-11-11T09:00:00+08:00,s15,S1,c15,K,customer,message,,"你好, 我要""退货""\n2026-11-11T09:00:01+08:00,s15,S1,c15,K,agent,message,,假的一行"',
      '2026-11-11T09:00:45+08:00,s15,S1,c15,K,agent,message,,"好的,\n""请""稍等"',
      '"2026-11-11T09:01:00+08:00","s15","S1","c15","K","customer","message","",""""',
    ]);
    expect(await responseMetrics(path)).toEqual([
      row("S1", "K", "2026-11-11", {
        frtMs: 45_000,
        frtCount: 1,
        counted: 1,
        artMs: 45_000,
        artCount: 1,
        answered: 1,
        replies: 1,
        customerMessages: 2,
      }),
    ]);
  });

  it("counts no wait for a system line or an agent message before the first customer message", async () => {
    // s16: the greeting answers no run (nothing is waiting) and is no reply for qa_ratio either:
    // the session's first segment opens at the first customer message. The segment's agent is the
    // first non-empty agent of the session, here the greeting's. s19: P greets and transfers to O
    // before the customer writes; O's greeting replies to nothing either.
    const path = await messagesFile([
      "2026-11-11T09:00:00+08:00,s16,S1,c16,,system,message,,会话开始",
      "2026-11-11T09:00:01+08:00,s16,S1,c16,L,agent,message,,欢迎光临",
      "2026-11-11T09:00:10+08:00,s16,S1,c16,,customer,message,,在吗",
      "2026-11-11T09:00:15+08:00,s16,S1,c16,L,system,message,,客户正在输入",
      "2026-11-11T09:00:40+08:00,s16,S1,c16,L,agent,message,,在的",
      "2026-11-11T10:00:00+08:00,s19,S1,c19,P,agent,message,,欢迎",
      "2026-11-11T10:00:05+08:00,s19,S1,c19,P,system,transfer,O,",
      "2026-11-11T10:00:06+08:00,s19,S1,c19,O,agent,message,,您好，我是 O",
      "2026-11-11T10:00:20+08:00,s19,S1,c19,O,customer,message,,在吗",
      "2026-11-11T10:00:50+08:00,s19,S1,c19,O,agent,message,,在",
    ]);
    const answeredIn30s = {
      frtMs: 30_000,
      frtCount: 1,
      within30s: 1,
      counted: 1,
      artMs: 30_000,
      artCount: 1,
      answered: 1,
      replies: 1,
      customerMessages: 1,
    };
    expect(await responseMetrics(path)).toEqual([
      row("S1", "L", "2026-11-11", answeredIn30s),
      row("S1", "O", "2026-11-11", answeredIn30s),
    ]);
  });

  it("counts an unanswered segment as counted, late and not replied", async () => {
    const path = await messagesFile([
      "2026-11-11T09:00:00+08:00,s17,S1,c17,M,customer,message,,在吗",
      "2026-11-11T09:00:05+08:00,s17,S1,c17,M,customer,message,,人呢",
      "2026-11-11T09:30:00+08:00,s17,S1,c17,M,system,close,,",
    ]);
    expect(await responseMetrics(path)).toEqual([
      row("S1", "M", "2026-11-11", { counted: 1, customerMessages: 2 }),
    ]);
  });

  it("matches columns by name in any order, and an absent shop column is the empty shop", async () => {
    const path = await messagesFile(
      [
        "hi,,message,2026-11-11T09:00:00+08:00,s18,c18,customer,N",
        "hello,,message,2026-11-11T09:00:12+08:00,s18,c18,agent,N",
      ],
      "text,to_agent,event,ts,session,customer,from,agent",
    );
    expect(await responseMetrics(path)).toEqual([
      row("", "N", "2026-11-11", {
        frtMs: 12_000,
        frtCount: 1,
        within30s: 1,
        counted: 1,
        artMs: 12_000,
        artCount: 1,
        answered: 1,
        replies: 1,
        customerMessages: 1,
      }),
    ]);
  });
});
