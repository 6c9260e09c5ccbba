import { and, eq, gte, inArray, lte, type SQL, sql } from "drizzle-orm";
import type { MetricValue, MetricValues } from "../engine/index.ts";
import { recordAudits } from "./audit-repo.ts";
import type { Queryable } from "./database.ts";
import type { BatchCensus } from "./import-census.ts";
import type { AgentDayCounts, ImportOptions } from "./import-options.ts";
import { agentDays } from "./schema.ts";

/**
 * What storing an import's agent-days did, whichever way they went to the database
 * (import-writes.ts, import-copy-writes.ts): each compared with what the source had stored for it,
 * counted, the changed days kept (their periods are owed a re-score), and every replaced or filled
 * figure audited.
 */

const AUDIT_CHUNK = 1000;

export interface AgentDayRow {
  shopId: string;
  agentId: string;
  day: string;
  values: MetricValues;
  pending: string[];
}

export interface StoredAgentDay {
  values: MetricValues;
  pending: string[];
}

export interface ImportRun {
  source: string;
  runId: number;
  options: ImportOptions;
}

export interface WrittenAgentDays {
  counts: AgentDayCounts;
  /** Days with a new or changed agent-day. */
  changedDays: Set<string>;
}

/**
 * The head of both paths' INSERT into agent_days (import-writes.ts, import-copy-writes.ts): the
 * columns, with the run's source, id and time; `rows` selects shop, agent, day, figures, pending.
 */
export const insertAgentDays = (run: ImportRun, rows: SQL): SQL => sql`INSERT INTO agent_days
    (shop_id, agent_id, day, values, pending, source, import_run_id, updated_at)
  SELECT ${rows}, ${run.source}::text, ${run.runId}::integer, ${run.options.now.toISOString()}::timestamptz`;

/** A re-imported agent-day replaces what the source had stored for it. */
export const REPLACING_STORED = sql`ON CONFLICT (shop_id, agent_id, day, source) DO UPDATE SET
    values = excluded.values,
    pending = excluded.pending,
    import_run_id = excluded.import_run_id,
    updated_at = excluded.updated_at`;

export const nothingWritten = (): WrittenAgentDays => ({
  counts: { new: 0, replaced: 0, filled: 0, unchanged: 0 },
  changedDays: new Set(),
});

/** Counts rows just written against what was stored before them, and audits the changed figures. */
export async function noteChanges(
  tx: Queryable,
  written: WrittenAgentDays,
  rows: Iterable<{ row: AgentDayRow; before: StoredAgentDay | undefined }>,
  run: ImportRun,
): Promise<void> {
  const audited: AgentDayChange[] = [];
  for (const { row, before } of rows) {
    const change = compare(row, before);
    written.counts[change.kind]++;
    if (change.kind !== "unchanged") written.changedDays.add(change.day);
    if (change.kind === "replaced" || change.kind === "filled") audited.push(change);
  }
  await auditChanges(tx, audited, run);
}

/** Whether the source has any row on the batch's shops between its first and last day. */
export async function anyStored(tx: Queryable, census: BatchCensus, source: string): Promise<boolean> {
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

async function auditChanges(tx: Queryable, changes: AgentDayChange[], run: ImportRun): Promise<void> {
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
