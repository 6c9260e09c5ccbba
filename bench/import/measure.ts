/**
 * One timed import in a process of its own (so its peak memory is its own), run by
 * bench/import/run.ts: open the store, sync the configuration's roster (not timed as import),
 * then hash and store the export file the way importExportFile does (reading the file a piece at
 * a time, never whole: its records twice, a chunk at a time), and score the periods it touched
 * as it does (scoreOwedReporting): what `kpi import` does, stage by stage. One reading of the
 * records alone is timed apart ("parse"), after all that. Prints one JSON line of stage times and
 * the process's peak memory after each stage.
 *
 *   node --import tsx bench/import/measure.ts --file <csv> --config <yaml> (--url <postgres://…> | --data-dir <dir>)
 *                                             [--skip-scoring]
 */
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { scoreOwedReporting } from "../../src/bot/import-file.ts";
import { storeBatch } from "../../src/bot/store-batches.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { boundHeapGrowth } from "../../src/cli/heap-growth.ts";
import { loadConfig } from "../../src/config.ts";
import { chunksOf, openExportFile, streamExport } from "../../src/sources/exports/index.ts";
import { openStore } from "../../src/store/database.ts";
import { SHOP } from "./generate.ts";

export interface Measurement {
  rows: number;
  /** Seconds per stage. */
  sync: number;
  /** Reading the file through SHA-256 (the import's identity). */
  read: number;
  parse: number;
  /** importBatch: the records read for their census (which keeps a big file's rows as COPY text), then one transaction: the rows by COPY into agent_days (through a staging table and audited when the days hold the source's rows already). */
  store: number;
  /** read + store: what `kpi import` does before scoring. */
  endToEnd: number;
  /** Peak resident memory (MiB) after reading (with the roster synced), after the reading apart. */
  peakMiBRead: number;
  peakMiBParse: number;
  /** Re-scoring every period the import touched (what `kpi import` does next), and by period kind. */
  scoring?: number;
  scoringByKind?: Record<string, { periods: number; seconds: number; cards: number }>;
  /** Peak resident memory (MiB) after storing, and after scoring (the whole `kpi import`'s peak). */
  peakMiBImport: number;
  peakMiB: number;
}

// As `kpi import` runs it: the CLI bounds the heap's growth before any command (cli/main.ts).
boundHeapGrowth();

const { values: args } = parseArgs({
  options: {
    file: { type: "string" },
    config: { type: "string" },
    url: { type: "string" },
    "data-dir": { type: "string" },
    "skip-scoring": { type: "boolean", default: false },
  },
});

const now = new Date("2027-01-02T01:00:00Z");
const seconds = (from: number) => (performance.now() - from) / 1000;
const peakMiB = () => process.resourceUsage().maxRSS / 1024;

const store = await openStore(
  args.url ? { databaseUrl: args.url } : { dataDir: args["data-dir"] ?? "./bench-import-data" },
);
try {
  const loaded = await loadConfig(args.config!);
  let start = performance.now();
  await syncConfig(store.db, loaded, now);
  const sync = seconds(start);

  start = performance.now();
  const file = await openExportFile(args.file!, "--file");
  const hash = createHash("sha256");
  for await (const chunk of chunksOf(file)) hash.update(chunk);
  const fileHash = hash.digest("hex");
  const read = seconds(start);
  const peakMiBRead = peakMiB();
  const storeStart = performance.now();
  const {
    kind: _kind,
    ignoredColumns: _ignored,
    ...batch
  } = await streamExport(file, { fileName: args.file! });
  const outcome = await storeBatch(store.db, batch, {
    fileHash,
    fileName: args.file!,
    shopId: SHOP.id,
    unknownAgents: loaded.config.unknownAgents,
    defaultRole: loaded.config.defaultRole,
    actor: "bench",
    now,
  });
  const stored = seconds(storeStart);
  const endToEnd = read + stored;
  const peakMiBImport = peakMiB();
  if (outcome.status !== "done") throw new Error(`the import was ${outcome.status}`);
  const measurement: Measurement = {
    rows: outcome.records,
    sync,
    read,
    parse: Number.NaN,
    store: stored,
    endToEnd,
    peakMiBRead,
    peakMiBParse: Number.NaN,
    peakMiBImport,
    peakMiB: peakMiBImport,
  };
  if (!args["skip-scoring"]) {
    const byKind: NonNullable<Measurement["scoringByKind"]> = {};
    start = performance.now();
    let last = start;
    const steps: number[] = [];
    // As kpi import scores after storing (import-file.ts): every period owed, days first, the
    // outcomes counting the cards rather than holding them.
    const { scored, notScored } = await scoreOwedReporting(store.db, {
      actor: "bench",
      now,
      onProgress: () => {
        steps.push((performance.now() - last) / 1000);
        last = performance.now();
      },
    });
    if (notScored.length > 0) throw new Error(`not scored: ${JSON.stringify(notScored)}`);
    for (const [i, outcome] of scored.entries()) {
      const entry = byKind[outcome.period.kind] ?? { periods: 0, seconds: 0, cards: 0 };
      byKind[outcome.period.kind] = entry;
      entry.periods++;
      entry.seconds += steps[i] ?? 0;
      entry.cards += outcome.cardCount;
    }
    measurement.scoring = seconds(start);
    measurement.scoringByKind = byKind;
    measurement.peakMiB = peakMiB();
  }
  // One reading of the records more, timed apart, as each of the import's two makes it: counted,
  // not kept. Last, so that the peaks above are the import's own.
  const parseStart = performance.now();
  let parsedRows = 0;
  for await (const chunk of batch.records.read()) parsedRows += chunk.records.length;
  await file.close();
  measurement.parse = seconds(parseStart);
  measurement.peakMiBParse = peakMiB();
  if (parsedRows !== outcome.records) measurement.rows = Number.NaN;
  console.log(JSON.stringify(measurement));
} finally {
  await store.close();
}
