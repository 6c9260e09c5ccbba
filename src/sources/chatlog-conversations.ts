import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { parse } from "csv-parse";
import { RATING_COLUMNS, readRating } from "../engine/chatlog/side-records.ts";
import { parseTime } from "../engine/chatlog/table-reader.ts";
import {
  type ChatlogOptions,
  type Conversation,
  type ConversationEvent,
  ConversationGrouper,
  type ConversationLine,
  DEFAULT_TIME_ZONE,
  dayInZone,
  dayKey,
  InvalidInput,
  type Speaker,
} from "../engine/index.ts";
import { chunksOf, formatOf, utf8Chunks } from "./chatlog-files.ts";
import type { ChatlogFiles } from "./chatlog-source.ts";
import type { ConversationChunks } from "./source.ts";

/**
 * A chat log's conversations for quality review (质检), read with a plain streaming reader
 * beside the analyser's byte-level one (which keeps no text): the messages file again from its
 * start, lines grouped by session (engine/conversation-grouping.ts), each session's rating from
 * the ratings file. Conversations come a chunk at a time as their sessions complete, so a
 * 10-million-message log is never held whole. The analyser has read the files first and refused
 * a bad line, so a line this reader cannot take means the file changed in between.
 */

const CHUNK = 500;

const SPEAKERS = new Set<string>(["customer", "agent", "auto", "system"]);
const EVENTS = new Set<string>(["message", "transfer", "leave_message", "close", "invite"]);

type Row = Record<string, string>;

export function chatlogConversations(files: ChatlogFiles, options: ChatlogOptions): ConversationChunks {
  return {
    async *read() {
      const ratings = files.ratings ? await ratingsOf(files.ratings) : new Map<string, Rated>();
      const grouper = new ConversationGrouper({
        dayOf: dayOfShop(options),
        ratingOf: (_shop, session) => ratings.get(session),
        ...(options.sessionGap === undefined ? {} : { sessionGap: options.sessionGap }),
      });
      let chunk: Conversation[] = [];
      for await (const [row, line] of rowsOf(files.messages)) {
        chunk.push(...grouper.add(lineOf(row, files.messages, line)));
        if (chunk.length >= CHUNK) {
          yield chunk;
          chunk = [];
        }
      }
      chunk.push(...grouper.finish());
      if (chunk.length > 0) yield chunk;
    },
  };
}

type Rated = { score: number; at: number };

/** A session's latest rating. */
async function ratingsOf(path: string): Promise<Map<string, Rated>> {
  const ratings = new Map<string, Rated>();
  for await (const [row, line] of rowsOf(path)) {
    if (RATING_COLUMNS.some((c) => !(c in row))) throw changed(path, line, "lacks a column it had");
    const rating = readRating(row, path, line);
    if (typeof rating === "string") throw changed(path, line, rating);
    const before = ratings.get(rating.session);
    if (!before || before.at <= rating.at)
      ratings.set(rating.session, { score: rating.score, at: rating.at });
  }
  return ratings;
}

function dayOfShop(options: ChatlogOptions): (shop: string, at: number) => string {
  return (shop, at) =>
    dayKey(dayInZone(options.shopTimeZones?.[shop] ?? options.timeZone ?? DEFAULT_TIME_ZONE)(at));
}

function lineOf(row: Row, path: string, line: number): ConversationLine {
  const at = parseTime(row.ts ?? "");
  const from = row.from ?? "";
  const event = row.event || "message";
  if (Number.isNaN(at) || !row.session || !SPEAKERS.has(from) || !EVENTS.has(event))
    throw changed(path, line, "is not a line the analyser took");
  return {
    at,
    session: row.session,
    shop: row.shop ?? "",
    customer: row.customer ?? "",
    agent: row.agent ?? "",
    from: from as Speaker,
    event: event as ConversationEvent,
    toAgent: row.to_agent ?? "",
    customerAsked: row.transfer_reason === "customer_request",
    text: row.text ?? "",
  };
}

function changed(path: string, line: number, reason: string): Error {
  return new InvalidInput(
    path,
    `line ${line} ${reason} when read again for its conversations; nothing was imported: import it again`,
  );
}

/** The file's text, UTF-8 (GBK transcoded), in chunks of its own: csv-parse may keep a chunk a while. */
async function* textChunks(path: string): AsyncGenerator<Buffer> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    for await (const chunk of utf8Chunks(chunksOf(file, 0, size))) yield Buffer.from(chunk);
  } finally {
    await file.close();
  }
}

/** Rows as column → text (names lower-case, values trimmed) with their 1-based line. */
function rowsOf(path: string): AsyncIterable<[Row, number]> {
  return formatOf(path) === "jsonl" ? jsonRows(path) : csvRows(path);
}

async function* csvRows(path: string): AsyncGenerator<[Row, number]> {
  // Without csv-parse's `info` (it doubles the time): a record's number, which is its line
  // unless a quoted text above it held line breaks.
  const parser = Readable.from(textChunks(path)).pipe(
    parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }),
  );
  let names: string[] | undefined;
  let n = 1;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!names) {
      names = record.map((n) => n.trim().toLowerCase());
      continue;
    }
    const row: Row = {};
    names.forEach((name, k) => {
      row[name] = (record[k] ?? "").trim();
    });
    // The analyser's leniency: an unquoted text in the last column may hold commas.
    if (record.length > names.length && names.at(-1) === "text")
      row.text = record
        .slice(names.length - 1)
        .join(",")
        .trim();
    yield [row, ++n];
  }
}

async function* jsonRows(path: string): AsyncGenerator<[Row, number]> {
  const lines = createInterface({
    input: Readable.from(textChunks(path)),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let n = 0;
  for await (const text of lines) {
    n++;
    if (text.trim() === "") continue;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw changed(path, n, "is not valid JSON");
    }
    const row: Row = {};
    for (const [key, value] of Object.entries(doc as object))
      row[key.toLowerCase()] = value === null ? "" : String(value).trim();
    yield [row, n];
  }
}
