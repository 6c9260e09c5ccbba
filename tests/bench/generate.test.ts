import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatlogSummary, generateChatlog } from "../../bench/chatlog/generate.ts";

const TARGET = 5000;
const HEADER = [
  "ts",
  "session",
  "shop",
  "customer",
  "agent",
  "from",
  "event",
  "to_agent",
  "transfer_reason",
  "text",
];
const HOUR_MS = 3_600_000;

type Row = Record<(typeof HEADER)[number], string>;

let root: string;
let summary: ChatlogSummary;
let rows: Row[];
/** Lines of each session in file order (= time order for `--order time`). */
let sessions: Map<string, Row[]>;

/** Local (+08:00) hour of an ISO time. */
const localHour = (ts: string) => new Date(Date.parse(ts) + 8 * HOUR_MS).getUTCHours();
const localDay = (ts: string) => new Date(Date.parse(ts) + 8 * HOUR_MS).toISOString().slice(0, 10);

function readCsv(text: string): Row[] {
  return parse(text, { columns: true, bom: true }) as Row[];
}

function bySession(lines: readonly Row[]): Map<string, Row[]> {
  const grouped = new Map<string, Row[]>();
  for (const row of lines) {
    const list = grouped.get(row.session!) ?? [];
    list.push(row);
    grouped.set(row.session!, list);
  }
  return grouped;
}

async function readAll(dir: string): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {};
  for (const name of (await readdir(dir)).sort()) files[name] = await readFile(join(dir, name));
  return files;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "chatlog-generate-"));
  summary = await generateChatlog({ out: join(root, "a"), messages: TARGET, seed: 7 });
  rows = readCsv(await readFile(join(root, "a", "messages.csv"), "utf8"));
  sessions = bySession(rows);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("generateChatlog", () => {
  it("gives byte-identical files for the same options, other files for another seed", async () => {
    const again = await generateChatlog({ out: join(root, "b"), messages: TARGET, seed: 7 });
    expect(again).toEqual({ ...summary, files: expect.any(Object) });
    const first = await readAll(join(root, "a"));
    const second = await readAll(join(root, "b"));
    expect(Object.keys(first)).toEqual(["messages.csv", "orders.csv", "ratings.csv", "reviews.csv"]);
    for (const name of Object.keys(first)) expect(second[name]!.equals(first[name]!), name).toBe(true);

    await generateChatlog({ out: join(root, "c"), messages: TARGET, seed: 8 });
    const other = await readFile(join(root, "c", "messages.csv"));
    expect(other.equals(first["messages.csv"]!)).toBe(false);
  });

  it("writes the documented header and lands on the target message count", async () => {
    const text = await readFile(join(root, "a", "messages.csv"), "utf8");
    expect(text.slice(0, text.indexOf("\n"))).toBe(HEADER.join(","));
    expect(rows.length).toBe(summary.messages);
    // It stops at the first session completing the target: a session has at most a few dozen lines.
    expect(summary.messages).toBeGreaterThanOrEqual(TARGET);
    expect(summary.messages).toBeLessThan(TARGET + 60);
    expect(summary.sessions).toBe(sessions.size);
    expect(summary.files["messages.csv"]).toBe(join(root, "a", "messages.csv"));
    expect(summary.bytes).toBe(
      Object.values(await readAll(join(root, "a"))).reduce((n, b) => n + b.length, 0),
    );
  });

  it("writes times with +08:00 that parse, sorted over the file and strictly increasing in each session", () => {
    const styles = new Set<string>();
    let previous = Number.NEGATIVE_INFINITY;
    for (const row of rows) {
      expect(row.ts, row.ts).toMatch(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{3})?\+08:00$/);
      const ms = Date.parse(row.ts!);
      expect(ms, row.ts).not.toBeNaN();
      expect(ms).toBeGreaterThanOrEqual(previous);
      previous = ms;
      styles.add(row.ts!.slice(0, -6).replace(/\d/g, "9"));
    }
    expect([...styles].sort()).toEqual([
      "9999-99-99 99:99:99",
      "9999-99-99 99:99:99.999",
      "9999-99-99T99:99:99.999",
    ]);
    for (const [session, lines] of sessions) {
      for (let i = 1; i < lines.length; i++)
        expect(Date.parse(lines[i]!.ts!), session).toBeGreaterThan(Date.parse(lines[i - 1]!.ts!));
    }
  });

  it("transfers name another agent, who then holds the session; some come while a run waits, some at the customer's request", () => {
    let transfers = 0;
    let withWaitingRun = 0;
    let requested = 0;
    for (const lines of sessions.values()) {
      let lastCustomer = -1;
      let lastReply = -1;
      for (const [i, line] of lines.entries()) {
        if (line.from === "customer") lastCustomer = i;
        if (line.from === "agent" && line.event === "message") lastReply = i;
        if (line.event !== "transfer") continue;
        transfers++;
        expect(["", "customer_request"]).toContain(line.transfer_reason);
        if (line.transfer_reason === "customer_request") requested++;
        expect(["agent", "system"]).toContain(line.from);
        expect(line.to_agent).not.toBe("");
        expect(line.to_agent).not.toBe(line.agent);
        if (lastCustomer > lastReply) withWaitingRun++;
        for (const after of lines.slice(i + 1)) {
          expect(after.agent).toBe(line.to_agent);
          if (after.event === "transfer") break;
        }
        const next = lines[i + 1];
        if (next !== undefined) expect(Date.parse(next.ts!)).toBeGreaterThan(Date.parse(line.ts!));
      }
    }
    expect(transfers / sessions.size).toBeGreaterThan(0.01);
    expect(transfers / sessions.size).toBeLessThan(0.06);
    expect(withWaitingRun).toBeGreaterThan(0);
    expect(withWaitingRun).toBeLessThan(transfers);
    expect(requested).toBeGreaterThan(0);
    expect(requested).toBeLessThan(transfers);
    expect(rows.filter((row) => row.event !== "transfer").every((row) => row.transfer_reason === "")).toBe(
      true,
    );
  });

  it("starts leave-message sessions at night and answers them from 09:00 with the agent set", () => {
    let leaveSessions = 0;
    let answered = 0;
    for (const lines of sessions.values()) {
      const left = lines.filter((line) => line.event === "leave_message");
      if (left.length === 0) continue;
      leaveSessions++;
      const first = lines.find((line) => line.from === "customer")!;
      const hour = localHour(first.ts!);
      expect(hour >= 23 || hour < 9, first.ts).toBe(true);
      for (const line of left) expect(line.agent).toBe("");
      const reply = lines.find((line) => line.from === "agent" && line.event === "message");
      if (reply === undefined) continue;
      answered++;
      expect(reply.agent).not.toBe("");
      expect(localHour(reply.ts!)).toBeGreaterThanOrEqual(9);
      expect(Date.parse(reply.ts!) - Date.parse(first.ts!)).toBeLessThan(14 * HOUR_MS);
    }
    expect(leaveSessions).toBeGreaterThan(10);
    expect(answered / leaveSessions).toBeGreaterThan(0.7);
  });

  it("greets most sessions with an auto-reply after the first customer message and closes most", () => {
    let greeted = 0;
    let closed = 0;
    for (const lines of sessions.values()) {
      const auto = lines.findIndex((line) => line.from === "auto");
      if (auto >= 0) {
        greeted++;
        expect(lines.slice(0, auto).some((line) => line.from === "customer")).toBe(true);
      }
      if (lines.at(-1)!.event === "close") closed++;
    }
    expect(greeted / sessions.size).toBeGreaterThan(0.6);
    expect(closed / sessions.size).toBeGreaterThan(0.7);
    expect(closed).toBeLessThan(sessions.size);
  });

  it("quotes texts holding commas, quotes and line breaks (RFC 4180)", async () => {
    const texts = rows.map((row) => row.text!);
    expect(texts.filter((text) => text.includes(",")).length).toBeGreaterThan(20);
    expect(texts.some((text) => text.includes('"'))).toBe(true);
    const raw = await readFile(join(root, "a", "messages.csv"), "utf8");
    expect(raw).toMatch(/,"[^"\n]*,[^"\n]*"\n/);
    expect(raw).toContain('""');
    expect(raw.split("\n").length - 2).toBeGreaterThan(rows.length); // some fields span lines
  });

  it("peaks on Double 11 and in the evening", () => {
    const perDay = new Map<string, number>();
    const perHour = new Array<number>(24).fill(0);
    for (const lines of sessions.values()) {
      const first = lines.find((line) => line.from === "customer")!;
      perDay.set(localDay(first.ts!), (perDay.get(localDay(first.ts!)) ?? 0) + 1);
      perHour[localHour(first.ts!)]!++;
    }
    const days = [...perDay.values()].sort((a, b) => a - b);
    const median = days[Math.floor(days.length / 2)]!;
    expect(perDay.get("2026-11-11")!).toBeGreaterThan(3 * median);
    expect(perDay.get("2026-11-10")!).toBeGreaterThan(1.8 * median);
    expect(perHour[21]!).toBeGreaterThan(5 * perHour[4]!);
  });

  it("has customers coming back, orders, ratings and reviews that match the summary", async () => {
    const customers = new Map<string, number>();
    for (const lines of sessions.values()) {
      const key = `${lines[0]!.shop}/${lines[0]!.customer}`;
      customers.set(key, (customers.get(key) ?? 0) + 1);
    }
    expect(customers.size).toBe(summary.customers);
    expect([...customers.values()].filter((count) => count > 1).length).toBeGreaterThan(10);

    const orders = readCsv(await readFile(join(root, "a", "orders.csv"), "utf8"));
    expect(orders.length).toBe(summary.orders);
    for (const order of orders) {
      expect(Number(order.amount)).toBeGreaterThan(0);
      expect(order.paid_at).toMatch(/\+08:00$/);
      expect(["true", "false"]).toContain(order.cod);
    }
    expect(new Set(orders.map((order) => order.order)).size).toBe(orders.length);

    const ratings = readCsv(await readFile(join(root, "a", "ratings.csv"), "utf8"));
    expect(ratings.length).toBe(summary.ratings);
    expect(ratings.length / summary.sessions).toBeGreaterThan(0.2);
    for (const rating of ratings) {
      expect(sessions.has(rating.session!)).toBe(true);
      expect(Number(rating.score)).toBeGreaterThanOrEqual(1);
      expect(Number(rating.score)).toBeLessThanOrEqual(5);
    }

    const reviews = readCsv(await readFile(join(root, "a", "reviews.csv"), "utf8"));
    expect(reviews.length).toBe(summary.reviews);
    const orderIds = new Set(orders.map((order) => order.order));
    for (const review of reviews) {
      expect(orderIds.has(review.order!)).toBe(true);
      expect(["good", "neutral", "bad"]).toContain(review.rating);
    }
  });

  it("writes the same lines grouped by session, a few out of order, and as JSON Lines", async () => {
    const grouped = await generateChatlog({
      out: join(root, "s"),
      messages: TARGET,
      seed: 7,
      order: "session",
      format: "both",
    });
    expect(grouped.messages).toBe(summary.messages);
    const groupedRows = readCsv(await readFile(join(root, "s", "messages.csv"), "utf8"));
    const key = (row: Row) => HEADER.map((column) => row[column]).join("\u0001");
    expect(groupedRows.map(key).sort()).toEqual(rows.map(key).sort());

    // Sessions come whole, in order of their start; inside one, ~1% of lines are out of time order.
    const seen = new Set<string>();
    let outOfOrder = 0;
    for (let i = 0; i < groupedRows.length; i++) {
      const row = groupedRows[i]!;
      const previous = groupedRows[i - 1];
      if (previous !== undefined && previous.session === row.session) {
        if (Date.parse(row.ts!) < Date.parse(previous.ts!)) outOfOrder++;
      } else {
        expect(seen.has(row.session!), row.session).toBe(false);
        seen.add(row.session!);
      }
    }
    expect(outOfOrder).toBeGreaterThan(0);
    expect(outOfOrder / groupedRows.length).toBeLessThan(0.03);

    const jsonText = await readFile(join(root, "s", "messages.jsonl"), "utf8");
    const jsonRows = jsonText
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Row);
    expect(jsonRows.map(key)).toEqual(groupedRows.map(key));
    expect(Object.keys(grouped.files).sort()).toEqual([
      "messages.csv",
      "messages.jsonl",
      "orders.csv",
      "orders.jsonl",
      "ratings.csv",
      "ratings.jsonl",
      "reviews.csv",
      "reviews.jsonl",
    ]);
  });

  it("refuses options it can't honour", async () => {
    await expect(generateChatlog({ out: join(root, "x"), messages: 0 })).rejects.toThrow(/messages/);
    await expect(generateChatlog({ out: join(root, "x"), start: "11/11/2026" })).rejects.toThrow(/start/);
    await expect(generateChatlog({ out: join(root, "x"), agents: 2, shops: 3 })).rejects.toThrow(/agents/);
  });
});
