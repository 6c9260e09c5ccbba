import { open, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { Combined, type SideRecords } from "../engine/chatlog/combine.ts";
import { type JoinedSession, LogPart, type PartState } from "../engine/chatlog/log-part.ts";
import type { ChatlogResult } from "../engine/chatlog/result.ts";
import { type ChatlogOptions, DEFAULT_SESSION_GAP, RuleBook } from "../engine/chatlog/rules.ts";
import { DoneSessions } from "../engine/chatlog/session-index.ts";
import { type PartExchange, type PartJob, type PartResult, readPart, splitFile } from "./chatlog-parts.ts";

/**
 * Reads a large messages CSV on several cores: the file is cut into byte ranges at line starts,
 * each range is read by its own thread into a PartState, and the parts are combined.
 *
 * A session may be cut by a boundary (a session's lines lie within the session gap of each
 * other). Part k + 1 tells part k which sessions it saw first in its first session-gap lines, as
 * soon as it has read them; when part k has read its range, it sets aside those of its
 * still-open sessions that part k + 1 saw early, completes the others itself, and passes the
 * set-aside names to part k + 1, which sets aside its lines of them. This thread joins the
 * set-aside lines and walks each such session once: only sessions that really cross a boundary
 * wait for it, so both cores stay busy to the end.
 */

/** Below this size one core is quicker than starting workers. */
export const PARALLEL_MIN_BYTES = 32 << 20;

export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

const SEQ_PART = 2 ** 40; // line positions of part k start at k × 2^40

/** A set of names that some part sends once and another waits for. */
class Letter {
  send: (names: string[]) => void = () => {};
  readonly received = new Promise<Set<string>>((resolve) => {
    this.send = (names) => resolve(new Set(names));
  });
}

/**
 * Passes each part's open-at-end names to the next part, and each part's early sessions (first
 * seen in its first lines) to the part before.
 */
class Relay {
  private readonly openAtEnd: Letter[];
  private readonly early: Letter[];

  constructor(private readonly parts: number) {
    this.openAtEnd = Array.from({ length: parts }, () => new Letter());
    this.early = Array.from({ length: parts }, () => new Letter());
  }

  exchange(k: number): PartExchange {
    const last = k === this.parts - 1;
    return {
      sendOpenAtEnd: (names) => this.openAtEnd[k]!.send(names),
      receiveContinuing: () => (k === 0 ? Promise.resolve(new Set()) : this.openAtEnd[k - 1]!.received),
      sendEarly: (names) => this.early[k]!.send(names),
      receiveLaterEarly: () => (last ? Promise.resolve(new Set()) : this.early[k + 1]!.received),
    };
  }
}

/** The worker's entry: the compiled one in dist/, or a tsx bootstrap when running from sources. */
const workerEntry = import.meta.url.endsWith(".ts")
  ? new URL("./chatlog-worker-tsx.mjs", import.meta.url)
  : new URL("./chatlog-worker.js", import.meta.url);

function runWorker(job: PartJob, exchange: PartExchange): Promise<PartResult> {
  return new Promise((resolve, reject) => {
    // A worker allocates little that is short-lived; a small young generation keeps its memory down.
    const worker = new Worker(workerEntry, {
      workerData: job,
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    void exchange.receiveContinuing().then((names) => worker.postMessage({ continuing: [...names] }));
    void exchange.receiveLaterEarly?.().then((names) => worker.postMessage({ laterEarly: [...names] }));
    type Message = { openAtEnd?: string[]; early?: string[]; result?: PartResult; error?: string };
    worker.on("message", (message: Message) => {
      if (message.openAtEnd) exchange.sendOpenAtEnd(message.openAtEnd);
      else if (message.early) exchange.sendEarly?.(message.early);
      else {
        if (message.result) resolve(message.result);
        else reject(new Error(`a reading thread failed: ${message.error}`));
        void worker.terminate();
      }
    });
    worker.once("error", reject);
  });
}

/**
 * Reads `path` with `threads` threads (this one included). Returns null when the file is too
 * small or cannot be cut safely, so the caller reads it on one core.
 */
/** The jobs reading `path` in `parts` byte ranges (null if it cannot be cut safely). */
export async function partJobs(
  path: string,
  file: string,
  options: ChatlogOptions,
  parts: number,
): Promise<PartJob[] | null> {
  const { size } = await stat(path);
  const split = await splitFile(path, parts, size);
  if (!split) return null;
  const gap = options.sessionGap ?? DEFAULT_SESSION_GAP;
  const count = split.cuts.length - 1;
  const { wordSegmenter, ...sendable } = options;
  return Array.from({ length: count }, (_, k) => ({
    path,
    file,
    header: split.header,
    start: split.cuts[k]!,
    end: split.cuts[k + 1]!,
    options: sendable,
    segmentWords: wordSegmenter !== undefined,
    bounds: { holdFirstLines: k > 0 ? gap : 0, exportOpenAtEnd: k < count - 1, seqBase: k * SEQ_PART },
  }));
}

/**
 * A part must be several session gaps long to pay: a later part holds the sessions it first sees
 * within one gap of its start until it knows which began in the part before.
 */
const GAPS_PER_PART = 4;

/** How many parts a file of `size` bytes is worth, from the length of its first lines. */
async function worthwhileParts(path: string, size: number, threads: number, gap: number): Promise<number> {
  const file = await open(path, "r");
  try {
    const sample = new Uint8Array(Math.min(size, 1 << 20));
    const { bytesRead } = await file.read(sample, 0, sample.length, 0);
    let lines = 0;
    for (let i = 0; i < bytesRead; i++) if (sample[i] === 10) lines++;
    const estimated = lines > 0 ? (size / bytesRead) * lines : 0;
    return Math.min(threads, Math.floor(estimated / (GAPS_PER_PART * gap)));
  } finally {
    await file.close();
  }
}

/**
 * Reads `path` with up to `threads` threads (this one included). Returns null when the file is
 * too small to gain from it or cannot be cut safely, so the caller reads it on one core.
 * `minBytes` 0 forces `threads` parts whatever the size (tests).
 */
export async function readMessagesInParallel(
  path: string,
  file: string,
  options: ChatlogOptions,
  threads: number,
  sides: SideRecords,
  minBytes = PARALLEL_MIN_BYTES,
): Promise<ChatlogResult | null> {
  // A file that cannot be read is left to the one-core reader, which says why.
  const size = await stat(path).then(
    (s) => s.size,
    () => -1,
  );
  if (threads < 2 || size < minBytes || size <= 0) return null;
  const gap = options.sessionGap ?? DEFAULT_SESSION_GAP;
  const parts = minBytes === 0 ? threads : await worthwhileParts(path, size, threads, gap);
  if (parts < 2) return null;
  const jobs = await partJobs(path, file, options, parts);
  if (!jobs) return null;
  const relay = new Relay(jobs.length);
  // This thread reads the first part while workers read the others.
  const results = await Promise.all(
    jobs.map((job, k) => (k === 0 ? readPart(job, relay.exchange(0)) : runWorker(job, relay.exchange(k)))),
  );
  return combineParts(results, options, file, sides);
}

/** The parts' states put together, boundary sessions joined, the figures finished. */
export function combineParts(
  results: readonly PartResult[],
  options: ChatlogOptions,
  file: string,
  sides: SideRecords,
): ChatlogResult {
  const rulebook = new RuleBook(options);
  const combined = new Combined(options, rulebook);
  let lineOffset = 0;
  for (const result of results) {
    combined.add(result.state, lineOffset);
    lineOffset += result.lines;
  }
  combined.add(
    joinBoundarySessions(
      results.map((r) => r.state),
      options,
      rulebook,
      file,
    ),
    0,
  );
  return combined.finish(sides);
}

/** Joins the lines of sessions cut by part boundaries and walks each whole session once. */
function joinBoundarySessions(
  states: PartState[],
  options: ChatlogOptions,
  rulebook: RuleBook,
  file: string,
): PartState {
  const joiner = new LogPart(options, rulebook);
  const byName = new Map<string, { part: number; index: number }[]>();
  states.forEach((state, part) => {
    state.boundary.names.forEach((name, index) => {
      const pieces = byName.get(name);
      if (pieces) pieces.push({ part, index });
      else byName.set(name, [{ part, index }]);
    });
  });
  const agentMaps = states.map(() => new Map<number, number>());
  const agentOf = (part: number, id: number) => {
    if (id < 0) return -1;
    let mapped = agentMaps[part]!.get(id);
    if (mapped === undefined) {
      mapped = joiner.agents.internFrom(states[part]!.agents, id);
      agentMaps[part]!.set(id, mapped);
    }
    return mapped;
  };
  for (const [name, pieces] of byName) {
    const lines: { part: number; at: number }[] = [];
    for (const { part, index } of pieces) {
      const b = states[part]!.boundary;
      for (let i = 0; i < b.counts[index]!; i++) lines.push({ part, at: b.starts[index]! + i });
    }
    const of = (l: { part: number }) => states[l.part]!.boundary;
    lines.sort((x, y) => of(x).ts[x.at]! - of(y).ts[y.at]! || of(x).seq[x.at]! - of(y).seq[y.at]!);
    const first = states[pieces[0]!.part]!.boundary;
    const joined: JoinedSession = {
      name,
      shop: first.shops[pieces[0]!.index]!,
      customer:
        pieces.map((p) => states[p.part]!.boundary.customers[p.index]!).find((c) => c !== null) ?? null,
      count: lines.length,
      ts: Float64Array.from(lines, (l) => of(l).ts[l.at]!),
      seq: Float64Array.from(lines, (l) => of(l).seq[l.at]!),
      kind: Uint8Array.from(lines, (l) => of(l).kind[l.at]!),
      agent: Int32Array.from(lines, (l) => agentOf(l.part, of(l).agent[l.at]!)),
      toAgent: Int32Array.from(lines, (l) => agentOf(l.part, of(l).toAgent[l.at]!)),
      note: Int16Array.from(lines, (l) => of(l).note[l.at]!),
      sentences: new Map(
        lines.flatMap((l) => {
          const sentence = of(l).sentences.get(of(l).seq[l.at]!);
          return sentence === undefined ? [] : [[of(l).seq[l.at]!, sentence] as const];
        }),
      ),
    };
    joiner.walkJoined(joined, joined.agent, joined.toAgent);
  }
  checkSplitSessions(states, byName, joiner, file);
  joiner.endMessages();
  return joiner.state();
}

/**
 * A session open at the end of one part whose later lines the next part completed on its own
 * broke the input contract (a session's lines lie within the session gap of each other): the
 * single-core reader reports that as a late line, and so must this one.
 */
function checkSplitSessions(
  states: PartState[],
  byName: Map<string, { part: number }[]>,
  joiner: LogPart,
  file: string,
): void {
  const encoder = new TextEncoder();
  states.forEach((state, part) => {
    const next = states[part + 1];
    const open = [...state.boundary.names, ...state.boundary.completedAtEnd];
    if (!next || open.length === 0) return;
    const nextSessions = new DoneSessions(false, next.done);
    for (const name of open) {
      if (byName.get(name)?.some((p) => p.part === part + 1)) continue;
      if (nextSessions.has(encoder.encode(name))) {
        joiner.problem(
          file,
          0,
          `session ${name} continues more than the session gap of lines after it paused; keep a session's lines closer together or raise the session gap`,
        );
      }
    }
  });
}
