import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AgentDayRecord, RecordChunk, SourceBatch, StreamedBatch } from "../../src/sources/source.ts";
import { agentDaysBetween } from "../../src/store/agent-day-repo.ts";
import { copyText, rowsOfCopyText } from "../../src/store/copy-in.ts";
import { openStore, type Store } from "../../src/store/database.ts";
import { type ImportOptions, importBatch } from "../../src/store/import-repo.ts";
import { agentAccounts } from "../../src/store/schema.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * A big batch's agent-days go to the database in COPY's text format (PostgreSQL, PGlite) or as
 * JSON (a store attached to PGlite's socket): text that either could misread (tabs, newlines,
 * backslashes, a field reading \N, quotes, Chinese) must come back as it went in. The threshold is
 * lowered here (copyFrom: 1) so that eight rows take the COPY path.
 */

const NOW = new Date("2026-11-23T01:00:00Z");
const options = (over: Partial<ImportOptions> = {}): ImportOptions => ({
  fileHash: "hash-1",
  fileName: "awkward.csv",
  shopId: "s1",
  unknownAgents: "create",
  defaultRole: "presales",
  actor: "test",
  now: NOW,
  copyFrom: 1,
  ...over,
});

const AWKWARD_ACCOUNTS = [
  "旗舰店:小张",
  "tab\there",
  "new\nline and\rreturn",
  "back\\slash\\",
  "\\N",
  "\\.",
  `"quoted" 'single'`,
  "end with tab\t",
];
const AWKWARD_METRIC = 'id "with"\tall\\sorts\n of 字符';

const records: AgentDayRecord[] = AWKWARD_ACCOUNTS.map((agent, i) => ({
  line: i + 2,
  agent,
  day: "2026-11-20",
  values: { reply_rate: { num: 90 + i, den: 100 }, [AWKWARD_METRIC]: { num: i, den: 3 } },
  pending: [AWKWARD_METRIC, "a\\b"],
}));

const batch = (): SourceBatch => ({ source: "chitu", records, facts: [], problems: [] });

async function expectStoredAsGiven(store: Store): Promise<void> {
  const accounts = await store.db.select().from(agentAccounts);
  expect(accounts.map((a) => a.account).sort()).toEqual([...AWKWARD_ACCOUNTS].sort());
  const agentOf = new Map(accounts.map((a) => [a.agentId, a.account]));
  const stored = await agentDaysBetween(store.db, "2026-11-20", "2026-11-20");
  expect(
    stored
      .map((d) => ({ agent: agentOf.get(d.agentId), values: d.values, pending: d.pending }))
      .sort((a, b) => (a.agent! < b.agent! ? -1 : 1)),
  ).toEqual(
    records
      .map((r) => ({ agent: r.agent, values: r.values, pending: r.pending }))
      .sort((a, b) => (a.agent < b.agent ? -1 : 1)),
  );
}

describe("COPY's text format", () => {
  it("escapes backslash, tab, newline and carriage return, and writes NULL as \\N", () => {
    expect(copyText([["a\tb", null, "c\\d\ne\rf", '中文 "q" \\N']])).toBe(
      'a\\tb\t\\N\tc\\\\d\\ne\\rf\t中文 "q" \\\\N\n',
    );
  });

  it("reads back what it wrote, row for row (the path through PGlite's socket)", () => {
    const rows = [AWKWARD_ACCOUNTS, [null, "", AWKWARD_METRIC, "\\\\t"]];
    expect(rowsOfCopyText(copyText(rows))).toEqual(rows);
  });
});

describe.each(STORE_KINDS)("storing awkward text into %s", (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(kind);
    await store.db.execute(
      sql`INSERT INTO shops (id, name, platform) VALUES ('s1', '旗舰店', 'taobao') ON CONFLICT DO NOTHING`,
    );
  }, 60_000);
  afterEach(() => store.close());

  it("stores accounts, metric ids and pending ids with tabs, newlines, backslashes and quotes as given", async () => {
    expect(await importBatch(store.db, batch(), options())).toMatchObject({
      status: "done",
      agentDays: { new: AWKWARD_ACCOUNTS.length },
    });
    await expectStoredAsGiven(store);
    // The same figures in another file: compared with what is stored, nothing changed.
    expect(await importBatch(store.db, batch(), options({ fileHash: "hash-2" }))).toMatchObject({
      status: "done",
      agentDays: { new: 0, replaced: 0, filled: 0, unchanged: AWKWARD_ACCOUNTS.length },
    });
  });
});

describe.each(STORE_KINDS)("a reading that fails while its rows are copied into %s", (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(kind);
    await store.db.execute(
      sql`INSERT INTO shops (id, name, platform) VALUES ('s1', '旗舰店', 'taobao') ON CONFLICT DO NOTHING`,
    );
  }, 60_000);
  afterEach(() => store.close());

  it("stores nothing, says why, and leaves the database ready for the next import", async () => {
    let readings = 0;
    const failing: StreamedBatch = {
      source: "chitu",
      facts: [],
      problems: [],
      records: {
        // The census reads it whole; the second reading, into the COPY, fails halfway.
        async *read(): AsyncGenerator<RecordChunk> {
          readings++;
          yield { records: records.slice(0, 4), problems: [] };
          if (readings > 1) throw new Error("the disk went away");
          yield { records: records.slice(4), problems: [] };
        },
      },
    };
    await expect(importBatch(store.db, failing, options())).rejects.toThrow("the disk went away");
    expect(await agentDaysBetween(store.db, "2000-01-01", "2100-01-01")).toEqual([]);
    expect(await importBatch(store.db, batch(), options())).toMatchObject({ status: "done" });
    await expectStoredAsGiven(store);
  });
});

describe("storing awkward text through the socket of a process holding PGlite", () => {
  const children: ChildProcess[] = [];
  let dir: string | undefined;
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("stores them as given (as JSON: COPY cannot pass the socket)", async () => {
    dir = await mkdtemp(join(tmpdir(), "kpi-copy-attach-"));
    const holder = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "../support/hold-store.ts"), dir, "serve"],
      { cwd: join(import.meta.dirname, "../..") },
    );
    children.push(holder);
    await new Promise<void>((resolve, reject) => {
      let seen = "";
      holder.stdout!.on("data", (d) => {
        seen += d;
        if (seen.includes("ready")) resolve();
      });
      holder.on("close", () => reject(new Error(`holder exited: ${seen}`)));
    });
    const attached = await openStore({ dataDir: dir, serve: true, attach: true });
    try {
      await attached.db.execute(
        sql`INSERT INTO shops (id, name, platform) VALUES ('s1', '旗舰店', 'taobao')`,
      );
      expect(await importBatch(attached.db, batch(), options())).toMatchObject({
        status: "done",
        agentDays: { new: AWKWARD_ACCOUNTS.length },
      });
      await expectStoredAsGiven(attached);
    } finally {
      await attached.close();
    }
  }, 90_000);
});
