import type { Config } from "../config.ts";
import type { ExportKindId } from "../sources/exports/export-table.ts";
import { parseExport } from "../sources/exports/index.ts";
import type { SourceBatch } from "../sources/source.ts";
import { readFileBytes } from "../sources/text-file.ts";
import type { Db } from "../store/database.ts";
import type { ImportOutcome } from "../store/import-repo.ts";
import { drainOwed } from "./drain-owed.ts";
import type { ScoreOutcome } from "./score-period.ts";
import { hashBytes, storeBatch } from "./store-batches.ts";

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
  const bytes = await readFileBytes(request.path, "FILE");
  const parsed = await parseExport(bytes, {
    fileName: request.path,
    ...(request.kind ? { kind: request.kind } : {}),
  });
  const { kind, ignoredColumns, ...batch } = parsed;
  const stored = await importAndScore(db, batch, {
    fileHash: hashBytes(bytes),
    fileName: request.path,
    shopId: request.shopId,
    ...(request.day ? { day: request.day } : {}),
    config: request.config,
    actor: request.actor,
    now: request.now,
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  });
  return { ...stored, kind, ignoredColumns };
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
    onProgress?: (stage: "import" | "score", done: number, total: number) => void;
  },
): Promise<{ outcome: ImportOutcome; scored: ScoreOutcome[] }> {
  const { config, onProgress, ...rest } = options;
  const outcome = await storeBatch(db, batch, {
    ...rest,
    unknownAgents: config.unknownAgents,
    defaultRole: config.defaultRole,
    ...(onProgress ? { onProgress: (done: number, total: number) => onProgress("import", done, total) } : {}),
  });
  const scored = await scoreWhatIsOwed(db, {
    actor: options.actor,
    now: options.now,
    ...(onProgress ? { onProgress: (done: number, total: number) => onProgress("score", done, total) } : {}),
  });
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
