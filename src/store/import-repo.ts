import { and, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { MetricValue, MetricValues } from "../engine/index.ts";
import type { AgentDayRecord, RowProblem, SourceBatch } from "../sources/source.ts";
import { recordAudit, recordAudits } from "./audit-repo.ts";
import { type Db, type Queryable, rowsOf } from "./database.ts";
import { figuresOfText, figuresText } from "./figures-text.ts";
import { owePeriodsOfDays } from "./owed-scoring-repo.ts";
import { agentAccounts, agentDays, agents, facts, importRuns } from "./schema.ts";

/**
 * Storing a source's batch: all of it in one transaction or nothing; the same file twice is a
 * no-op; a corrected file for a day replaces that source's rows for the agents in it, and every
 * change of a stored figure (a correction, a pending figure filled in) leaves an audit entry.
 */

export interface ImportOptions {
  /** SHA-256 of the file (or fetched body). */
  fileHash: string;
  fileName?: string;
  /** Shop of records that do not name one. */
  shopId: string;
  /** Day of records that do not have one (the import's --date). */
  day?: string;
  unknownAgents: "reject" | "create";
  /** Role of agents created for unknown accounts. */
  defaultRole: string;
  actor: string;
  now: Date;
  /** Called after each statement of agent-days has been written, inside the transaction. */
  onProgress?: (written: number, total: number) => void;
}

export interface AgentDayChange {
  agentId: string;
  shopId: string;
  day: string;
  kind: "new" | "replaced" | "filled";
  /** Metric ids whose figure changed (for replaced and filled). */
  metrics: string[];
}

export type ImportOutcome =
  | { status: "unchanged"; runId: number }
  | { status: "rejected"; runId: number; problems: RowProblem[] }
  | {
      status: "done";
      runId: number;
      records: number;
      facts: number;
      createdAgents: string[];
      changes: AgentDayChange[];
    };

const KEPT_PROBLEMS = 1000;
const CHUNK = 1000;
/**
 * Agent-days per statement. A chunk travels as one text parameter (the 65,535 bind-parameter
 * limit does not apply), so the size only trades round trips against memory: 10,000 rows are
 * about 5 MB, and a 310,000-row month takes 31 statements instead of 620.
 */
const AGENT_DAY_CHUNK = 10_000;

export async function importBatch(
  db: Db,
  batch: SourceBatch,
  options: ImportOptions,
): Promise<ImportOutcome> {
  const [done] = await db
    .select({ id: importRuns.id })
    .from(importRuns)
    .where(
      and(
        eq(importRuns.source, batch.source),
        eq(importRuns.fileHash, options.fileHash),
        eq(importRuns.status, "done"),
      ),
    );
  if (done) return { status: "unchanged", runId: done.id };

  const problems = [...batch.problems, ...missingDays(batch.records, options.day)];
  const accounts = await resolveAccounts(db, batch.records, options);
  if (options.unknownAgents === "reject") problems.push(...accounts.unknownProblems);
  if (problems.length > 0) return reject(db, batch, options, problems);

  try {
    return await db.transaction(async (tx) => {
      const runId = await startRun(tx, batch, options, "done");
      const createdAgents = await createAgents(tx, accounts.unknown, options);
      for (const [account, id] of createdAgents) accounts.known.set(account, id);
      const rowOf = (record: AgentDayRecord): AgentDayRow => ({
        shopId: record.shop ?? options.shopId,
        agentId: accounts.known.get(accountKey(record.shop ?? options.shopId, record.agent))!,
        day: record.day ?? options.day!,
        values: record.values,
        pending: record.pending,
      });
      const rows = batch.records;
      const changes = await writeAgentDays(tx, rows, rowOf, { source: batch.source, runId, options });
      const factCount = await writeFacts(tx, batch, accounts.known, options, runId);
      await tx
        .update(importRuns)
        .set({ recordCount: rows.length, finishedAt: options.now })
        .where(eq(importRuns.id, runId));
      await auditChanges(tx, changes, runId, options);
      const changed = changes.filter((c) => c.kind === "new" || c.metrics.length > 0);
      // Owed in this transaction: a crash before the scoring leaves the debt, not stale cards.
      await owePeriodsOfDays(tx, owedDays(changed, batch), `import:${runId}`, options.now);
      if (createdAgents.size > 0) {
        await recordAudit(tx, {
          at: options.now,
          actor: options.actor,
          action: "agent.create",
          subject: `import:${runId}`,
          detail: {
            agents: [...createdAgents].map(([key, id]) => ({ ...accounts.unknown.get(key), id })),
          },
        });
      }
      return {
        status: "done" as const,
        runId,
        records: rows.length,
        facts: factCount,
        createdAgents: [...createdAgents.values()],
        changes: changed,
      };
    });
  } catch (error) {
    // Another process imported the same file meanwhile (the unique index says so): again, it is
    // now a no-op. Or another file of this source stored some of these agent-days meanwhile,
    // after this import saw none and chose a plain insert: again, now replacing them (audited).
    if (isUniqueViolation(error, "import_runs_done_once") || isUniqueViolation(error, "agent_days_key"))
      return importBatch(db, batch, options);
    throw error;
  }
}

/** Days whose cards the import changes: its changed figures, and its bad reviews (差评挽回率). */
function owedDays(changed: AgentDayChange[], batch: SourceBatch): Set<string> {
  const days = new Set(changed.map((c) => c.day));
  for (const fact of batch.facts) if (fact.kind === "bad_review") days.add(fact.day);
  return days;
}

function missingDays(records: AgentDayRecord[], day: string | undefined): RowProblem[] {
  if (day !== undefined) return [];
  const without = records.filter((r) => r.day === undefined);
  if (without.length === 0) return [];
  return [
    {
      line: without[0]!.line,
      reason: `the file has no date column (${without.length} rows without a day): import it with --date YYYY-MM-DD`,
    },
  ];
}

const accountKey = (shop: string, account: string) => `${shop}\u0000${account}`;

async function resolveAccounts(db: Queryable, records: AgentDayRecord[], options: ImportOptions) {
  const byShop = new Map<string, Set<string>>();
  for (const record of records) {
    const shop = record.shop ?? options.shopId;
    const set = byShop.get(shop) ?? new Set<string>();
    byShop.set(shop, set);
    set.add(record.agent);
  }
  const known = new Map<string, string>();
  for (const [shop, names] of byShop) {
    const list = [...names];
    for (let i = 0; i < list.length; i += CHUNK) {
      const rows = await db
        .select({ account: agentAccounts.account, agentId: agentAccounts.agentId })
        .from(agentAccounts)
        .where(and(eq(agentAccounts.shopId, shop), inArray(agentAccounts.account, list.slice(i, i + CHUNK))));
      for (const row of rows) known.set(accountKey(shop, row.account), row.agentId);
    }
  }
  const unknown = new Map<string, { shop: string; account: string }>();
  const unknownProblems: RowProblem[] = [];
  for (const record of records) {
    const shop = record.shop ?? options.shopId;
    const key = accountKey(shop, record.agent);
    if (known.has(key)) continue;
    unknown.set(key, { shop, account: record.agent });
    unknownProblems.push({
      line: record.line,
      value: record.agent,
      reason: `is not an agent of shop ${shop}: add the account to the roster, or set unknownAgents: create`,
    });
  }
  return { known, unknown, unknownProblems };
}

async function reject(
  db: Db,
  batch: SourceBatch,
  options: ImportOptions,
  problems: RowProblem[],
): Promise<ImportOutcome> {
  const runId = await startRun(db, batch, options, "rejected", problems);
  return { status: "rejected", runId, problems };
}

async function startRun(
  db: Queryable,
  batch: SourceBatch,
  options: ImportOptions,
  status: "done" | "rejected",
  problems: RowProblem[] = [],
): Promise<number> {
  const [run] = await db
    .insert(importRuns)
    .values({
      source: batch.source,
      fileName: options.fileName ?? null,
      fileHash: options.fileHash,
      shopId: options.shopId,
      day: options.day ?? null,
      status,
      recordCount: 0,
      problemCount: problems.length,
      problems: problems.slice(0, KEPT_PROBLEMS),
      startedAt: options.now,
      finishedAt: status === "rejected" ? options.now : null,
    })
    .returning({ id: importRuns.id });
  return run!.id;
}

/** Agents for accounts the roster did not know, with ids derived from shop and account. */
async function createAgents(
  tx: Queryable,
  unknown: Map<string, { shop: string; account: string }>,
  options: ImportOptions,
): Promise<Map<string, string>> {
  const created = new Map<string, string>();
  for (const [key, { shop, account }] of unknown) {
    const id = `${shop}-${account}`.replace(/[^\p{L}\p{N}_-]+/gu, "_");
    await tx
      .insert(agents)
      .values({ id, name: account.replace(/^.*[:：]/, ""), role: options.defaultRole })
      .onConflictDoNothing();
    await tx.insert(agentAccounts).values({ shopId: shop, account, agentId: id }).onConflictDoNothing();
    created.set(key, id);
  }
  return created;
}

interface AgentDayRow {
  shopId: string;
  agentId: string;
  day: string;
  values: MetricValues;
  pending: string[];
}

interface StoredAgentDay {
  values: MetricValues;
  pending: string[];
}

const rowKey = (r: { shopId: string; agentId: string; day: string }) =>
  `${r.shopId}\u0000${r.agentId}\u0000${r.day}`;

/**
 * Upserts the records' rows and says, per agent-day, what changed against what was stored before.
 * Rows are made a chunk at a time: a big file's records are held once, not twice.
 */
async function writeAgentDays(
  tx: Queryable,
  records: readonly AgentDayRecord[],
  rowOf: (record: AgentDayRecord) => AgentDayRow,
  run: { source: string; runId: number; options: ImportOptions },
): Promise<AgentDayChange[]> {
  const changes: AgentDayChange[] = [];
  // A source's first file for these days (the usual case) has nothing to compare with or replace.
  const rows = function* () {
    for (const record of records) yield rowOf(record);
  };
  const compareStored = records.length > 0 && (await anyStored(tx, rows(), run.source));
  const chunkOf = (i: number) => records.slice(i * AGENT_DAY_CHUNK, (i + 1) * AGENT_DAY_CHUNK).map(rowOf);
  const chunkCount = Math.ceil(records.length / AGENT_DAY_CHUNK);
  const sameKeys = new SameKeys();
  let written = 0;
  let chunk = chunkCount > 0 ? chunkOf(0) : [];
  let lines = linesOf(chunk);
  for (let i = 0; i < chunkCount; i++) {
    const statement = upsertAgentDays(tx, lines, run, compareStored);
    // While the server stores this chunk, the next one is written out (the other core's work).
    const next = await besideStatement(statement, () => {
      const rows = i + 1 < chunkCount ? chunkOf(i + 1) : [];
      return { rows, lines: linesOf(rows) };
    });
    const before = await statement;
    for (const row of chunk) changes.push(compare(row, before.get(rowKey(row)), sameKeys));
    written += chunk.length;
    run.options.onProgress?.(written, records.length);
    chunk = next.rows;
    lines = next.lines;
  }
  return changes;
}

/** One array for every new agent-day with the same metrics, not one each (a month is 300,000). */
class SameKeys {
  private readonly arrays = new Map<string, string[]>();

  of(values: MetricValues): string[] {
    const keys = Object.keys(values);
    const key = keys.join("\u0000");
    const kept = this.arrays.get(key);
    if (kept) return kept;
    this.arrays.set(key, keys);
    return keys;
  }
}

/**
 * Runs `work` once the statement has been handed to the socket, without leaving the statement's
 * failure unhandled if `work` throws first.
 */
async function besideStatement<T>(statement: Promise<unknown>, work: () => T): Promise<T> {
  await new Promise((resolve) => setImmediate(resolve));
  try {
    return work();
  } catch (error) {
    await statement.catch(() => {});
    throw error;
  }
}

/** Whether the source has any row on the shops and between the first and last day of the rows. */
async function anyStored(
  tx: Queryable,
  rows: Iterable<{ shopId: string; day: string }>,
  source: string,
): Promise<boolean> {
  let first: string | undefined;
  let last = "";
  const shopIds = new Set<string>();
  for (const row of rows) {
    if (first === undefined || row.day < first) first = row.day;
    if (row.day > last) last = row.day;
    shopIds.add(row.shopId);
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
        inArray(agentDays.shopId, [...shopIds]),
      ),
    )
    .limit(1);
  return found.length > 0;
}

/**
 * One statement per chunk. The rows travel as one text parameter, a line per agent-day, split by
 * the server, as COPY would. (One JSON document of the chunk, unpacked by jsonb_to_recordset,
 * costs the server twice as much to parse; 80,000 bind parameters cost the client more than the
 * database's work.) When the source may have rows
 * stored for these days, the stored figures are read in the same statement: a WITH query sees
 * the table as it was before the INSERT beside it.
 */
async function upsertAgentDays(
  tx: Queryable,
  lines: string,
  run: { source: string; runId: number; options: ImportOptions },
  compareStored: boolean,
): Promise<Map<string, StoredAgentDay>> {
  const field = (n: number) => sql`split_part(line, ${FIELD}::text, ${n}::integer)`;
  const input = sql`SELECT ${field(1)} AS s, ${field(2)} AS a, ${field(3)}::date AS d,
      ${field(4)} AS v, ${field(5)}::jsonb AS p
    FROM string_to_table(${lines}::text, ${LINE}::text) AS line`;
  const insert = sql`INSERT INTO agent_days
      (shop_id, agent_id, day, source, values, pending, import_run_id, updated_at)
    SELECT s, a, d, ${run.source}::text, v, p, ${run.runId}::integer, ${run.options.now.toISOString()}::timestamptz
    FROM input`;
  if (!compareStored) {
    // Nothing stored to collide with, so no ON CONFLICT: its speculative insert costs per row.
    await tx.execute(sql`WITH input AS (${input}) ${insert}`);
    return new Map();
  }
  const upsert = sql`${insert}
    ON CONFLICT (shop_id, agent_id, day, source) DO UPDATE SET
      values = excluded.values,
      pending = excluded.pending,
      import_run_id = excluded.import_run_id,
      updated_at = excluded.updated_at`;
  const result = await tx.execute(sql`WITH input AS (${input}),
    written AS (${upsert} RETURNING 1)
    SELECT t.shop_id, t.agent_id, t.day::text AS day, t.values, t.pending::text AS pending
    FROM agent_days t JOIN input ON t.shop_id = input.s AND t.agent_id = input.a AND t.day = input.d
    WHERE t.source = ${run.source}::text`);
  const stored = new Map<string, StoredAgentDay>();
  for (const row of rowsOf<StoredRowText>(result)) {
    stored.set(rowKey({ shopId: row.shop_id, agentId: row.agent_id, day: row.day }), {
      values: figuresOfText(row.values),
      pending: JSON.parse(row.pending) as string[],
    });
  }
  return stored;
}

interface StoredRowText {
  shop_id: string;
  agent_id: string;
  day: string;
  values: string;
  pending: string;
}

/**
 * Separators JSON.stringify never writes raw (it escapes every control character), so a figure
 * document cannot split a line; ids and days are checked.
 */
const LINE = "\u001e";
const FIELD = "\u001f";
const holdsSeparator = (text: string) => text.includes(LINE) || text.includes(FIELD);

function linesOf(chunk: AgentDayRow[]): string {
  const lines = new Array<string>(chunk.length);
  for (const [i, r] of chunk.entries()) {
    if (holdsSeparator(r.shopId) || holdsSeparator(r.agentId) || holdsSeparator(r.day))
      throw new Error(`agent-day ${JSON.stringify([r.shopId, r.agentId, r.day])} holds a control character`);
    lines[i] =
      `${r.shopId}${FIELD}${r.agentId}${FIELD}${r.day}${FIELD}${figuresText(r.values)}${FIELD}${JSON.stringify(r.pending)}`;
  }
  return lines.join(LINE);
}

function compare(row: AgentDayRow, before: StoredAgentDay | undefined, sameKeys: SameKeys): AgentDayChange {
  // Literals, not a spread of the three keys: a spread object is four times the size, a million times.
  const { agentId, shopId, day } = row;
  if (!before) return { agentId, shopId, day, kind: "new", metrics: sameKeys.of(row.values) };
  const ids = new Set([...Object.keys(before.values), ...Object.keys(row.values), ...before.pending]);
  const metrics = [...ids].filter(
    (id) =>
      !sameValue(before.values[id], row.values[id]) ||
      before.pending.includes(id) !== row.pending.includes(id),
  );
  const onlyFilled =
    metrics.length > 0 && metrics.every((id) => before.pending.includes(id) && !row.pending.includes(id));
  return { agentId, shopId, day, kind: onlyFilled ? "filled" : "replaced", metrics };
}

function sameValue(a: MetricValue | undefined, b: MetricValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.num === b.num &&
    a.den === b.den &&
    (a.finished ?? false) === (b.finished ?? false) &&
    a.base?.num === b.base?.num &&
    a.base?.den === b.base?.den
  );
}

async function writeFacts(
  tx: Queryable,
  batch: SourceBatch,
  known: Map<string, string>,
  options: ImportOptions,
  runId: number,
): Promise<number> {
  const rows = batch.facts.map((fact) => {
    const shopId = fact.shop ?? options.shopId;
    const agentId = fact.agent === null ? null : (known.get(accountKey(shopId, fact.agent)) ?? null);
    return {
      shopId,
      agentId,
      day: fact.day,
      kind: fact.kind,
      at: new Date(fact.at),
      ref: fact.ref,
      factKey: JSON.stringify([fact.kind, fact.ref, fact.agent]),
      detail: { ...fact.detail, agentAccount: fact.agent },
      importRunId: runId,
    };
  });
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx
      .insert(facts)
      .values(rows.slice(i, i + CHUNK))
      .onConflictDoUpdate({
        target: [facts.shopId, facts.factKey],
        set: {
          agentId: sql`excluded.agent_id`,
          day: sql`excluded.day`,
          at: sql`excluded.at`,
          detail: sql`excluded.detail`,
          importRunId: sql`excluded.import_run_id`,
        },
      });
  }
  return rows.length;
}

async function auditChanges(tx: Queryable, changes: AgentDayChange[], runId: number, options: ImportOptions) {
  const entries = changes
    .filter((c) => c.kind !== "new" && c.metrics.length > 0)
    .map((c) => ({
      at: options.now,
      actor: options.actor,
      action: c.kind === "filled" ? "import.fill-pending" : "import.replace",
      subject: `agent:${c.agentId} ${c.day}`,
      detail: { importRun: runId, shop: c.shopId, metrics: c.metrics, file: options.fileName ?? null },
    }));
  for (let i = 0; i < entries.length; i += CHUNK) {
    await recordAudits(tx, entries.slice(i, i + CHUNK));
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint_name?: string; constraint?: string; cause?: unknown };
  if (e?.code === "23505") return (e.constraint_name ?? e.constraint) === constraint;
  return e?.cause !== undefined && isUniqueViolation(e.cause, constraint);
}
