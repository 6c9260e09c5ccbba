import type { Config } from "../config.ts";
import { InvalidInput } from "../engine/index.ts";
import type { Approximations } from "../sources/exports/approximate.ts";
import type { ExportKindId } from "../sources/exports/export-table.ts";
import type { FinishedOnly } from "../sources/exports/finished-only.ts";
import { chunksOf, openExportFile, streamExport } from "../sources/exports/index.ts";
import type { SourceBatch } from "../sources/source.ts";
import type { Db } from "../store/database.ts";
import type { ImportOutcome } from "../store/import-repo.ts";
import { type DrainedPeriod, drainOwed } from "./drain-owed.ts";
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
  /** Refuse, before storing anything, a file that gives a rate or a mean only as a finished figure. */
  strict?: boolean;
  /** The source's stand-in counts for finished figures (off unless named). */
  approximate?: Approximations;
  /** Told as soon as the header is read, before anything is stored. */
  onHeader?: (header: { kind: string; finishedOnly: FinishedOnly[] }) => void;
  onProgress?: (stage: "import" | "score", done: number, total: number) => void;
}

/** A period whose scoring failed after the figures were stored: it stays owed and is tried again. */
export interface NotScored {
  periodKey: string;
  reason: string;
}

export interface ImportFileOutcome {
  outcome: ImportOutcome;
  kind: string;
  ignoredColumns: string[];
  finishedOnly: FinishedOnly[];
  scored: DrainedPeriod[];
  notScored: NotScored[];
}

/**
 * Stores the file, then scores what it owes. The figures are stored (or not) whatever the
 * scoring does: a period that fails to score is reported as not scored, never as a failed import.
 */
export async function importExportFile(db: Db, request: ImportFileRequest): Promise<ImportFileOutcome> {
  const stored = await storeExportFile(db, request);
  const { scored, notScored } = await scoreOwedReporting(db, scoreOptions(request));
  return { ...stored, scored, notScored };
}

/**
 * Reads the file and stores it, a chunk of records at a time: the file is read once for its
 * SHA-256, and twice for its records (their problems, agents and days first, then into the
 * transaction), so that a month of a big shop is never held whole.
 */
async function storeExportFile(
  db: Db,
  request: ImportFileRequest,
): Promise<Pick<ImportFileOutcome, "outcome" | "kind" | "ignoredColumns" | "finishedOnly">> {
  // Read from the file as it is needed, never whole: a scheduled pull runs this in the bot.
  const file = await openExportFile(request.path, "FILE");
  try {
    const fileHash = await hashChunks(chunksOf(file));
    const { kind, ignoredColumns, finishedOnly, ...batch } = await streamExport(file, {
      fileName: request.path,
      ...(request.kind ? { kind: request.kind } : {}),
      ...(request.approximate ? { approximate: request.approximate } : {}),
    });
    request.onHeader?.({ kind, finishedOnly });
    if (request.strict && finishedOnly.length > 0)
      throw new InvalidInput(
        request.path,
        `--strict: gives ${finishedOnly.map((f) => f.metric).join(", ")} only as finished figures ` +
          "(no week or month can add them up); nothing was stored",
      );
    const outcome = await storeBatch(db, batch, {
      ...storeOptions(request),
      fileHash,
      fileName: request.path,
      shopId: request.shopId,
      ...(request.day ? { day: request.day } : {}),
    });
    return { outcome, kind, ignoredColumns, finishedOnly };
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
): Promise<{ outcome: ImportOutcome; scored: DrainedPeriod[]; notScored: NotScored[] }> {
  const { fileHash, fileName, shopId, day } = options;
  const outcome = await storeBatch(db, batch, {
    ...storeOptions(options),
    ...(fileHash === undefined ? {} : { fileHash }),
    ...(fileName === undefined ? {} : { fileName }),
    shopId,
    ...(day === undefined ? {} : { day }),
  });
  return { outcome, ...(await scoreOwedReporting(db, scoreOptions(options))) };
}

/**
 * Scores every period owed, as scoreWhatIsOwed does, and says which failed and why instead of
 * throwing: they stay owed for the next drain (the bot's watch, `kpi db check --repair`).
 */
export async function scoreOwedReporting(
  db: Db,
  options: { actor: string; now: Date; onProgress?: (done: number, total: number) => void },
): Promise<{ scored: DrainedPeriod[]; notScored: NotScored[] }> {
  const drained = await drainOwed(db, { ...options, wait: true });
  const notScored = drained.failed.map(({ periodKey, error }) => ({
    periodKey,
    reason: error instanceof Error ? error.message : String(error),
  }));
  return { scored: drained.scored, notScored };
}

/**
 * Scores every period owed, this import's and any a crash left, waiting for one another
 * process is scoring, so that what the import reports is scored. A failure stays owed and is
 * thrown after the rest are scored.
 */
export async function scoreWhatIsOwed(
  db: Db,
  options: { actor: string; now: Date; onProgress?: (done: number, total: number) => void },
): Promise<DrainedPeriod[]> {
  const drained = await drainOwed(db, { ...options, wait: true });
  const [failure] = drained.failed;
  if (failure) throw failure.error;
  return drained.scored;
}
