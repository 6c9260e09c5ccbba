import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidInput } from "../../src/engine/index.ts";
import { bytesInMemory, parseExport, streamExport } from "../../src/sources/exports/index.ts";
import type { AgentDayRecord } from "../../src/sources/source.ts";
import { agentDaysBetween } from "../../src/store/agent-day-repo.ts";
import { auditEntries } from "../../src/store/audit-repo.ts";
import { rowsOf, type Store } from "../../src/store/database.ts";
import { type ImportOptions, importBatch } from "../../src/store/import-repo.ts";
import { owedPeriods } from "../../src/store/owed-scoring-repo.ts";
import { importRuns } from "../../src/store/schema.ts";
import { readingsApart } from "../support/awkward-batch.ts";
import { openTestStoreWithShop, STORE_KINDS } from "../support/stores.ts";

/**
 * A file streamed from its bytes a few records at a time (a big file's 10,000, cut small): read
 * once for its problems, agents and days, then again into the transaction, chunk by chunk, a
 * statement per chunk (the plain path) or by COPY (a big batch's, here with the threshold lowered).
 */

const NOW = new Date("2026-11-23T01:00:00Z");
const HEADER = "客服昵称,日期,接待人数,回复率,询单人数,最终付款人数";

const options = (over: Partial<ImportOptions> = {}): ImportOptions => ({
  fileHash: "hash-1",
  fileName: "chitu.csv",
  shopId: "s1",
  unknownAgents: "create",
  defaultRole: "presales",
  actor: "test",
  now: NOW,
  ...over,
});

/** Agents 客服1…客服n on each of the days: receptions, a reply rate, inquiries and payments. */
function chituFile(agents: number, days: string[], replace: Record<string, string> = {}): Uint8Array {
  const lines = [HEADER];
  for (const day of days)
    for (let i = 1; i <= agents; i++) {
      const key = `客服${i} ${day}`;
      lines.push(replace[key] ?? `客服${i},${day},${100 + i},${90 + (i % 10)}.00%,${20 + i},${5 + (i % 7)}`);
    }
  return new TextEncoder().encode(`${lines.join("\n")}\n`);
}

const streamed = (bytes: Uint8Array, chunk: number) =>
  streamExport(bytesInMemory(bytes), { fileName: "chitu.csv", chunk });

const storedAsRecords = async (store: Store) =>
  (await agentDaysBetween(store.db, "2000-01-01", "2100-01-01"))
    .map((d) => ({ agent: d.agentId, day: d.day, values: d.values, pending: d.pending }))
    .sort((a, b) => `${a.day} ${a.agent}`.localeCompare(`${b.day} ${b.agent}`));

const asStored = (records: AgentDayRecord[]) =>
  records
    .map((r) => ({ agent: `s1-${r.agent}`, day: r.day, values: r.values, pending: r.pending }))
    .sort((a, b) => `${a.day} ${a.agent}`.localeCompare(`${b.day} ${b.agent}`));

/**
 * The plain path reads the file again; so does the COPY path when the census could not keep the
 * file's rows (holdBytes 0 here, a file bigger than HELD_BYTES in use); otherwise it copies what
 * the census kept, and the file is read once.
 */
const CASES = STORE_KINDS.flatMap((kind) => [
  { kind, path: "plain", over: {}, readsAgain: true },
  { kind, path: "COPY, read again", over: { copyFrom: 1, holdBytes: 0 }, readsAgain: true },
  { kind, path: "COPY of what the census kept", over: { copyFrom: 1 }, readsAgain: false },
]);

describe.each(CASES)(
  "importing a file a chunk at a time into $kind, $path path",
  ({ kind, over: path, readsAgain }) => {
    const storing = (over: Partial<ImportOptions> = {}) => options({ ...path, ...over });
    let store: Store;
    beforeEach(async () => {
      store = await openTestStoreWithShop(kind);
    }, 60_000);
    afterEach(() => store.close());

    const days = ["2026-11-19", "2026-11-20", "2026-11-21"];

    it("imports a file of many chunks as the same agent-days as the file read in one piece", async () => {
      const bytes = chituFile(7, days);
      const outcome = await importBatch(store.db, await streamed(bytes, 4), storing());
      expect(outcome).toMatchObject({
        status: "done",
        records: 21,
        agentDays: { new: 21, replaced: 0, filled: 0, unchanged: 0 },
      });
      expect(outcome.status === "done" && outcome.createdAgents).toHaveLength(7);
      expect(await storedAsRecords(store)).toEqual(
        asStored((await parseExport(bytes, { fileName: "x.csv" })).records),
      );
      expect((await owedPeriods(store.db)).map((p) => p.periodKey)).toEqual(expect.arrayContaining(days));
    });

    it("counts what a corrected file did to each agent-day, audits the changed ones and owes only their days", async () => {
      const first = chituFile(3, days, { "客服1 2026-11-21": "客服1,2026-11-21,101,91.00%,21,延迟统计" });
      await importBatch(store.db, await streamed(first, 2), storing());
      await store.db.execute(sql`DELETE FROM owed_scoring`);
      const corrected = [
        ...new TextDecoder()
          .decode(chituFile(3, days, { "客服2 2026-11-20": "客服2,2026-11-20,102,80.00%,22,7" }))
          .split("\n"),
        "客服4,2026-11-21,104,94.00%,24,9",
      ].filter((line) => line !== "");
      const outcome = await importBatch(
        store.db,
        await streamed(new TextEncoder().encode(corrected.join("\n")), 2),
        storing({ fileHash: "hash-2" }),
      );
      // 客服1's payments of the 21st came in (filled); 客服2's reply rate of the 20th was corrected.
      expect(outcome.status === "done" && outcome.agentDays).toEqual({
        new: 1,
        replaced: 1,
        filled: 1,
        unchanged: 7,
      });
      expect(await auditEntries(store.db, "import.replace")).toEqual([
        expect.objectContaining({
          subject: "agent:s1-客服2 2026-11-20",
          detail: expect.objectContaining({ metrics: ["reply_rate"] }),
        }),
      ]);
      expect(await auditEntries(store.db, "import.fill-pending")).toEqual([
        expect.objectContaining({
          subject: "agent:s1-客服1 2026-11-21",
          detail: expect.objectContaining({ metrics: ["conversion_rate"] }),
        }),
      ]);
      const owed = (await owedPeriods(store.db)).map((p) => p.periodKey);
      expect(owed).toEqual(expect.arrayContaining(["2026-11-20", "2026-11-21"]));
      expect(owed).not.toContain("2026-11-19");
    });

    const record = (agent: string): AgentDayRecord => ({
      line: 2,
      agent,
      day: "2026-11-20",
      values: { reply_rate: { num: 9, den: 10 } },
      pending: [],
    });
    /** A batch that gives one more record from its second reading on. */
    const growing = () =>
      readingsApart(async function* (reading) {
        yield { records: [record("客服1")], problems: [] };
        if (reading > 1) yield { records: [record("客服2")], problems: [] };
      });

    if (readsAgain)
      it("stores nothing of a batch that gives other records when read again", async () => {
        await expect(importBatch(store.db, growing(), storing())).rejects.toThrow(InvalidInput);
        expect(await agentDaysBetween(store.db, "2000-01-01", "2100-01-01")).toEqual([]);
        expect(await store.db.select().from(importRuns)).toEqual([]);
      });
    else
      it("reads the batch once and stores the records the census read", async () => {
        expect(await importBatch(store.db, growing(), storing())).toMatchObject({
          status: "done",
          records: 1,
          agentDays: { new: 1 },
        });
        expect((await agentDaysBetween(store.db, "2000-01-01", "2100-01-01")).map((d) => d.agentId)).toEqual([
          "s1-客服1",
        ]);
      });
  },
);

describe.each(STORE_KINDS)("choosing the way a batch is stored in %s", (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStoreWithShop(kind);
  }, 60_000);
  afterEach(() => store.close());

  const days = ["2026-11-19", "2026-11-20", "2026-11-21"];
  const progressOf = async (over: Partial<ImportOptions>) => {
    const progress: number[] = [];
    const onProgress = (written: number) => progress.push(written);
    await importBatch(store.db, await streamed(chituFile(7, days), 4), options({ onProgress, ...over }));
    return progress;
  };

  // A fresh PostgreSQL database gets a temporary schema with its first temporary table (the
  // shared in-memory PGlite may have one from an earlier test).
  const temporarySchemas = async () =>
    rowsOf(await store.db.execute(sql`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pg_temp%'`));

  // Refused by the census, before either path is chosen: once per database is enough.
  it("stores nothing of a file whose one bad row is in its last chunk, and names that row", async () => {
    const bytes = chituFile(7, days, { "客服7 2026-11-21": "客服7,2026-11-21,107,abc,27,5" });
    const outcome = await importBatch(store.db, await streamed(bytes, 4), options());
    expect(outcome.status === "rejected" && outcome.problems).toEqual([
      { line: 22, column: "回复率", value: "abc", reason: "is not a percentage" },
    ]);
    expect(await agentDaysBetween(store.db, "2000-01-01", "2100-01-01")).toEqual([]);
    expect(await store.db.select().from(importRuns)).toEqual([
      expect.objectContaining({ status: "rejected", recordCount: 0, problemCount: 1 }),
    ]);
    expect(await owedPeriods(store.db)).toEqual([]);
  });

  it("stores a small batch a statement per chunk read, creating no temporary table", async () => {
    expect(await progressOf({})).toEqual([4, 8, 12, 16, 20, 21]);
    if (kind === "postgres") expect(await temporarySchemas()).toEqual([]);
  });

  it("stores a batch at the threshold by COPY straight into agent_days when the days hold nothing of the source", async () => {
    expect(await progressOf({ copyFrom: 21 })).toEqual([21]);
    if (kind === "postgres") expect(await temporarySchemas()).toEqual([]);
    expect(await agentDaysBetween(store.db, "2000-01-01", "2100-01-01")).toHaveLength(21);
  });

  it("stores a batch at the threshold over stored days through a temporary table, a range of days at a time", async () => {
    await progressOf({});
    expect(await progressOf({ copyFrom: 21, fileHash: "hash-2" })).toEqual([21]);
    if (kind === "postgres") expect(await temporarySchemas()).not.toEqual([]);
  });
});
