import type { Conversation, MetricValues } from "../engine/index.ts";

/**
 * What every source hands to the importer: per agent-day figures, the facts behind them, and
 * every row it could not take. A source never writes to the database; the importer stores a
 * batch in one transaction, or nothing of it when a single row was rejected.
 */

export interface AgentDayRecord {
  /** 1-based line (CSV) or row (xlsx) of the file, for error reports; 0 when not from a file. */
  line: number;
  /** Shop (its id or configured name) when the file names it; otherwise the importer uses the shop it was told. */
  shop?: string;
  /** The agent as the platform names them (客服昵称 / account), resolved to an agent by the importer. */
  agent: string;
  /** Shop-local day, YYYY-MM-DD; absent when the file has no date column (the import's --date then). */
  day?: string;
  /** Numerators and denominators by metric id, ready for the scoring engine. */
  values: MetricValues;
  /**
   * Metrics whose figure is not final yet (Chitu's 延迟统计; resolution within its 72 h): stored as
   * pending, filled in by a later import. A pending metric may also have a provisional value.
   */
  pending: string[];
}

/** A raw fact behind a number, for nudges and escalations. */
export interface SourceFact {
  kind: "long_wait" | "forbidden_phrase" | "low_rating" | "bad_review";
  shop?: string;
  /** Agent as the platform names them; null when nobody could be attributed. */
  agent: string | null;
  /** Shop-local day the fact belongs to, YYYY-MM-DD. */
  day: string;
  /** ISO-8601 with offset. */
  at: string;
  /** The session or order it is about; with kind and agent it identifies the fact across re-imports. */
  ref: string;
  detail: Record<string, string | number | boolean | null>;
}

/** One rejected row: where, what and why (`row 14, column 首次响应时间: "abc" is not a duration`). */
export interface RowProblem {
  line: number;
  column?: string;
  value?: string;
  reason: string;
}

export interface SourceBatch {
  /** Which source produced it: "chitu", "jd", "generic", "chatlog", "http", "demo" … */
  source: string;
  records: AgentDayRecord[];
  facts: SourceFact[];
  problems: RowProblem[];
  /**
   * The conversations behind the figures, when the source has them (a chat log, the demo): what
   * quality review samples from and the gaming detectors read. Stored with the batch.
   */
  conversations?: Conversation[];
  /** The same, read a chunk at a time (a chat log read again): for more than memory holds. */
  conversationChunks?: ConversationChunks;
}

/**
 * A source's conversations, read from their start each time they are asked for, a chunk at a
 * time: the importer keeps of each chunk only what the weekly sample could pick (per agent-day,
 * a bottom-k of each stratum) and lets the rest go.
 */
export interface ConversationChunks {
  read(): AsyncIterable<readonly Conversation[]>;
}

/** Some of a file's rows, in their order: the records they gave, and the rows that gave none. */
export interface RecordChunk {
  records: AgentDayRecord[];
  problems: RowProblem[];
}

/**
 * A file's records, read again from its start each time they are asked for, a chunk at a time.
 * The importer reads them once for their problems, agents and days, and once more to store
 * them: a month of a big shop is 1.5 million agent-days (about 1.2 GB as records), never held
 * whole. A reading throws when the file is not what an earlier reading found.
 */
export interface RecordChunks {
  read(): AsyncIterable<RecordChunk>;
}

/** A batch read from its file as it is stored: `problems` are those found before its rows (its header's). */
export interface StreamedBatch {
  source: string;
  records: RecordChunks;
  facts: SourceFact[];
  problems: RowProblem[];
  conversationChunks?: ConversationChunks;
}

export function formatProblem(problem: RowProblem): string {
  const where =
    problem.column === undefined ? `line ${problem.line}` : `line ${problem.line}, column ${problem.column}`;
  const value = problem.value === undefined ? "" : ` ${JSON.stringify(problem.value)}`;
  return `${where}:${value} ${problem.reason}`;
}
