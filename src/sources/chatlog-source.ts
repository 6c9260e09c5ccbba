import {
  type ChatFact,
  ChatlogAnalyzer,
  type ChatlogOptions,
  type ChatlogResult,
  SideFiles,
} from "../engine/index.ts";
import { type FileFormat, formatOf, streamBytes, streamLines } from "./chatlog-files.ts";
import { defaultThreads, readMessagesInParallel } from "./chatlog-parallel.ts";
import { jiebaWords } from "./jieba-words.ts";
import type { ConversationChunks, RowProblem, SourceBatch, SourceFact } from "./source.ts";

/**
 * Raw chat logs (with orders, ratings and reviews) as a source: the chat-log metrics computed
 * from the files, then handed to the importer as per agent-day figures and facts.
 */

export interface ChatlogFiles {
  messages: string;
  orders?: string;
  ratings?: string;
  reviews?: string;
}

/**
 * Reads the files and computes the figures. A large messages CSV is read on `threads` cores;
 * orders, ratings and reviews are small and read first, on this one. Phrase rules that count
 * whole words cut them with jieba unless `options` brings its own segmenter.
 */
export async function analyseChatlog(
  files: ChatlogFiles,
  given: ChatlogOptions,
  threads = defaultThreads(),
): Promise<ChatlogResult> {
  const options: ChatlogOptions = { wordSegmenter: jiebaWords(), ...given };
  const sides = new SideFiles();
  const readers = [
    ["--orders", files.orders, (f: string, fmt: FileFormat) => sides.ordersReader(f, fmt)],
    ["--ratings", files.ratings, (f: string, fmt: FileFormat) => sides.ratingsReader(f, fmt)],
    ["--reviews", files.reviews, (f: string, fmt: FileFormat) => sides.reviewsReader(f, fmt)],
  ] as const;
  for (const [option, file, reader] of readers) {
    if (!file) continue;
    const r = reader(file, formatOf(file));
    if ("push" in r) await streamBytes(file, option, r);
    else await streamLines(file, option, r);
  }
  const analyzer = new ChatlogAnalyzer(options, sides);
  if (formatOf(files.messages) === "jsonl") {
    await streamBytes(files.messages, "--messages", analyzer.messagesJson(files.messages));
    return analyzer.finish();
  }
  const parallel = await readMessagesInParallel(
    files.messages,
    files.messages,
    options,
    threads,
    sides.records(),
  );
  if (parallel) return parallel;
  await streamBytes(files.messages, "--messages", analyzer.messagesCsv(files.messages));
  return analyzer.finish();
}

/**
 * The analysis as a batch. Shops in the log are matched to configured shops by id or name
 * (`shopIdOf`); a log line's shop that matches none is refused when stored, as is every bad line.
 * `conversations` (chatlog-conversations.ts) when quality review wants the conversations too.
 */
export function chatlogBatch(
  result: ChatlogResult,
  shopIdOf: (shop: string) => string | undefined,
  conversations?: ConversationChunks,
): SourceBatch {
  const problems: RowProblem[] = result.problems.map((p) => ({
    line: p.line,
    reason: `${p.file}: ${p.reason}`,
  }));
  if (result.problemCount > result.problems.length) {
    problems.push({
      line: 0,
      reason: `… and ${result.problemCount - result.problems.length} more bad lines`,
    });
  }
  // A shop that matches none stays as the log names it: the import refuses it, once, by name.
  const shopOf = (shop: string) => shopIdOf(shop) ?? shop;
  const records = result.agentDays.map((d) => ({
    line: 0,
    shop: shopOf(d.shop),
    agent: d.agent,
    day: d.day,
    values: d.values,
    pending: d.provisional,
  }));
  const facts = result.facts.map((f) => factOf(f, shopOf(f.shop)));
  // Their shop stays as the log names it: the importer matches it as it does the records'.
  return {
    source: "chatlog",
    records,
    facts,
    problems,
    ...(conversations ? { conversationChunks: conversations } : {}),
  };
}

function factOf(fact: ChatFact, shop: string): SourceFact {
  const day = fact.at.slice(0, 10);
  switch (fact.kind) {
    case "long_wait":
    case "forbidden_phrase": {
      const { kind, shop: _, agent, session, at, ...detail } = fact;
      return { kind, shop, agent, day, at, ref: session, detail: { session, ...detail } };
    }
    case "low_rating": {
      const { kind, shop: _, agent, session, at, ...detail } = fact;
      return { kind, shop, agent, day, at, ref: session, detail: { session, ...detail } };
    }
    case "bad_review": {
      const { kind, shop: _, agent, order, at, ...detail } = fact;
      return { kind, shop, agent, day, at, ref: order, detail: { order, ...detail } };
    }
  }
}
