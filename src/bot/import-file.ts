import type { Config } from "../config.ts";
import type { ExportKindId } from "../sources/exports/export-table.ts";
import { parseExport } from "../sources/exports/index.ts";
import type { SourceBatch } from "../sources/source.ts";
import { readFileBytes } from "../sources/text-file.ts";
import type { Db } from "../store/database.ts";
import type { ImportOutcome } from "../store/import-repo.ts";
import type { ScoreOutcome } from "./score-period.ts";
import { hashBytes, scorePeriods, storeBatch, touchedPeriods } from "./store-batches.ts";

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
  const scored = await scorePeriods(db, touchedPeriods([outcome]), {
    actor: options.actor,
    now: options.now,
    ...(onProgress ? { onProgress: (done: number, total: number) => onProgress("score", done, total) } : {}),
  });
  return { outcome, scored };
}
