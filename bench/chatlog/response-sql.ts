/**
 * The five response metrics of docs/chatlog.md (`generic` profile) in SQL: first_response_time,
 * response_30s_rate, avg_response_time, reply_rate and qa_ratio, per (shop, agent, session day).
 * DuckDB (bench/chatlog/duckdb.ts) and PostgreSQL (bench/chatlog/postgres.ts) run the same query,
 * written from the document as an independent cross-check of the streaming TypeScript engine.
 *
 * How the document's rules become one sort with a window pass, then a per-session and a final
 * aggregation (no self-joins, no correlated subqueries):
 *
 * - A transfer ends the current segment, so every segment but a session's last is transferred
 *   out, and only the last one can be a counted segment. It starts at the session's last
 *   transfer (or with the session) and is owned by that transfer's `to_agent` (or, with no
 *   transfer, by the first non-empty `agent` of the session).
 * - A run is waiting just before a line exactly when the session's latest customer message so
 *   far is later than its latest human reply so far: replies answer runs in any segment, and a
 *   run waiting at a transfer carries over to the receiver. So, walking the session in time
 *   order, a customer message with nothing waiting starts a run, and a human reply with
 *   something waiting answers one (the oldest waiting run, which is the only one).
 * - The last segment's runs are the run carried over at the last transfer (start = transfer
 *   time) and the runs started after it. Its first run is the carried one if any, else the one
 *   started by its first customer message; the first answering reply after the transfer answers
 *   it. Σ waits of answered runs = Σ times of answering replies − Σ starts of answered runs.
 * - Messages count for qa_ratio in the segment in whose time span they were sent. An agent's
 *   message before the session's first customer message is no reply: the session's first
 *   segment opens at that message (docs/chatlog.md, under concurrent_sessions), and a greeting
 *   after a transfer-in but before the customer writes replies to nothing either.
 */
import { open } from "node:fs/promises";

/** Response figures of one agent on one session day in one shop; see docs/chatlog.md. */
export interface ResponseRow {
  shop: string;
  agent: string;
  day: string; // session day, YYYY-MM-DD, shop-local (Asia/Shanghai default)
  frtMs: number; // Σ wait (ms) of the first run of counted segments whose first run is answered
  frtCount: number; // those segments
  within30s: number; // counted segments whose first run was answered within 30,000 ms (≤)
  counted: number; // counted segments
  artMs: number; // Σ wait (ms) of every answered run of counted segments
  artCount: number; // answered runs
  answered: number; // counted segments whose first run is answered (reply_rate numerator)
  replies: number; // human agent replies (from=agent, event=message) in counted segments
  customerMessages: number; // customer messages (from=customer, event message|leave_message) sent within counted segments' time spans
}

export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

/** The messages columns the response metrics read; `customer` and `text` play no part in them. */
const REQUIRED_COLUMNS = ["ts", "session", "from"] as const;
export const OPTIONAL_COLUMNS = ["shop", "agent", "event", "to_agent"] as const;

/**
 * What differs between the engines: text timestamp to epoch ms, epoch ms to a local day, and
 * the first non-empty agent of a session (DuckDB has arg_min; PostgreSQL counts in the window).
 */
export interface SqlDialect {
  /** Epoch milliseconds (BIGINT) of an ISO-8601 text timestamp with offset. */
  epochMs(isoText: string): string;
  /** 'YYYY-MM-DD' text of the local calendar day of epoch ms `ms` in time zone `timeZone` (a SQL literal). */
  localDay(ms: string, timeZone: string): string;
  /** An extra column of `walked` (over window before_line) that firstAgentAggregate needs, if any. */
  firstAgentWindow?: string;
  /** Aggregate over a session's lines: the first non-empty agent in time order. */
  firstAgentAggregate: string;
}

export const duckdbDialect: SqlDialect = {
  epochMs: (isoText) => `epoch_ms(CAST(${isoText} AS TIMESTAMPTZ))`,
  // to_timestamp(double) is exact at whole seconds, so a day boundary can't move by rounding.
  localDay: (ms, timeZone) => `strftime(timezone(${timeZone}, to_timestamp(${ms} / 1000.0)), '%Y-%m-%d')`,
  firstAgentAggregate: "arg_min(agent, ts_ms) FILTER (WHERE agent <> '')",
};

export const postgresDialect: SqlDialect = {
  // date_part returns float8 seconds (fast, unlike numeric extract); × 1000 and rounding gives
  // the exact integer ms for millisecond-precision input.
  epochMs: (isoText) => `round(date_part('epoch', CAST(${isoText} AS timestamptz)) * 1000)::bigint`,
  localDay: (ms, timeZone) => `to_char(to_timestamp(${ms} / 1000.0) AT TIME ZONE ${timeZone}, 'YYYY-MM-DD')`,
  // No arg_min in PostgreSQL: count the non-empty agents before each line in the window pass.
  firstAgentWindow: "count(*) FILTER (WHERE agent <> '') OVER before_line AS agents_before",
  firstAgentAggregate: "min(agent) FILTER (WHERE agent <> '' AND agents_before = 0)",
};

/** A SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A SQL quoted identifier. */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Throws for a time zone name the runtime does not know (DuckDB would silently fall back to UTC). */
export function checkTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    throw new Error(`unknown time zone: ${timeZone}`);
  }
  return timeZone;
}

/**
 * Column names of a CSV header line (RFC 4180 quoting, UTF-8 BOM dropped). Columns are matched
 * by name, so the file may order them as it likes.
 */
export function parseCsvHeader(firstLine: string): string[] {
  const line = firstLine.replace(/^\uFEFF/, "").replace(/\r?\n$/, "");
  const names: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      names.push(current);
      current = "";
    } else current += char;
  }
  names.push(current);
  return names.map((name) => name.trim());
}

/** The column names in the first line of the CSV file at `path`. */
export async function readCsvHeader(path: string): Promise<string[]> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString("utf8");
    const end = text.indexOf("\n");
    return parseCsvHeader(end < 0 ? text : text.slice(0, end));
  } finally {
    await file.close();
  }
}

/**
 * `SELECT` of the columns the query reads, by name, from `relation` whose columns are `header`
 * (all text); optional columns the file lacks read as NULL.
 */
export function messagesSelect(
  header: readonly string[],
  relation: string,
  optional: readonly string[] = OPTIONAL_COLUMNS,
): string {
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new Error(`messages file lacks column(s): ${missing.join(", ")}`);
  const columns = [...REQUIRED_COLUMNS, ...optional].map((column) =>
    header.includes(column)
      ? `${sqlIdentifier(column)} AS ${sqlIdentifier(column)}`
      : `CAST(NULL AS VARCHAR) AS ${sqlIdentifier(column)}`,
  );
  return `SELECT ${columns.join(", ")} FROM ${relation}`;
}

/**
 * The query: `messages` is a SELECT yielding text columns ts, session, from, shop, agent,
 * event, to_agent (NULL or '' when empty). Returns the ResponseRow columns, one row per
 * (shop, agent, day) with a counted segment.
 *
 * Lines of one session never share a timestamp (the benchmark generator guarantees it), so
 * ordering a session by ts is total and "before"/"after" are strict. Session ids are global
 * (ratings name a session without its shop), so a session is keyed by its id alone.
 */
export function responseMetricsSql(dialect: SqlDialect, messages: string, timeZone: string): string {
  const zone = sqlString(checkTimeZone(timeZone));
  return `
WITH
-- lines: one typed row per message line. Both CSV readers turn empty fields into NULL (or '');
-- an empty event is a message. An exchange is a customer message or a human reply; packing its
-- time and kind into one number (ms × 2, + 1 for the customer) lets one max() tell which came last.
lines AS (
  SELECT
    coalesce(shop, '') AS shop,
    session,
    ts_ms,
    coalesce(agent, '') AS agent,
    coalesce(to_agent, '') AS to_agent,
    is_customer_message,
    is_human_reply,
    coalesce(event = 'transfer', false) AS is_transfer,
    coalesce(event = 'leave_message', false) AS is_leave_message,
    CASE
      WHEN is_customer_message THEN ts_ms * 2 + 1
      WHEN is_human_reply THEN ts_ms * 2
    END AS exchange
  FROM (
    SELECT *,
      ${dialect.epochMs("ts")} AS ts_ms,
      ("from" = 'customer' AND coalesce(nullif(event, ''), 'message') IN ('message', 'leave_message')) AS is_customer_message,
      ("from" = 'agent' AND coalesce(nullif(event, ''), 'message') = 'message') AS is_human_reply
    FROM (${messages}) AS messages
  ) AS typed
),
-- walked: the one sort and window pass, over each session in time order: the latest exchange
-- before each line; and session-wide, the last transfer and the first customer message.
walked AS (
  SELECT
    *,
    max(exchange) OVER before_line AS exchange_before,${dialect.firstAgentWindow ? `\n    ${dialect.firstAgentWindow},` : ""}
    max(ts_ms) FILTER (WHERE is_transfer) OVER whole_session AS last_transfer_ms,
    min(ts_ms) FILTER (WHERE is_customer_message) OVER whole_session AS first_customer_ms
  FROM lines
  WINDOW
    before_line AS (PARTITION BY session ORDER BY ts_ms ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
    whole_session AS (PARTITION BY session)
),
-- classified: each line's part in the runs. A run is waiting just before a line when the
-- latest exchange before it is a customer message (replies answer runs in any segment, and a
-- run waiting at a transfer carries over), so a customer message with nothing waiting starts a
-- run and a human reply with something waiting answers one. in_last_segment: sent in the time
-- span of the last segment. An agent message before the session's first customer message (a
-- greeting) replies to nothing: it does not count for qa_ratio, in any segment.
classified AS (
  SELECT
    *,
    (last_transfer_ms IS NULL OR ts_ms > last_transfer_ms) AS in_last_segment,
    (is_human_reply AND coalesce(ts_ms > first_customer_ms, false)) AS replies_to_customer,
    (is_customer_message AND NOT waiting) AS starts_run,
    (is_human_reply AND waiting) AS answers_run,
    (is_transfer AND ts_ms = last_transfer_ms AND waiting) AS carries_run
  FROM (
    SELECT *, coalesce(exchange_before % 2 <> 0, false) AS waiting
    FROM walked
  ) AS with_waiting
),
-- sessions: one row per session summarising its last segment, the only one not transferred
-- out: its owner, whether a run carried over into it, its first customer message and first
-- answer, the times of its answers and run starts, and whether the session ends waiting. All
-- lines of a session name the same shop; max() takes it.
sessions AS (
  SELECT
    session,
    max(shop) AS shop,
    min(first_customer_ms) AS first_customer_ms,
    bool_or(is_leave_message) AS has_leave_message,
    max(last_transfer_ms) AS last_transfer_ms,
    CASE WHEN max(last_transfer_ms) IS NULL
      THEN ${dialect.firstAgentAggregate}
      ELSE min(to_agent) FILTER (WHERE is_transfer AND ts_ms = last_transfer_ms)
    END AS owner,
    coalesce(bool_or(carries_run), false) AS has_carried_run,
    coalesce(max(exchange) % 2 <> 0, false) AS ends_waiting,
    min(ts_ms) FILTER (WHERE in_last_segment AND is_customer_message) AS first_customer_in_segment_ms,
    min(ts_ms) FILTER (WHERE in_last_segment AND answers_run) AS first_answer_ms,
    count(*) FILTER (WHERE in_last_segment AND answers_run) AS answered_runs,
    coalesce(sum(ts_ms) FILTER (WHERE in_last_segment AND answers_run), 0) AS answers_ms_sum,
    coalesce(sum(ts_ms) FILTER (WHERE in_last_segment AND starts_run), 0) AS run_starts_ms_sum,
    max(ts_ms) FILTER (WHERE in_last_segment AND starts_run) AS last_run_start_ms,
    count(*) FILTER (WHERE in_last_segment AND is_customer_message) AS customer_messages,
    count(*) FILTER (WHERE in_last_segment AND replies_to_customer) AS replies
  FROM classified
  GROUP BY session
),
-- counted: the counted segments (a run, not transferred out, no leave_message in the session, an
-- owner) with the wait of their first run (NULL: unanswered) and the Σ wait of their answered
-- runs: answers minus the starts of answered runs. The carried run starts at the transfer and
-- is answered if anything is; a run started in the segment is answered unless it is the last
-- one and the session ends waiting.
counted AS (
  SELECT
    shop, owner AS agent, first_customer_ms, answered_runs, customer_messages, replies,
    first_answer_ms - first_run_start_ms AS first_wait_ms,
    answers_ms_sum
      - CASE WHEN has_carried_run AND first_answer_ms IS NOT NULL THEN last_transfer_ms ELSE 0 END
      - run_starts_ms_sum
      + CASE WHEN ends_waiting THEN coalesce(last_run_start_ms, 0) ELSE 0 END AS answered_waits_ms
  FROM (
    SELECT *,
      CASE WHEN has_carried_run THEN last_transfer_ms ELSE first_customer_in_segment_ms END AS first_run_start_ms
    FROM sessions
  ) AS with_first_run
  WHERE first_run_start_ms IS NOT NULL AND NOT has_leave_message AND owner <> ''
)
-- per (shop, agent, session day): the sums behind the five metrics.
SELECT
  shop,
  agent,
  ${dialect.localDay("first_customer_ms", zone)} AS day,
  CAST(coalesce(sum(first_wait_ms), 0) AS BIGINT) AS "frtMs",
  count(first_wait_ms) AS "frtCount",
  count(*) FILTER (WHERE first_wait_ms <= 30000) AS "within30s",
  count(*) AS counted,
  CAST(sum(answered_waits_ms) AS BIGINT) AS "artMs",
  CAST(sum(answered_runs) AS BIGINT) AS "artCount",
  count(first_wait_ms) AS answered,
  CAST(sum(replies) AS BIGINT) AS replies,
  CAST(sum(customer_messages) AS BIGINT) AS "customerMessages"
FROM counted
GROUP BY 1, 2, 3
`;
}

type SqlNumber = number | bigint | string;

/** A result row of either engine (BIGINT arrives as bigint from DuckDB, as text from postgres.js). */
export type ResponseRowFromSql = { shop: string; agent: string; day: string } & {
  [K in Exclude<keyof ResponseRow, "shop" | "agent" | "day">]: SqlNumber;
};

/** Rows as JS numbers, sorted by shop, agent, day by code unit (independent of database collation). */
export function toResponseRows(rows: readonly ResponseRowFromSql[]): ResponseRow[] {
  return rows
    .map((row) => ({
      shop: row.shop,
      agent: row.agent,
      day: row.day,
      frtMs: Number(row.frtMs),
      frtCount: Number(row.frtCount),
      within30s: Number(row.within30s),
      counted: Number(row.counted),
      artMs: Number(row.artMs),
      artCount: Number(row.artCount),
      answered: Number(row.answered),
      replies: Number(row.replies),
      customerMessages: Number(row.customerMessages),
    }))
    .sort(compareRows);
}

function compareRows(a: ResponseRow, b: ResponseRow): number {
  return compareText(a.shop, b.shop) || compareText(a.agent, b.agent) || compareText(a.day, b.day);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
