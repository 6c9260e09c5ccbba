import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { agentDaysBetween } from "../../src/store/agent-day-repo.ts";
import { copyText, rowsOfCopyText } from "../../src/store/copy-in.ts";
import type { Store } from "../../src/store/database.ts";
import { importBatch } from "../../src/store/import-repo.ts";
import {
  AWKWARD_ACCOUNTS,
  AWKWARD_METRIC,
  awkwardBatch,
  awkwardOptions,
  awkwardRecords,
  expectStoredAsGiven,
  readingsApart,
} from "../support/awkward-batch.ts";
import { openTestStoreWithShop, STORE_KINDS } from "../support/stores.ts";

/**
 * A big batch's agent-days go to the database in COPY's text format (PostgreSQL, PGlite) or as
 * JSON (a store attached to PGlite's socket: tests/store/attached-store.test.ts): text that
 * either could misread must come back as it went in. The threshold is lowered here (copyFrom: 1)
 * so that eight rows take the COPY path.
 */

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

/** The batch as a file gives it: streamed, a chunk at a time; `readings` counts its readings. */
const streamedAwkward = (readings: { count: number }) =>
  readingsApart(async function* (reading) {
    readings.count = reading;
    yield { records: awkwardRecords.slice(0, 3), problems: [] };
    yield { records: awkwardRecords.slice(3), problems: [] };
  });

/**
 * A file's rows kept by the census (the usual way), the file read again (a file too big to keep),
 * and a batch in memory, read again (keeping it would cost for nothing).
 */
const WAYS = STORE_KINDS.flatMap((kind) => [
  { kind, way: "kept by the census", over: {}, readings: 1, batch: streamedAwkward },
  { kind, way: "read again", over: { holdBytes: 0 }, readings: 2, batch: streamedAwkward },
  { kind, way: "in memory", over: {}, readings: 0, batch: awkwardBatch },
]);

describe.each(WAYS)(
  "storing a big batch by COPY into $kind, its rows $way",
  ({ kind, over: way, readings, batch }) => {
    let store: Store;
    beforeEach(async () => {
      store = await openTestStoreWithShop(kind);
    }, 60_000);
    afterEach(() => store.close());
    const options = (over: Parameters<typeof awkwardOptions>[0] = {}) => awkwardOptions({ ...way, ...over });

    it("stores accounts, metric ids and pending ids with tabs, newlines, backslashes and quotes as given", async () => {
      const read = { count: 0 };
      expect(await importBatch(store.db, batch(read), options())).toMatchObject({
        status: "done",
        agentDays: { new: AWKWARD_ACCOUNTS.length },
      });
      // A file the census keeps is read once; a batch in memory is no file (nothing counts).
      expect(read.count).toBe(readings);
      await expectStoredAsGiven(store);
      // The same figures in another file: compared with what is stored, nothing changed.
      expect(await importBatch(store.db, batch({ count: 0 }), options({ fileHash: "hash-2" }))).toMatchObject(
        {
          status: "done",
          agentDays: { new: 0, replaced: 0, filled: 0, unchanged: AWKWARD_ACCOUNTS.length },
        },
      );
    });

    it("stores nothing of a reading that fails, says why, and leaves the database ready for the next import", async () => {
      // A file (streamed) the census keeps fails the census; read again, it fails halfway into the COPY.
      const keptByCensus = !("holdBytes" in way);
      const failing = readingsApart(async function* (reading) {
        yield { records: awkwardRecords.slice(0, 4), problems: [] };
        if (keptByCensus || reading > 1) throw new Error("the disk went away");
        yield { records: awkwardRecords.slice(4), problems: [] };
      });
      await expect(importBatch(store.db, failing, options())).rejects.toThrow("the disk went away");
      expect(await agentDaysBetween(store.db, "2000-01-01", "2100-01-01")).toEqual([]);
      expect(await importBatch(store.db, awkwardBatch(), options())).toMatchObject({ status: "done" });
      await expectStoredAsGiven(store);
    });
  },
);
