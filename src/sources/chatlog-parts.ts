import { open } from "node:fs/promises";
import { CsvScanner, fieldText } from "../engine/chatlog/csv.ts";
import { LogPart, type PartBounds, type PartState } from "../engine/chatlog/log-part.ts";
import { findLineStart } from "../engine/chatlog/message-reader.ts";
import { type ChatlogOptions, RuleBook } from "../engine/chatlog/rules.ts";
import { chunksOf, feedChunks } from "./chatlog-files.ts";
import { jiebaWords } from "./jieba-words.ts";

/**
 * Reading one byte range of a messages CSV into a PartState: the work each core does when a large
 * file is split (chatlog-parallel.ts). Used in the main thread and in workers alike.
 */

export interface PartJob {
  path: string;
  /** The label in problem reports. */
  file: string;
  /** The header line (bytes), fed before the range so that every part knows the columns. */
  header: Uint8Array;
  start: number;
  end: number;
  bounds: PartBounds;
  /** The options, less the word segmenter (a thread cannot be sent one: see segmentWords). */
  options: ChatlogOptions;
  /** Cut words with jieba, the thread's own (options.wordSegmenter was given). */
  segmentWords: boolean;
}

export interface PartResult {
  state: PartState;
  /** Lines of the range (not counting the header). */
  lines: number;
}

/** How a part trades boundary session names with its neighbours (see chatlog-parallel.ts). */
export interface PartExchange {
  /** Tells the next part which sessions were open at the end of this one. */
  sendOpenAtEnd(names: string[]): void;
  /** The previous part's open sessions at its end (empty for the first part). */
  receiveContinuing(): Promise<Set<string>>;
  /**
   * Tells the previous part which sessions this part saw first in its first lines (sent as soon
   * as those lines are read): only those can continue from the previous part.
   */
  sendEarly?(names: string[]): void;
  /**
   * The next part's early sessions. With them a part sets aside only its open sessions that
   * continue and completes the rest itself, on its own core; without, it sets all open ones aside.
   */
  receiveLaterEarly?(): Promise<Set<string>>;
}

export const ALONE: PartExchange = { sendOpenAtEnd: () => {}, receiveContinuing: async () => new Set() };

export async function readPart(job: PartJob, exchange: PartExchange = ALONE): Promise<PartResult> {
  const options = job.segmentWords ? { ...job.options, wordSegmenter: jiebaWords() } : job.options;
  const part = new LogPart(options, new RuleBook(options), job.bounds);
  // The previous part may finish first: then this one stops holding its early sessions at once.
  const continuing = exchange.receiveContinuing();
  void continuing.then((names) => part.continueFrom(names));
  if (exchange.sendEarly) part.reportEarlyTo(exchange.sendEarly);
  const reader = part.messagesCsv(job.file);
  const file = await open(job.path, "r");
  try {
    await feedChunks(chunksOf(file, job.start, job.end), reader, job.header);
  } finally {
    await file.close();
  }
  part.sendEarly();
  const laterEarly = job.bounds.exportOpenAtEnd ? await exchange.receiveLaterEarly?.() : undefined;
  exchange.sendOpenAtEnd(part.openAtEnd(laterEarly));
  part.endMessages(await continuing);
  return { state: part.state(), lines: reader.linesRead - 1 };
}

const FIRST_PART_SHARE = 1.04;

export interface Split {
  header: Uint8Array;
  /** Byte offsets where parts start (the first is just after the header), and the file size. */
  cuts: number[];
}

/** Cuts a messages CSV into `parts` byte ranges at line starts; null if it cannot (small or odd). */
export async function splitFile(path: string, parts: number, size: number): Promise<Split | null> {
  const file = await open(path, "r");
  try {
    const head = new Uint8Array(Math.min(size, 1 << 20));
    await file.read(head, 0, head.length, 0);
    let names: string[] = [];
    let headerEnd = -1;
    new CsvScanner().scan(
      head,
      head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0,
      head.length,
      false,
      (r) => {
        names = Array.from({ length: r.count }, (_, k) => fieldText(r, k).trim().toLowerCase());
      },
      1,
    );
    headerEnd = head.indexOf(10) + 1;
    const tsColumn = names.indexOf("ts");
    if (headerEnd <= 0 || tsColumn < 0) return null;
    const cuts = [headerEnd];
    const window = new Uint8Array(1 << 20);
    for (let k = 1; k < parts; k++) {
      // Workers start later (their modules load first) and the last one also finishes the
      // sessions it held: the first part, read by the calling thread, takes a little more.
      const at = Math.min(size - 1, Math.floor(((size * k) / parts) * FIRST_PART_SHARE));
      const { bytesRead } = await file.read(window, 0, window.length, at);
      const start = findLineStart(window, 0, bytesRead, names.length, tsColumn);
      if (start < 0 || at + start <= cuts[cuts.length - 1]!) return null;
      cuts.push(at + start);
    }
    cuts.push(size);
    return { header: head.slice(0, headerEnd), cuts };
  } finally {
    await file.close();
  }
}

/** The typed arrays of a part's state, moved (not copied) to the thread that combines. */
export function transferablesOf(state: PartState): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const visit = (value: unknown): void => {
    if (ArrayBuffer.isView(value)) buffers.add(value.buffer as ArrayBuffer);
    else if (Array.isArray(value)) for (const v of value) visit(v);
    else if (value && typeof value === "object") for (const v of Object.values(value)) visit(v);
  };
  visit(state);
  return [...buffers];
}
