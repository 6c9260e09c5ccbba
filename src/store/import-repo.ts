import { and, eq, inArray, sql } from "drizzle-orm";
import { type Conversation, InvalidInput } from "../engine/index.ts";
import type { AgentDayRecord, RowProblem } from "../sources/source.ts";
import type { AgentDayRow } from "./agent-day-changes.ts";
import { recordAudit } from "./audit-repo.ts";
import { keepConversations, storeConversations } from "./conversation-repo.ts";
import type { Db, Queryable } from "./database.ts";
import { gamingSignalRows, writeGamingSignals } from "./gaming-repo.ts";
import {
  censusOf,
  type ImportableBatch,
  missingDays,
  type ShopIndex,
  shopOfRecord,
  unknownAgentProblems,
} from "./import-census.ts";
import { COPY_FROM_AGENT_DAYS, writeAgentDaysByCopy } from "./import-copy-writes.ts";
import { type HeldAccount, HeldRows } from "./import-held-rows.ts";
import type { AgentDayCounts, ImportOptions } from "./import-options.ts";
import { writeAgentDays } from "./import-writes.ts";
import { owePeriodsOfDays } from "./owed-scoring-repo.ts";
import { agentAccounts, agents, facts, importRuns, shops } from "./schema.ts";

export type { ImportableBatch } from "./import-census.ts";
export type { AgentDayCounts, ImportOptions } from "./import-options.ts";

/**
 * Storing a source's batch: all of it in one transaction or nothing; the same file twice is a
 * no-op; a corrected file for a day replaces that source's rows for the agents in it, and every
 * change of a stored figure (a correction, a pending figure filled in) leaves an audit entry.
 */

export type ImportOutcome =
  | { status: "unchanged"; runId: number }
  | { status: "rejected"; runId: number; problems: RowProblem[] }
  | {
      status: "done";
      runId: number;
      records: number;
      facts: number;
      createdAgents: string[];
      agentDays: AgentDayCounts;
    };

const KEPT_PROBLEMS = 1000;
const CHUNK = 1000;

/**
 * Stores a batch in one transaction, or nothing of it. A streamed batch (a file read a chunk at a
 * time) is read for its problems, accounts and days (the census) before anything is written. A
 * big batch (import-copy-writes.ts) then goes by COPY, from the text the census kept of its rows
 * (import-held-rows.ts) or, when that outgrew its bound, from a second reading; a small one is
 * read again into the open transaction, a statement per chunk (import-writes.ts). Either way its
 * records are never held together as objects. A second reading that finds other records than
 * the first throws, and nothing is stored.
 */
export async function importBatch(
  db: Db,
  batch: ImportableBatch,
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

  const shopIndex = await shopIndexOf(db);
  // A streamed batch's rows as COPY text from this first reading, so that a big file is not
  // parsed again; a batch in memory (a pull, the demo) is read again for nothing.
  const held = Array.isArray(batch.records) ? undefined : new HeldRows(options.holdBytes);
  const census = await censusOf(batch, { ...options, shops: shopIndex, held });
  const problems = [...census.problems, ...(options.day === undefined ? missingDays(census) : [])];
  const accounts = await resolveAccounts(db, census.accounts);
  if (options.unknownAgents === "reject" && accounts.unknown.size > 0)
    problems.push(
      ...(await unknownAgentProblems(
        batch,
        new Set(accounts.unknown.keys()),
        accountKey,
        options.shopId,
        shopIndex,
      )),
    );
  if (problems.length > 0) {
    held?.drop();
    return reject(db, batch, options, problems);
  }
  // The batch's conversations, read before the transaction opens (a chat log is read again
  // from disk): only each agent-day's candidates for the sample are held. Only agents the roster
  // knows (or this import creates for its figures) have conversations kept: a conversation
  // creates nobody.
  const kept = await keepConversations(conversationChunksOf(batch), batch.facts, (shop) =>
    shopOfRecord(shop, options.shopId, shopIndex),
  );
  const talkers = (await resolveAccounts(db, kept.accounts())).known;

  try {
    return await db.transaction(async (tx) => {
      const runId = await startRun(tx, batch, options, "done");
      const createdAgents = await createAgents(tx, accounts.unknown, options);
      for (const [account, id] of createdAgents) {
        accounts.known.set(account, id);
        talkers.set(account, id);
      }
      const rowOf = (record: AgentDayRecord): AgentDayRow => {
        const shopId = shopOfRecord(record.shop, options.shopId, shopIndex);
        const agentId =
          shopId === undefined ? undefined : accounts.known.get(accountKey(shopId, record.agent));
        const day = record.day ?? options.day!;
        // Only a file that changed between its readings gets here with a shop, account or day unseen.
        if (shopId === undefined || agentId === undefined || !census.days.has(day))
          throw readingsDiffer(options);
        return { shopId, agentId, day, values: record.values, pending: record.pending };
      };
      const agentOf = ({ shop, account }: HeldAccount) => {
        const agentId = accounts.known.get(accountKey(shop, account));
        if (agentId === undefined) throw new Error(`account ${account} of shop ${shop} was not resolved`);
        return agentId;
      };
      const run = { source: batch.source, runId, options };
      const differs = () => readingsDiffer(options);
      const written =
        census.records >= (options.copyFrom ?? COPY_FROM_AGENT_DAYS)
          ? await writeAgentDaysByCopy(db, tx, { batch, rowOf, agentOf, held }, census, run, differs)
          : await writeAgentDays(tx, batch, rowOf, census, run, differs);
      const factCount = await writeFacts(tx, batch, accounts.known, options, runId, shopIndex);
      if (talkers.size > 0) {
        const agentOf = (shopId: string, account: string) => talkers.get(accountKey(shopId, account));
        await storeConversations(tx, kept, { agentOf, importRunId: runId });
        // The gaming signals of every conversation read, replacing those of the days it covers.
        await writeGamingSignals(tx, gamingSignalRows(kept.gaming.tallies(), agentOf).rows, options.now);
      }
      await tx
        .update(importRuns)
        .set({ recordCount: census.records, finishedAt: options.now })
        .where(eq(importRuns.id, runId));
      // Owed in this transaction: a crash before the scoring leaves the debt, not stale cards.
      await owePeriodsOfDays(tx, owedDays(written.changedDays, batch), `import:${runId}`, options.now);
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
        records: census.records,
        facts: factCount,
        createdAgents: [...createdAgents.values()],
        agentDays: written.counts,
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

function readingsDiffer(options: ImportOptions): Error {
  return new InvalidInput(
    options.fileName ?? "the batch",
    "was not the same when read again to be stored; nothing was imported: import it again",
  );
}

/** Days whose cards the import changes: its changed figures, and its bad reviews (差评挽回率). */
function owedDays(changedDays: Set<string>, batch: ImportableBatch): Set<string> {
  const days = new Set(changedDays);
  for (const fact of batch.facts) if (fact.kind === "bad_review") days.add(fact.day);
  return days;
}

const accountKey = (shop: string, account: string) => `${shop}\u0000${account}`;

/** A batch's conversations as chunks: a streamed source's as they are read, an array's at once. */
function conversationChunksOf(
  batch: ImportableBatch,
): Iterable<readonly Conversation[]> | AsyncIterable<readonly Conversation[]> {
  if (batch.conversationChunks) return batch.conversationChunks.read();
  return "conversations" in batch && batch.conversations ? [batch.conversations] : [];
}

async function resolveAccounts(db: Queryable, byShop: Map<string, Set<string>>) {
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
  for (const [shop, names] of byShop)
    for (const account of names) {
      const key = accountKey(shop, account);
      if (!known.has(key)) unknown.set(key, { shop, account });
    }
  return { known, unknown };
}

async function reject(
  db: Db,
  batch: ImportableBatch,
  options: ImportOptions,
  problems: RowProblem[],
): Promise<ImportOutcome> {
  const runId = await startRun(db, batch, options, "rejected", problems);
  return { status: "rejected", runId, problems };
}

async function startRun(
  db: Queryable,
  batch: ImportableBatch,
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

async function writeFacts(
  tx: Queryable,
  batch: ImportableBatch,
  known: Map<string, string>,
  options: ImportOptions,
  runId: number,
  shopIndex: ShopIndex,
): Promise<number> {
  const rows = batch.facts.map((fact) => {
    // The census refused a batch with a shop not configured, so every fact's shop is found.
    const shopId = shopOfRecord(fact.shop, options.shopId, shopIndex)!;
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

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint_name?: string; constraint?: string; cause?: unknown };
  if (e?.code === "23505") return (e.constraint_name ?? e.constraint) === constraint;
  return e?.cause !== undefined && isUniqueViolation(e.cause, constraint);
}

async function shopIndexOf(db: Db): Promise<ShopIndex> {
  const rows = await db.select({ id: shops.id, name: shops.name }).from(shops);
  // Ids win over names: a shop named like another's id is found by the id.
  return new Map([...rows.map((r) => [r.name, r.id] as const), ...rows.map((r) => [r.id, r.id] as const)]);
}
