import type { Config } from "../config.ts";
import type { ExportKindId } from "../sources/exports/export-table.ts";
import { chunksOf, openExportFile, streamExport } from "../sources/exports/index.ts";
import type { SourceBatch } from "../sources/source.ts";
import type { Db } from "../store/database.ts";
import type { ImportOutcome } from "../store/import-repo.ts";
import { drainOwed } from "./drain-owed.ts";
import type { ScoreOutcome } from "./score-period.ts";
import { hashChunks, storeBatch } from "./store-batches.ts";

/** `kpi import FILE` and the file sources of the scheduled pull: read, parse, import, re-score. */

export interface ImportFileRequest {
  path: string;
  /** chitu | jd | generic; detected from the header row when absent. */
  kind?: ExportKindId;
  shopId: string;
  day?: string;
  config: Config;
  actor: string;
  now: Date;
  onProgress?: (stage: "import" | "score", done: number, total: number) => void;
}

export interface ImportFileOutcome {
  outcome: ImportOutcome;
  kind: string;
  ignoredColumns: string[];
  scored: ScoreOutcome[];
}

export async function importExportFile(db: Db, request: ImportFileRequest): Promise<ImportFileOutcome> {
  const { outcome, kind, ignoredColumns } = await storeExportFile(db, request);
  const scored = await scoreWhatIsOwed(db, scoreOptions(request));
  return { outcome, scored, kind, ignoredColumns };
}

/**
 * Reads the file and stores it, a chunk of records at a time: the file is read once for its
 * SHA-256, and twice for its records (their problems, agents and days first, then into the
 * transaction), so that a month of a big shop is never held whole.
 */
async function storeExportFile(
  db: Db,
  request: ImportFileRequest,
): Promise<{ outcome: ImportOutcome; kind: string; ignoredColumns: string[] }> {
  // Read from the file as it is needed, never whole: a scheduled pull runs this in the bot.
  const file = await openExportFile(request.path, "FILE");
  try {
    const fileHash = await hashChunks(chunksOf(file));
    const { kind, ignoredColumns, ...batch } = await streamExport(file, {
      fileName: request.path,
      ...(request.kind ? { kind: request.kind } : {}),
    });
    const outcome = await storeBatch(db, batch, {
      ...storeOptions(request),
      fileHash,
      fileName: request.path,
      shopId: request.shopId,
      ...(request.day ? { day: request.day } : {}),
    });
    return { outcome, kind, ignoredColumns };
  } finally {
    await file.close();
  }
}

type Progress = ImportFileRequest["onProgress"];

function storeOptions(options: { config: Config; actor: string; now: Date; onProgress?: Progress }) {
  const { config, actor, now, onProgress } = options;
  return {
    unknownAgents: config.unknownAgents,
    defaultRole: config.defaultRole,
    actor,
    now,
    ...(onProgress ? { onProgress: (done: number, total: number) => onProgress("import", done, total) } : {}),
  };
}

function scoreOptions(options: { actor: string; now: Date; onProgress?: Progress }) {
  const { actor, now, onProgress } = options;
  return {
    actor,
    now,
    ...(onProgress ? { onProgress: (done: number, total: number) => onProgress("score", done, total) } : {}),
  };
}

export async function importAndScore(
  db: Db,
  batch: SourceBatch,
  options: {
    fileHash?: string;
    fileName?: string;
    shopId: string;
    day?: string;
    config: Config;
    actor: string;
    now: Date;
    onProgress?: Progress;
  },
): Promise<{ outcome: ImportOutcome; scored: ScoreOutcome[] }> {
  const { fileHash, fileName, shopId, day } = options;
  const outcome = await storeBatch(db, batch, {
    ...storeOptions(options),
    ...(fileHash === undefined ? {} : { fileHash }),
    ...(fileName === undefined ? {} : { fileName }),
    shopId,
    ...(day === undefined ? {} : { day }),
  });
  const scored = await scoreWhatIsOwed(db, scoreOptions(options));
  return { outcome, scored };
}

/**
 * Scores every period owed, this import's and any a crash left, waiting for one another
 * process is scoring, so that what the import reports is scored. A failure stays owed and is
 * thrown after the rest are scored.
 */
export async function scoreWhatIsOwed(
  db: Db,
  options: { actor: string; now: Date; onProgress?: (done: number, total: number) => void },
): Promise<ScoreOutcome[]> {
  const drained = await drainOwed(db, { ...options, wait: true });
  const [failure] = drained.failed;
  if (failure) throw failure.error;
  return drained.scored;
}
