import {
  type AgentDayFigures,
  ChatlogAnalyzer,
  type ChatlogOptions,
  type ChatlogResult,
} from "../../../src/engine/index.ts";

export const HEADER = "ts,session,shop,customer,agent,from,event,to_agent,text";

/** A message line; `t` is a Shanghai wall-clock time "2026-11-11 10:00:30". */
export function msg(
  t: string,
  session: string,
  customer: string,
  agent: string,
  from: string,
  event = "message",
  to = "",
  text = "",
  shop = "店A",
): string {
  const quoted = /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  return `${t.replace(" ", "T")}+08:00,${session},${shop},${customer},${agent},${from},${event},${to},${quoted}`;
}

const encoder = new TextEncoder();

export interface SideFiles {
  orders?: string;
  ratings?: string;
  reviews?: string;
}

/**
 * Runs the analyzer over CSV text, fed in chunks of `chunk` bytes (to exercise lines cut across
 * reads), with optional orders, ratings and reviews CSV.
 */
export function analyze(
  lines: string[],
  options: ChatlogOptions = {},
  sides: SideFiles = {},
  chunk = 1 << 20,
): ChatlogResult {
  const analyzer = new ChatlogAnalyzer(options);
  feed(analyzer.messagesCsv("messages.csv"), `${[HEADER, ...lines].join("\n")}\n`, chunk);
  if (sides.orders) feed(analyzer.ordersReader("orders.csv", "csv") as Feedable, sides.orders, chunk);
  if (sides.ratings) feed(analyzer.ratingsReader("ratings.csv", "csv") as Feedable, sides.ratings, chunk);
  if (sides.reviews) feed(analyzer.reviewsReader("reviews.csv", "csv") as Feedable, sides.reviews, chunk);
  return analyzer.finish();
}

interface Feedable {
  push(bytes: Uint8Array, start: number, end: number, final: boolean): number;
}

/** Feeds text the way the file reader does: a buffer, refilled after what was consumed. */
export function feed(reader: Feedable, text: string, chunk: number): void {
  const all = encoder.encode(text);
  let buffer = new Uint8Array(Math.max(chunk, 16) + 1);
  let filled = 0;
  let at = 0;
  for (;;) {
    if (filled === buffer.length - 1) {
      const bigger = new Uint8Array(buffer.length * 2);
      bigger.set(buffer);
      buffer = bigger;
    }
    const take = Math.min(chunk, buffer.length - 1 - filled, all.length - at);
    buffer.set(all.subarray(at, at + take), filled);
    at += take;
    const end = filled + take;
    const final = take === 0;
    const consumed = reader.push(buffer, 0, end, final);
    if (final) return;
    buffer.copyWithin(0, consumed, end);
    filled = end - consumed;
  }
}

/** The figures of one agent-day. */
export function day(
  result: ChatlogResult,
  agent: string,
  date: string,
  shop = "店A",
): AgentDayFigures["values"] {
  const row = result.agentDays.find((r) => r.agent === agent && r.day === date && r.shop === shop);
  if (!row)
    throw new Error(
      `no figures for ${agent} on ${date}: ${result.agentDays.map((r) => `${r.agent} ${r.day}`).join(", ")}`,
    );
  return row.values;
}

/** num/den pairs of the given metrics, for compact assertions. */
export function pairs(values: AgentDayFigures["values"], ...ids: string[]): Record<string, string> {
  return Object.fromEntries(
    ids.map((id) => [id, values[id] ? `${round(values[id].num)}/${round(values[id].den)}` : "—"]),
  );
}

function round(x: number): number {
  return Number.parseFloat(x.toPrecision(12));
}
