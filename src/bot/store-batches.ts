import { createHash } from "node:crypto";
import { PERIOD_KINDS, type Period, parsePeriod } from "../engine/index.ts";
import type { SourceBatch } from "../sources/source.ts";
import type { Db } from "../store/database.ts";
import { type ImportOutcome, importBatch } from "../store/import-repo.ts";
import { periodsOfDay, type ScoreOutcome, scorePeriod } from "./score-period.ts";

/**
 * Import then score: what every source's batch goes through. The periods whose figures changed
 * (the day, its week and its month) are scored again, and a changed scorecard is audited.
 */

export interface StoreBatchOptions {
  shopId: string;
  day?: string;
  fileName?: string;
  /** Hash of the file's bytes; for generated or fetched batches, of the batch itself. */
  fileHash?: string;
  unknownAgents: "reject" | "create";
  defaultRole: string;
  actor: string;
  now: Date;
  /** Agent-days written so far, for a progress bar. */
  onProgress?: (written: number, total: number) => void;
}

export function hashBytes(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export async function storeBatch(
  db: Db,
  batch: SourceBatch,
  options: StoreBatchOptions,
): Promise<ImportOutcome> {
  const { fileHash, fileName, day, ...rest } = options;
  return importBatch(db, batch, {
    ...rest,
    fileHash: fileHash ?? hashBytes(JSON.stringify(batch)),
    ...(fileName === undefined ? {} : { fileName }),
    ...(day === undefined ? {} : { day }),
  });
}

/** The day, week and month periods touched by an import's changes. */
export function touchedPeriods(outcomes: ImportOutcome[]): Period[] {
  const keys = new Set<string>();
  for (const outcome of outcomes) {
    if (outcome.status !== "done") continue;
    for (const change of outcome.changes) {
      for (const period of periodsOfDay(change.day)) keys.add(period.key);
    }
  }
  // Days first, then weeks, then months: a digest reads the day's card before the month's.
  return [...keys]
    .map(parsePeriod)
    .sort((a, b) => PERIOD_KINDS.indexOf(a.kind) - PERIOD_KINDS.indexOf(b.kind) || a.first - b.first);
}

export async function scorePeriods(
  db: Db,
  periods: Period[],
  options: { actor: string; now: Date; onProgress?: (done: number, total: number) => void },
): Promise<ScoreOutcome[]> {
  const outcomes: ScoreOutcome[] = [];
  for (const period of periods) {
    outcomes.push(await scorePeriod(db, period, options));
    options.onProgress?.(outcomes.length, periods.length);
  }
  return outcomes;
}
