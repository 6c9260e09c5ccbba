/**
 * transfer_rate of docs/chatlog.md (`generic` profile) in SQL, per (shop, agent, session day):
 * the agent's segments (receptions, the denominator) and those transferred out not at the
 * customer's request (seed 000: 转接率 不含客户主动要求转接). Written from the document, as a
 * cross-check of the engine, like response-sql.ts; DuckDB and PostgreSQL run the same text.
 *
 * - A session with a customer message is a consultation; its segments are its agents' parts.
 *   The first belongs to the first non-empty `agent` of a line before the session's first
 *   transfer; each transfer hands the session to its `to_agent`.
 * - A transfer before the first customer message only changes hands. Each one after it ends the
 *   segment of the agent who held the session (the previous transfer's receiver, or the first
 *   agent) and counts as that agent's transfer unless `transfer_reason` is `customer_request`.
 * - The session's last segment, the last receiver's (or the first agent's), is not transferred out.
 * Lines of one session never share a timestamp (the generator guarantees it), as in response-sql.ts.
 */
import { checkTimeZone, OPTIONAL_COLUMNS, type SqlDialect, sqlString } from "./response-sql.ts";

/** transfer_rate's numerator and denominator of one agent on one session day in one shop. */
export interface TransferRow {
  shop: string;
  agent: string;
  day: string;
  segments: number;
  transfersOut: number;
}

/** The message columns the query reads besides ts, session and from. */
export const TRANSFER_COLUMNS = [...OPTIONAL_COLUMNS, "transfer_reason"] as const;

export function transferMetricsSql(dialect: SqlDialect, messages: string, timeZone: string): string {
  const zone = sqlString(checkTimeZone(timeZone));
  return `
WITH
lines AS (
  SELECT
    coalesce(shop, '') AS shop,
    session,
    ${dialect.epochMs("ts")} AS ts_ms,
    coalesce(agent, '') AS agent,
    coalesce(to_agent, '') AS to_agent,
    ("from" = 'customer' AND coalesce(nullif(event, ''), 'message') IN ('message', 'leave_message')) AS is_customer_message,
    coalesce(event = 'transfer', false) AS is_transfer,
    coalesce(transfer_reason = 'customer_request', false) AS requested
  FROM (${messages}) AS messages
),
walked AS (
  SELECT
    *,
    min(ts_ms) FILTER (WHERE is_customer_message) OVER (PARTITION BY session) AS first_customer_ms,
    min(ts_ms) FILTER (WHERE is_transfer) OVER (PARTITION BY session) AS first_transfer_ms
  FROM lines
),
-- consultations: sessions with a customer message, on the day of the first one.
consultations AS (
  SELECT session, max(shop) AS shop, min(first_customer_ms) AS first_customer_ms
  FROM walked
  GROUP BY session
  HAVING min(first_customer_ms) IS NOT NULL
),
-- first_agents: the first non-empty agent of a line before the first transfer.
first_agents AS (
  SELECT w.session, w.agent
  FROM walked AS w
  JOIN (
    SELECT session, min(ts_ms) AS ts_ms
    FROM walked
    WHERE agent <> '' AND NOT is_transfer AND (first_transfer_ms IS NULL OR ts_ms < first_transfer_ms)
    GROUP BY session
  ) AS earliest ON earliest.session = w.session AND earliest.ts_ms = w.ts_ms
),
transfers AS (
  SELECT
    session, ts_ms, to_agent, requested,
    lag(to_agent) OVER (PARTITION BY session ORDER BY ts_ms) AS previous_to_agent,
    ts_ms = max(ts_ms) OVER (PARTITION BY session) AS is_last
  FROM walked
  WHERE is_transfer
),
segments AS (
  SELECT c.shop, c.first_customer_ms, coalesce(t.previous_to_agent, a.agent) AS agent, NOT t.requested AS by_agent
  FROM transfers AS t
  JOIN consultations AS c ON c.session = t.session
  LEFT JOIN first_agents AS a ON a.session = t.session
  WHERE t.ts_ms > c.first_customer_ms
  UNION ALL
  SELECT c.shop, c.first_customer_ms, coalesce(t.to_agent, a.agent) AS agent, false AS by_agent
  FROM consultations AS c
  LEFT JOIN transfers AS t ON t.session = c.session AND t.is_last
  LEFT JOIN first_agents AS a ON a.session = c.session
)
SELECT
  shop,
  agent,
  ${dialect.localDay("first_customer_ms", zone)} AS day,
  count(*) AS segments,
  count(*) FILTER (WHERE by_agent) AS "transfersOut"
FROM segments
WHERE agent IS NOT NULL AND agent <> ''
GROUP BY 1, 2, 3
`;
}

type SqlNumber = number | bigint | string;

/** Rows as JS numbers, sorted by shop, agent, day by code unit. */
export function toTransferRows(
  rows: readonly { shop: string; agent: string; day: string; segments: SqlNumber; transfersOut: SqlNumber }[],
): TransferRow[] {
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows
    .map((row) => ({
      shop: row.shop,
      agent: row.agent,
      day: row.day,
      segments: Number(row.segments),
      transfersOut: Number(row.transfersOut),
    }))
    .sort((a, b) => text(a.shop, b.shop) || text(a.agent, b.agent) || text(a.day, b.day));
}
