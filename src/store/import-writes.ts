import { and, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { MetricValue, MetricValues } from "../engine/index.ts";
import { recordAudits } from "./audit-repo.ts";
import { type Queryable, rowsOf } from "./database.ts";
import { figuresOfText } from "./figures-text.ts";
import type { BatchCensus } from "./import-census.ts";
import type { AgentDayCounts, ImportOptions } from "./import-options.ts";
import { STAGING_TABLE, type Staging } from "./import-staging.ts";
import { agentDays } from "./schema.ts";

/**
 * Moving a batch's staged agent-days (import-staging.ts) into agent_days, in the import's
 * transaction, a range of days at a time: when the source has nothing stored for those days (a
 * first import, the usual case), by plain INSERT … SELECT; otherwise each row compared with what
 * the source had stored: counted, the changed days kept (their periods are owed a re-score),
 * and every replaced or filled figure audited. Only rows whose stored text differs come back to
 * be compared: what grows with the batch stays in the database.
 */

const AUDIT_CHUNK = 1000;

interface StoredAgentDay {
  values: MetricValues;
  pending: string[];
}

interface Run {
  source: string;
  runId: number;
  options: ImportOptions;
}

export interface WrittenAgentDays {
  counts: AgentDayCounts;
  /** Days with a new or changed agent-day. */
  changedDays: Set<string>;
}

export async function writeAgentDays(
  tx: Queryable,
  staging: Staging,
  census: BatchCensus,
  run: Run,
): Promise<WrittenAgentDays> {
  const written: WrittenAgentDays = {
    counts: { new: 0, replaced: 0, filled: 0, unchanged: 0 },
    changedDays: new Set(),
  };
  if (staging.rows === 0) return written;
  // A source's first file for these days (the usual case) has nothing to compare with or replace.
  const compareStored = await anyStored(tx, census, run.source);
  await tx.execute(sql.raw(`CREATE INDEX ON ${STAGING_TABLE} (day)`));
  let done = 0;
  for (const { from, to, rows } of dayRanges(staging.rowsByDay)) {
    if (!compareStored) {
      const inserted = affectedRows(
        await tx.execute(sql`${insertStaged(run)} ${FROM_STAGED} ${between(from, to)}`),
      );
      if (inserted !== rows) throw unmatched(inserted, rows);
      written.counts.new += inserted;
    } else {
      const differing = await upsertDays(tx, from, to, run);
      const audited: AgentDayChange[] = [];
      for (const row of differing) {
        const change = compare(row, row.before);
        written.counts[change.kind]++;
        if (change.kind !== "unchanged") written.changedDays.add(row.day);
        if (change.kind === "replaced" || change.kind === "filled") audited.push(change);
      }
      written.counts.unchanged += rows - differing.length;
      await auditChanges(tx, audited, run);
    }
    done += rows;
    run.options.onProgress?.(done, census.records);
  }
  if (!compareStored) for (const day of staging.rowsByDay.keys()) written.changedDays.add(day);
  return written;
}

/**
 * Rows moved per statement, about: whole days, as few as make it. The statements only report
 * progress and bound what a comparison brings back; the rows are already in the database.
 */
const MOVE_ROWS = 10_000;

/** The staged days in order, gathered into ranges of about MOVE_ROWS rows. */
function dayRanges(rowsByDay: ReadonlyMap<string, number>): { from: string; to: string; rows: number }[] {
  const ranges: { from: string; to: string; rows: number }[] = [];
  let current: { from: string; to: string; rows: number } | undefined;
  for (const day of [...rowsByDay.keys()].sort()) {
    const rows = rowsByDay.get(day)!;
    if (current && current.rows + rows <= MOVE_ROWS) {
      current.to = day;
      current.rows += rows;
    } else {
      current = { from: day, to: day, rows };
      ranges.push(current);
    }
  }
  return ranges;
}

const between = (from: string, to: string) => sql`WHERE s.day BETWEEN ${from}::date AND ${to}::date`;

const unmatched = (stored: number, staged: number) =>
  new Error(`stored ${stored} of the ${staged} agent-days read: some found no agent`);

/** Rows a statement wrote: postgres.js counts them on its result, PGlite in affectedRows. */
function affectedRows(result: unknown): number {
  const r = result as { count?: number; affectedRows?: number };
  return r.count ?? r.affectedRows ?? 0;
}

/** The staged rows with their agents, found by account (every account is resolved or created by now). */
const FROM_STAGED = sql.raw(`FROM ${STAGING_TABLE} s
  JOIN agent_accounts a ON a.shop_id = s.shop_id AND a.account = s.account`);

const insertStaged = (run: Run) => sql`INSERT INTO agent_days
    (shop_id, agent_id, day, source, values, pending, import_run_id, updated_at)
  SELECT s.shop_id, a.agent_id, s.day, ${run.source}::text, s.figures, s.pending,
    ${run.runId}::integer, ${run.options.now.toISOString()}::timestamptz`;

/** Whether the source has any row on the batch's shops between its first and last day. */
async function anyStored(tx: Queryable, census: BatchCensus, source: string): Promise<boolean> {
  let first: string | undefined;
  let last = "";
  for (const day of census.days) {
    if (first === undefined || day < first) first = day;
    if (day > last) last = day;
  }
  if (first === undefined) return false;
  const found = await tx
    .select({ day: agentDays.day })
    .from(agentDays)
    .where(
      and(
        eq(agentDays.source, source),
        gte(agentDays.day, first),
        lte(agentDays.day, last),
        inArray(agentDays.shopId, [...census.accounts.keys()]),
      ),
    )
    .limit(1);
  return found.length > 0;
}

interface DifferingRow extends AgentDayRow {
  before: StoredAgentDay | undefined;
}

export interface AgentDayRow {
  shopId: string;
  agentId: string;
  day: string;
  values: MetricValues;
  pending: string[];
}

/**
 * Upserts a range of days' staged rows and returns those whose stored text was absent or other: the
 * WITH queries see the table as it was before the INSERT beside them.
 */
async function upsertDays(tx: Queryable, from: string, to: string, run: Run): Promise<DifferingRow[]> {
  const result = await tx.execute(sql`WITH input AS (
      SELECT s.shop_id, a.agent_id, s.day, s.figures, s.pending ${FROM_STAGED} ${between(from, to)}),
    stored AS (
      SELECT t.shop_id, t.agent_id, t.day, t.values, t.pending FROM agent_days t
      WHERE t.day BETWEEN ${from}::date AND ${to}::date AND t.source = ${run.source}::text),
    written AS (${insertStaged(run)} ${FROM_STAGED} ${between(from, to)}
      ON CONFLICT (shop_id, agent_id, day, source) DO UPDATE SET
        values = excluded.values,
        pending = excluded.pending,
        import_run_id = excluded.import_run_id,
        updated_at = excluded.updated_at
      RETURNING 1)
    SELECT i.shop_id, i.agent_id, i.day::text AS day, i.figures, i.pending::text AS pending,
      st.values AS stored_values, st.pending::text AS stored_pending
    FROM input i LEFT JOIN stored st ON st.day = i.day AND st.shop_id = i.shop_id AND st.agent_id = i.agent_id
    WHERE st.values IS DISTINCT FROM i.figures OR st.pending IS DISTINCT FROM i.pending`);
  return rowsOf<DifferingText>(result).map((row) => ({
    shopId: row.shop_id,
    agentId: row.agent_id,
    day: row.day,
    values: figuresOfText(row.figures),
    pending: JSON.parse(row.pending) as string[],
    before:
      row.stored_values === null
        ? undefined
        : { values: figuresOfText(row.stored_values), pending: JSON.parse(row.stored_pending!) as string[] },
  }));
}

interface DifferingText {
  shop_id: string;
  agent_id: string;
  day: string;
  figures: string;
  pending: string;
  stored_values: string | null;
  stored_pending: string | null;
}

const NO_METRICS: string[] = [];

function compare(row: AgentDayRow, before: StoredAgentDay | undefined): AgentDayChange {
  const { agentId, shopId, day } = row;
  if (!before) return { agentId, shopId, day, kind: "new", metrics: NO_METRICS };
  const ids = new Set([...Object.keys(before.values), ...Object.keys(row.values), ...before.pending]);
  const metrics = [...ids].filter(
    (id) =>
      !sameValue(before.values[id], row.values[id]) ||
      before.pending.includes(id) !== row.pending.includes(id),
  );
  const onlyFilled =
    metrics.length > 0 && metrics.every((id) => before.pending.includes(id) && !row.pending.includes(id));
  const kind = metrics.length === 0 ? "unchanged" : onlyFilled ? "filled" : "replaced";
  return { agentId, shopId, day, kind, metrics };
}

function sameValue(a: MetricValue | undefined, b: MetricValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.num === b.num &&
    a.den === b.den &&
    (a.finished ?? false) === (b.finished ?? false) &&
    a.approx === b.approx &&
    (a.needs ?? []).join("\u0000") === (b.needs ?? []).join("\u0000") &&
    a.base?.num === b.base?.num &&
    a.base?.den === b.base?.den
  );
}

interface AgentDayChange {
  agentId: string;
  shopId: string;
  day: string;
  kind: keyof AgentDayCounts;
  /** Metric ids whose figure changed (for replaced and filled). */
  metrics: string[];
}

async function auditChanges(tx: Queryable, changes: AgentDayChange[], run: Run): Promise<void> {
  const { runId, options } = run;
  const entries = changes.map((c) => ({
    at: options.now,
    actor: options.actor,
    action: c.kind === "filled" ? "import.fill-pending" : "import.replace",
    subject: `agent:${c.agentId} ${c.day}`,
    detail: { importRun: runId, shop: c.shopId, metrics: c.metrics, file: options.fileName ?? null },
  }));
  for (let i = 0; i < entries.length; i += AUDIT_CHUNK)
    await recordAudits(tx, entries.slice(i, i + AUDIT_CHUNK));
}
